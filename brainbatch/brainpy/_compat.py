"""What every adapter of the BrainPy namespace shares: BrainPy's calling habits mapped onto brainbatch.

- ``update(self, tdi, x)``: BrainPy 2.2/2.3 passes the shared step arguments first; ``BrainPyCalls``
  hands them over (built from ``share``) to an ``update`` whose first parameter is named so, and drops
  them for one that does not take them.
- models built outside a run (no run key yet) draw their initial values and synapses from streams
  told apart by the node's display name, so two groups built at path "" differ;
- ``self.V = bm.Variable(...)`` inside ``reset_state``: refills the existing Variable in place, so the
  transforms that thread it keep seeing it (a new object would be left out and keep a tracer).
- integrator names (``'exp_auto'``) and unsupported names (an error that says what to use instead).
"""
from __future__ import annotations

import contextlib
import inspect
import os
import sys
import types
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import jax
import numpy as np

from ..core import share
from ..core.checks import is_traced
from ..core.context import environment
from ..core.errors import did_you_mean
from ..core.units import is_quantity
from ..core.variable import Variable

__all__ = ["SharedArgs", "shared_args", "BrainPyCalls", "method_name", "unsupported", "no_extra", "check_none",
           "check_input_var", "spike_kwargs"]

#: Names BrainPy code gives the shared step arguments as the first parameter of ``update``.
_TDI_NAMES = ("tdi", "sha", "shared", "shared_args", "sh")

#: BrainPy integrator names -> brainbatch's (``integrators.get_integrator``). BrainPy's ``rk2`` is the
#: generic second-order scheme with ``beta=2/3``, Ralston's (brainbatch's own ``rk2`` is Heun's, BrainPy's
#: ``heun2``); BrainPy's ``rk3`` is Kutta's third-order method.
_METHODS = {"exp_auto": "exp_euler", "exp_euler_auto": "exp_euler", "exponential_euler": "exp_euler",
            "exp_euler": "exp_euler", "euler": "euler", "midpoint": "midpoint", "heun2": "rk2",
            "ralston2": "ralston2", "rk2": "ralston2", "rk3": "kutta3", "heun3": "heun3", "ralston3": "ralston3",
            "ssprk3": "ssp_rk3", "rk4": "rk4", "ralston4": "ralston4", "rk4_38rule": "rk4_38rule"}

#: The order of each explicit Runge-Kutta method (brainbatch's names): on a linear decay ``dg/dt = -g / tau`` an
#: s-stage method of order s (s <= 4) multiplies ``g`` by the first s + 1 terms of ``exp(-dt / tau)``'s series.
#: The exponential Euler methods are exact there (absent here).
RK_ORDER = {"euler": 1, "midpoint": 2, "rk2": 2, "ralston2": 2, "kutta3": 3, "heun3": 3, "ralston3": 3, "ssp_rk3": 3,
            "rk4": 4, "ralston4": 4, "rk4_38rule": 4}


class BrainPyDifferenceWarning(UserWarning):
    """A model that brainbatch computes otherwise than BrainPy 2.8.2 does, where BrainPy's numbers come from a
    misuse of its own classes (docs/migrating-from-brainpy.md)."""


def outside_brainbatch() -> int:
    """The ``stacklevel`` of the first caller outside brainbatch, for a warning given by the function that calls
    this: the warning names the script's line, not a wrapper's (a fixed level named the brainbatch ``__init__`` of a
    class built on another one's ``_setup``)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level = 2  # the caller of the function that warns
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    return level


class MethodDecay:
    """A single-exponential synapse stepping its decay by BrainPy's ``method=`` (``bp.dyn.Expon(method='euler')``:
    ``g <- g (1 - dt / tau)``, as BrainPy's ``odeint`` does), exactly for ``exp_auto`` (the default).

    >>> import jax.numpy as jnp
    >>> import brainbatch.brainpy as bp
    >>> euler, exact = bp.dyn.Expon(1, tau=2.0, method="euler"), bp.dyn.Expon(1, tau=2.0)
    >>> float(euler.decay(2.0, 0.5)), float(exact.decay(2.0, 0.5)) == float(jnp.exp(jnp.float32(-0.25)))
    (0.75, True)
    """

    _decay_order: int | None = None
    #: the input is added before the step's decay (``FullProjAlignPostMg``: BrainPy's projection adds to ``g``, and
    #: ``g`` decays in a before-update of ``post``), with the running dt and this synapse's own method
    input_decays = False

    def update(self, x: Any = None) -> Any:
        if x is None or not self.input_decays:
            return super().update(x)  # type: ignore[misc]
        g = self.g.value + x  # type: ignore[attr-defined]
        self.g.value = g * self.decay(self.tau, share.dt)  # type: ignore[attr-defined]
        return self.g.value  # type: ignore[attr-defined]

    def set_method(self, method: Any) -> None:
        self._decay_order = RK_ORDER.get(method_name(method)) if isinstance(method, str) else None
        self.method = method  # BrainPy's name, as its synapses keep it; the decay follows it (step_decay below)

    def step_decay(self, dt: float) -> Any:
        return self.decay(self.tau, dt)  # type: ignore[attr-defined]  # by BrainPy's method, not the native one

    def decay(self, tau: Any, dt: float) -> Any:
        import jax.numpy as jnp

        if self._decay_order is None:
            return super().decay(tau, dt)  # type: ignore[misc]  # the synapse's own, exact
        z = -jnp.float32(dt) / jnp.asarray(tau, jnp.float32)
        term, total = jnp.ones_like(z), jnp.ones_like(z)
        for k in range(1, self._decay_order + 1):
            term = term * z / k
            total = total + term
        return total


#: BrainPy's adaptive Runge-Kutta methods (lower-cased): refused, brainbatch steps every run with one fixed dt.
_ADAPTIVE = ("rkf12", "rkf45", "rkdp", "ck", "bs", "heun_euler", "bosh3")


class SharedArgs(dict):
    """BrainPy's ``tdi``: ``t``, ``i``, ``dt`` of the current step, by key or attribute.

    >>> SharedArgs(t=1.0, i=10, dt=0.1).t
    1.0
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"the shared step arguments hold {sorted(self)}, not {name!r}") from None


def shared_args() -> SharedArgs:
    """The current step's ``t``, ``i`` and ``dt`` (from ``brainbatch.share``)."""
    return SharedArgs(t=share.t, i=share.i, dt=share.dt)


def _takes_tdi(update: Any) -> bool:
    try:
        params = [p for p in inspect.signature(update).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    names = [p.name for p in params]
    if names and names[0] == "self":
        names = names[1:]
    return bool(names) and names[0] in _TDI_NAMES


if TYPE_CHECKING:  # mixed into DynamicalSystem subclasses, before the brainbatch base class
    from ..core import DynamicalSystem as _Host
else:
    _Host = object


#: ``init_key``'s ``seed`` not given: a draw of initial values, not of a graph
_GRAPH_UNSET: Any = object()


class BrainPyCalls(_Host):
    """Mixin for the BrainPy-namespace classes (put it before the brainbatch base class)."""

    _takes_tdi = False
    # the refractory groups (models/neurons/_refractory.py) test BrainPy's float32 t - t_last_spike <= tau_ref
    _brainpy_clock = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._takes_tdi = _takes_tdi(cls.update)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], SharedArgs):
            if not self._takes_tdi:
                args = args[1:]
        elif self._takes_tdi:
            args = (shared_args(),) + args
        return super().__call__(*args, **kwargs)

    def __getitem__(self, index: Any) -> Any:
        from ..core import NeuGroup

        if isinstance(self, NeuGroup):  # BrainPy's DynView: N[:3200], one block of the group (_view.py)
            from ._view import view_of

            return view_of(self, index)
        raise TypeError(f"{type(self).__name__} object is not subscriptable")

    def step_run(self, i: Any, *args: Any, **kwargs: Any) -> Any:
        # BrainPy steps a model outside any runner with numbers from its global generator. In a bm.for_loop's
        # body (LOOP_STEP_RUNS set) every step_run gets its own streams: the first the loop's key, the k-th that key
        # folded with k (two models stepped side by side, or one stepped twice, drew the same noise). Called
        # by hand outside any loop and run, a step takes the next key of bm.random's stream.
        runs = share.load(LOOP_STEP_RUNS, None)
        if runs is None and share.key is not None:
            return super().step_run(i, *args, **kwargs)
        if runs is None:
            from .math.random import stream_key

            key = stream_key()
        else:  # the n-th step_run of the loop's body: the first takes the loop's key, the others their own
            calls = runs["calls"] = runs.get("calls", 0) + 1
            if calls == 1:
                return super().step_run(i, *args, **kwargs)
            key = jax.random.fold_in(share.key, calls - 1)
        with environment(key=key):
            return super().step_run(i, *args, **kwargs)

    def param(self, name: str, value: Any, **checks: Any) -> Any:
        # BrainPy evaluates an initializer given as a parameter (g_max=bp.init.Uniform(5., 10.)) once, when the
        # model is made, from its global generator: here from bm.random's stream, then checked as a number
        from ..core.initializers import Initializer, init_array

        if isinstance(value, Initializer):
            from .math.random import stream_key

            value = init_array(value, tuple(self.varshape), key=stream_key())  # type: ignore[attr-defined]
        if isinstance(value, Variable):
            # BrainPy keeps a Variable given as a parameter (gNa=bm.Variable(...)): the model reads it at every
            # step, so gvar[:] = 50. between runs changes the model; a copy froze it, silently. Its value now is
            # checked as a number's would be; it is state of the run from here on, as in BrainPy
            super().param(name, value.value, **checks)  # type: ignore[misc]
            return value
        return super().param(name, value, **checks)  # type: ignore[misc]

    def init_key(self, tag: str = "", seed: Any = _GRAPH_UNSET) -> Any:
        # Built outside a run (no run key), as BrainPy scripts that go straight to for_loop are: the next key
        # of bm.random's stream, as BrainPy draws initial values and synapses from its global generator in
        # call order (bm.random.seed(s) then the same model: the same values; another seed: others). A
        # graph seed (a connector's seed=) keeps its own key. Within a run the run key decides, as always.
        # A graph (the draws that pass ``seed``: a projection's synapses, weights, delays) is drawn once outside a
        # run, as BrainPy builds its connection structures once, when the model is made: a later reset_state
        # outside a run (a loop of trials on one network) draws new initial values on the same graph, where it
        # drew a new graph each time (trials spread as different networks do)
        graph = seed is not _GRAPH_UNSET
        seed = None if seed is _GRAPH_UNSET else seed
        if share.key is None and seed is None:
            from .math.random import _key

            if not graph:
                return _key()
            kept = self.__dict__.setdefault("_bp_graph_keys", {})
            key = kept.get(tag)
            if key is None:
                key = _key()
                if not is_traced(key):
                    kept[tag] = key
            return key
        return super().init_key(tag, seed)

    def __setattr__(self, key: str, value: Any) -> None:
        old = self.__dict__.get(key)
        if isinstance(old, Variable) and isinstance(value, Variable) and value is not old and value._owner is None:
            # BrainPy's reset_state re-creates Variables; keep the object the graph and transforms hold
            old._value, old.batch_axis = value._value, value.batch_axis
            return
        super().__setattr__(key, value)


#: the step_run calls of a bm.for_loop's body, counted (a share entry set around the body)
LOOP_STEP_RUNS = "bm_loop_step_runs"


def refs_of(node: Any) -> dict:
    """BrainPy 2.4+'s ``proj.refs``: the parts a projection holds (``pre``, ``post``, ``syn``, ``out``,
    ``comm``), by role, for scripts that read ``proj.refs['syn'].g``."""
    parts = {role: getattr(node, attr, None) for role, attr in
             (("pre", "pre"), ("post", "post"), ("syn", "syn"), ("out", "out"), ("comm", "_comm"))}
    if parts["comm"] is None:
        parts["comm"] = getattr(node, "_bp_comm", None)
    return {role: part for role, part in parts.items() if part is not None}


def method_name(method: str) -> str:
    """A BrainPy integrator name as brainbatch's; an error lists what exists.

    >>> method_name("exp_auto")
    'exp_euler'
    """
    if not isinstance(method, str):
        return method
    key = method.strip().lower()
    if key in _ADAPTIVE:
        raise ValueError(f"integrator method {method!r} is one of BrainPy's adaptive Runge-Kutta methods, which "
                         "brainbatch does not provide (every run of a batch steps with the same fixed dt); use a "
                         "fixed-step one: 'rk4', 'rk4_38rule', 'ralston4', 'rk3', 'heun3', 'ralston3', 'ssprk3', "
                         "'rk2', 'midpoint', 'heun2', 'ralston2', 'euler' or 'exp_auto'")
    if key not in _METHODS:
        raise ValueError(f"integrator method {method!r} is not available in brainbatch; use one of "
                         f"{sorted(_METHODS)}.{did_you_mean(key, list(_METHODS))}")
    return _METHODS[key]


@contextlib.contextmanager
def mutable_array_hint() -> Iterator[None]:
    """A BrainPy habit JAX refuses, ``x = bm.zeros(n); x[i] = v`` inside ``update`` (BrainPy's ``bm.Array`` is
    mutable there, a JAX array is not), gets the way to write it here added to JAX's error."""
    try:
        yield
    except TypeError as err:
        text = str(err)
        if "item assignment" not in text or "immutable" not in text:
            raise
        raise TypeError(f"{text}\n\nbrainbatch.brainpy: bm.zeros, bm.ones, bm.array... give JAX arrays, which are "
                        "immutable (BrainPy's bm.Array is mutable): write x = x.at[i].set(v), or keep the values in "
                        "a bm.Variable, whose items can be set (V[i] = v); docs/migrating-from-brainpy.md") from None


def unsupported(where: str, name: str, hints: dict[str, str], known: Iterable[str]) -> AttributeError:
    """The error for a BrainPy name brainbatch does not provide: what to use instead, or a close match."""
    # name=None, obj=None: Python would append a second "Did you mean" of its own, from the module's names
    if name in hints:
        return AttributeError(f"{where}.{name} is not supported by brainbatch: {hints[name]} "
                              "(see docs/migrating-from-brainpy.md)", name=None, obj=None)
    # only a near-spelling is suggested: a loose match sent bp.Projection to 'odeint'
    hint = did_you_mean(name, [str(k) for k in known], cutoff=0.75)
    return AttributeError(
        f"{where} has no attribute {name!r}.{hint} brainbatch covers the dynamics-simulation part of BrainPy; "
        "docs/migrating-from-brainpy.md lists what maps to what", name=None, obj=None
    )


def no_extra(what: str, kwargs: dict, hints: dict[str, str] | None = None) -> None:
    """Refuse BrainPy keyword arguments that have no brainbatch meaning, saying why."""
    hints = hints or {}
    for key, value in kwargs.items():
        if key in hints:
            raise TypeError(f"{what}: {key}={value!r} is not supported: {hints[key]}")
        raise TypeError(f"{what} got an unexpected keyword argument {key!r}")


def holds_numbers(value: Any, kinds: str = "biuf") -> bool:
    """Whether ``value`` is numbers (of the NumPy ``kinds``): a number, an array or a list of them, a quantity, a
    traced (swept) value or a list holding one. Text, dicts and ragged lists are not."""
    if is_traced(value) or is_quantity(value) or (isinstance(value, (list, tuple)) and any(
            is_traced(v) or is_quantity(v) for v in value)):
        return True
    try:
        return not isinstance(value, (str, bytes)) and np.asarray(value).dtype.kind in kinds
    except (TypeError, ValueError):  # ragged lists
        return False


def check_none(what: str, **kwargs: Any) -> None:
    """BrainPy arguments accepted only at their do-nothing default (``noise=None``...)."""
    reasons = {"noise": "the neuron classes (bp.neurons, bp.dyn) take noise=; elsewhere add noise in update() "
                        "with bp.sdeint or from self.step_key() (per-run random streams)",
               "seed": "random values come from the run's key (the Runner's seed), not a per-object seed",
               "stp": "stp= is taken by bp.synapses.Exponential, Alpha, DualExponential and Delta (or use "
                      "bp.synapses.STP, or brainbatch's Projection(..., stp=bb.STP(...)))"}
    for key, value in kwargs.items():
        if key == "sharding":  # BrainPy's axis names (bm.sharding.NEU_AXIS...): checked, ignored on one device
            from .math.sharding import check_axis_names

            check_axis_names(what, value)
        elif value is not None:
            raise TypeError(f"{what}: {key}={value!r} is not supported; {reasons.get(key, 'leave it out')}")


def check_input_var(what: str, input_var: bool) -> None:
    """BrainPy 2.3's ``input_var``: only True (brainbatch's groups always have an ``input`` Variable)."""
    if input_var is not True:
        raise TypeError(f"{what}: input_var={input_var!r} is not supported; the group always has an `input` "
                        "Variable (update(x) adds x to it)")


_SPIKE_ARGS = ("spike_fun", "spk_fun", "spk_dtype", "detach_spk", "input_var", "ref_var", "init_var",
               "scaling", "sharding", "spk_reset")


def spike_kwargs(what: str, kwargs: dict) -> None:
    """BrainPy's spike/training arguments: accepted at what brainbatch does (V >= V_th, reset), else refused."""
    for key in list(kwargs):
        if key in _SPIKE_ARGS:
            value = kwargs.pop(key)
            if key == "spk_reset" and value not in ("soft", "hard"):
                raise ValueError(f"{what}: spk_reset must be 'soft' or 'hard', got {value!r}")
            if key == "sharding":  # BrainPy's axis names: checked, ignored on one device (bm.sharding)
                from .math.sharding import check_axis_names

                check_axis_names(what, value)
            elif key in ("spike_fun", "spk_fun", "scaling") and value is not None:
                raise TypeError(f"{what}: {key}={value!r} is not supported (spikes are V >= V_th, reset to V_reset)")
    if kwargs:
        import sys

        # the caller is the class's __init__: its own parameters are the names a misspelling is near
        code = sys._getframe(1).f_code
        known = [*code.co_varnames[:code.co_argcount + code.co_kwonlyargcount], *_SPIKE_ARGS]
        first = sorted(kwargs)[0]
        raise TypeError(f"{what} got unexpected arguments {sorted(kwargs)}."
                        f"{did_you_mean(first, [k for k in known if k != 'self'])}")


def membrane_noise(noise: Any) -> Any:
    """BrainPy's ``noise=`` of the neuron classes: a number or per-neuron array (``g`` of its ``sdeint``, on the
    first variable only: ``models.neurons.MembraneNoise``); a function ``g(V, t, ...)`` is refused with the way."""
    if callable(noise) and not hasattr(noise, "shape"):
        raise TypeError(f"noise must be a number or one value per neuron (mV/sqrt(ms)), got the function {noise!r}; "
                        "for a state-dependent diffusion write the group's update with bp.sdeint(f, g)")
    return noise
