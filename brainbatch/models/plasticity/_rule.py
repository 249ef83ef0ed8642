"""Plasticity rules: spike traces on each side of a projection, and what a spike does to a weight.

A rule is applied by a plastic ``Projection`` (``Projection(..., plasticity=rule)``) in the deliver
phase of step ``i``, with the spikes of step ``i - 1`` (the presynaptic ones after the projection's
delay). The order within a step is Brian2's (the ``pre`` pathway before the ``post`` pathway):

1. every trace decays over one step, ``x <- x exp(-dt / tau)``;
2. the synapses of each presynaptic neuron that spiked: ``w <- clip(on_pre(w, pre, post), w_min, w_max)``
   (with ``deliver="before"``, the default, the spike is delivered with the old weight first; with
   ``"after"`` with the new one); then the presynaptic traces of those neurons jump;
3. the synapses into each postsynaptic neuron that spiked: ``w <- clip(on_post(w, pre, post), ...)``;
   then the postsynaptic traces of those neurons jump.

So a weight update sees the traces as they were just before its own side's spike, and the other
side's traces including a spike of the same step that was already handled. Weights never leave
``[w_min, w_max]``: the clip is part of every update. Cost per step: the traces' decay (one
multiply per neuron) plus spikes x fan-out on the presynaptic side and spikes x fan-in on the
postsynaptic side (docs/plasticity.md).
"""
from __future__ import annotations

import copy
import functools
import inspect
import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import brainunit as u

import jax.numpy as jnp
import numpy as np

from ...core.units import UnitMismatch, accept_quantities, in_units_of, to_convention, unit_text, value_unit
from ...core.checks import is_real, is_traced, refuse_beyond_float32
from ...core.errors import NamedKeywords, keywords_named
from ...errors import did_you_mean

__all__ = ["Trace", "PlasticityRule", "Rule"]

PAIRINGS = ("all", "nearest")


@keywords_named
@dataclass(frozen=True)
class Trace:
    """A spike trace of one side: decays with ``tau`` (ms); a spike adds ``jump`` (``mode="add"``,
    all-to-all pairing) or sets it to ``jump`` (``mode="set"``, nearest-spike pairing).

    >>> Trace(20.0, jump=0.01).mode
    'add'
    >>> import brainunit as u
    >>> Trace(0.02 * u.second).tau
    20.0
    """

    tau: Any
    jump: Any = 1.0
    mode: str = "add"

    def __post_init__(self) -> None:
        # quantities as every model parameter takes them (docs/units.md): tau a time, jump a pure number
        object.__setattr__(self, "tau", to_convention("tau", self.tau, u.ms, where="Trace"))
        object.__setattr__(self, "jump", to_convention("jump", self.jump, u.UNITLESS, where="Trace"))
        if self.mode not in ("add", "set"):
            hint = did_you_mean(self.mode, ("add", "set")) if isinstance(self.mode, str) else ""
            raise ValueError(f"Trace mode must be 'add' (all-to-all) or 'set' (nearest spike), got {self.mode!r}.{hint}"
                             .rstrip("."))
        _positive("Trace tau", self.tau)
        _finite("Trace jump", self.jump)  # an infinite jump made the trace inf, the weights a bound or NaN

    def decay(self, dt: float) -> Any:
        """The factor one step of ``dt`` ms multiplies the trace by (float32)."""
        return jnp.exp(-dt / jnp.asarray(self.tau, jnp.float32))

    def after_spike(self, x: Any) -> Any:
        jump = jnp.asarray(self.jump, jnp.float32)
        return x + jump if self.mode == "add" else jnp.broadcast_to(jump, jnp.shape(x))


def _keep_weight_quantities(cls: type) -> None:
    """Wrap ``cls.__init__`` so that weight parameters given as quantities (``w_max=5 * u.mV``) reach the rule's
    checks as numbers of one unit and are then kept as given, for the projection to convert (``in_weight_units``).
    Quantities of different dimensions among them are refused here."""
    init = cls.__dict__.get("__init__")
    if init is None or getattr(init, "_bb_weights", False):
        return
    signature = inspect.signature(init)

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:
            return init(self, *args, **kwargs)  # Python's own message
        given = {n: bound.arguments[n] for n in cls.weight_params  # type: ignore[attr-defined]
                 if n in bound.arguments and value_unit(bound.arguments[n]) is not None}
        if not given:
            return init(self, *args, **kwargs)
        first, first_value = next(iter(given.items()))
        # the unit they are checked in (w_min <= w_max) before the projection gives theirs: the weights' convention
        # unit of their dimension (docs/units.md), so that a plain number beside them (w_min=0.) means what it will
        # mean on the projection
        dim = u.get_dim(value_unit(first_value))
        unit = next((un for un in (u.mV, u.pA, u.uA / u.cm**2, u.mV / u.ms) if u.get_dim(un) == dim),
                    value_unit(first_value))
        checked = dict(bound.arguments)
        for name, value in given.items():
            try:
                checked[name] = to_convention(name, value, unit, cls.__name__, strict=False)
            except UnitMismatch as err:
                raise UnitMismatch(f"{err}: {name} and {first} are both in the unit of the projection's weight, and "
                                   f"{first} was given in {unit_text(value_unit(first_value))}") from None
        numbers = inspect.BoundArguments(signature, checked)
        try:
            init(self, *numbers.args[1:], **numbers.kwargs)
        except ValueError as err:  # "w_min must be <= w_max, got w_min=6.0 > w_max=5.0": say which unit that is
            if not any(name in str(err) for name in given):
                raise
            raise ValueError(f"{err} (the values in {unit_text(unit)})") from None
        for name, value in given.items():  # the rule shows them as given; the projection converts them
            if name in self.__dict__:
                object.__setattr__(self, name, value)
        object.__setattr__(self, "_weight_call", (cls, dict(bound.arguments), tuple(given)))

    __init__._bb_weights = True  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]


class PlasticityRule(NamedKeywords):
    """Base class: declare ``pre_traces`` / ``post_traces`` (name -> ``Trace``) and implement
    ``on_pre(w, pre, post)`` and ``on_post(w, pre, post)``.

    ``w`` holds the weights of the synapses being updated, ``pre`` and ``post`` map trace names to
    their values at those synapses (same shape as ``w``); both return the new weights (before the
    clip to ``[w_min, w_max]``). Parameters may be traced (swept).
    """

    pre_traces: Mapping[str, Trace] = {}
    post_traces: Mapping[str, Trace] = {}
    deliver: str = "before"
    #: the parameters in the unit of the weight of the projection the rule is put on (docs/units.md): mV for a
    #: CUBA weight onto a LIF, a plain number (relative to the leak) for a COBA one. A quantity (``w_max=5 * u.mV``)
    #: is kept as given and converted by the projection (``in_weight_units``); a plain number is read in the
    #: weight's own unit. Their ``param_units`` entry (1) is what a plain number stands for before that.
    weight_params: tuple[str, ...] = ("w_min", "w_max")
    #: the traces that jump by an amplitude in weight units (STDP's ``apre += dApre``), labelled with the weight's
    #: unit in a store; the others jump by 1 (a count: ``1``)
    weight_traces: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        accept_quantities(cls)  # taupre=20 * u.ms etc. (docs/units.md)
        _keep_weight_quantities(cls)  # w_max=5 * u.mV: converted by the projection, which knows the weight's unit

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"w_min": u.UNITLESS, "w_max": u.UNITLESS}

    def __init__(self, w_min: Any = 0.0, w_max: Any = math.inf, deliver: str = "before"):
        _real("w_min", w_min)
        _real("w_max", w_max)
        if not is_traced(w_min) and not is_traced(w_max) and float(w_min) > float(w_max):
            raise ValueError(f"w_min must be <= w_max, got w_min={w_min!r} > w_max={w_max!r}")
        if deliver not in ("before", "after"):
            raise ValueError(f"deliver must be 'before' (the spike carries the old weight, Brian2's Song 2000) or "
                             f"'after' (the updated one), got {deliver!r}")
        self.w_min, self.w_max, self.deliver = w_min, w_max, deliver

    def on_pre(self, w: Any, pre: dict, post: dict) -> Any:  # pragma: no cover - abstract
        return w

    def on_post(self, w: Any, pre: dict, post: dict) -> Any:  # pragma: no cover - abstract
        return w

    def pair_params(self, dt: float) -> list | None:
        """The 13 numbers of ``brainbatch.kernels.PAIR_PARAMS`` if this rule is of the pair family (one
        trace per side, ``w += c_pre (x_post - b_pre)`` / ``w += c_post x_pre``), else None (pure JAX)."""
        return None

    def native_params(self, dt: float) -> list | None:
        """``pair_params(dt)`` when they describe what this rule's own code does, else None (pure JAX).

        A subclass of a pair-family rule that changes what a spike does (its own ``on_pre``, ``on_post``,
        ``clip``, ``_step``), declares other traces, or traces of its own ``Trace`` class, runs its code: the
        native kernel would run the parent's arithmetic instead, silently, and on CPU only.

        >>> import brainbatch as bb
        >>> class Halved(bb.STDP):
        ...     def on_pre(self, w, pre, post):
        ...         return w + 0.5 * post["apost"]
        >>> bb.STDP().native_params(0.1) is None, Halved().native_params(0.1) is None
        (False, True)
        """
        cls = type(self)
        owner = next(c for c in cls.__mro__ if "pair_params" in c.__dict__)
        if owner is PlasticityRule or any(getattr(cls, name, None) is not getattr(owner, name, None)
                                          for name in ("on_pre", "on_post", "clip", "_step", "pair_params")):
            return None
        traces = (self.pre_traces, self.post_traces)
        if any(len(side) != 1 or any(type(tr) is not Trace for tr in side.values()) for side in traces):
            return None
        return self.pair_params(dt)

    def clip(self, w: Any) -> Any:
        return jnp.clip(w, jnp.asarray(self.w_min, jnp.float32), jnp.asarray(self.w_max, jnp.float32))

    def trace_names(self) -> list[str]:
        return list(self.pre_traces) + list(self.post_traces)

    def in_weight_units(self, units: str, where: str = "") -> PlasticityRule:
        """This rule for weights in ``units`` (``"mV"``; ``"1"`` for a COBA weight): itself when no weight parameter
        was given with a unit, else a copy made again with those parameters converted (every check of the
        constructor runs on the converted numbers). A quantity of another dimension is a ``UnitMismatch`` naming it.

        >>> import brainunit as u
        >>> from brainbatch.models.plasticity import STDP
        >>> rule = STDP(dApre=0.1 * u.mV, w_max=0.005 * u.volt)
        >>> rule.w_max
        Quantity(0.005, "V")
        >>> rule.in_weight_units("mV").w_max, rule.in_weight_units("mV").dApre
        (5.0, 0.1)
        """
        call = self.__dict__.get("_weight_call")
        if call is None:
            return self
        cls, arguments, names = call
        arguments = dict(arguments)
        for name in names:
            arguments[name] = in_units_of(name, arguments[name], units, where or type(self).__name__)
        rule = copy.copy(self)
        del rule.__dict__["_weight_call"]
        init = cls.__dict__["__init__"].__wrapped__  # the constructor's checks, on the converted numbers
        again = inspect.BoundArguments(inspect.signature(init), {**arguments, next(iter(arguments)): rule})
        init(rule, *again.args[1:], **again.kwargs)
        return rule

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


class Rule(PlasticityRule):
    """A rule written as two JAX functions, with its traces declared (Brian2's ``on_pre``/``on_post``).

    Args:
        on_pre: ``on_pre(w, pre, post) -> w`` for the synapses of a presynaptic neuron that spiked
            (``pre``/``post``: dicts of trace values at those synapses).
        on_post: ``on_post(w, pre, post) -> w`` for the synapses into a postsynaptic neuron that spiked.
        pre_traces, post_traces: ``{name: Trace(tau, jump, mode)}``.
        w_min, w_max, deliver: as ``PlasticityRule``.

    >>> r = Rule(pre_traces={"x": Trace(20.0)}, post_traces={"y": Trace(20.0)},
    ...          on_pre=lambda w, pre, post: w - 0.01 * post["y"], on_post=lambda w, pre, post: w + 0.01 * pre["x"],
    ...          w_max=1.0)
    >>> r.trace_names()
    ['x', 'y']
    """

    def __init__(self, on_pre: Callable | None = None, on_post: Callable | None = None, *,
                 pre_traces: Mapping[str, Trace] | None = None, post_traces: Mapping[str, Trace] | None = None,
                 w_min: Any = 0.0, w_max: Any = math.inf, deliver: str = "before"):
        super().__init__(w_min, w_max, deliver)
        for name, fn in (("on_pre", on_pre), ("on_post", on_post)):
            if fn is not None and not callable(fn):
                raise TypeError(f"{name} must be a function (w, pre, post) -> w, got {fn!r}")
        self._on_pre, self._on_post = on_pre, on_post
        self.pre_traces = _check_traces("pre_traces", pre_traces or {})
        self.post_traces = _check_traces("post_traces", post_traces or {})
        both = set(self.pre_traces) & set(self.post_traces)
        if both:
            raise ValueError(f"trace name(s) {sorted(both)} are declared on both sides; give each trace its own name")

    def on_pre(self, w: Any, pre: Any, post: Any) -> Any:
        return w if self._on_pre is None else self._on_pre(w, pre, post)

    def on_post(self, w: Any, pre: Any, post: Any) -> Any:
        return w if self._on_post is None else self._on_post(w, pre, post)


def _check_traces(what: str, traces: Mapping) -> dict[str, Trace]:
    if not isinstance(traces, Mapping):
        raise TypeError(f"{what} must be a dict name -> Trace(tau, jump), got {traces!r}")
    out = {}
    for name, tr in traces.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"{what}: trace names must be Python identifiers, got {name!r}")
        if not isinstance(tr, Trace):
            raise TypeError(f"{what}[{name!r}] must be a Trace(tau, jump), got {tr!r}")
        out[name] = tr
    return out


def _real(name: str, value: Any) -> None:
    if is_traced(value):
        return
    scalar_array = hasattr(value, "dtype") and np.ndim(value) == 0 and np.issubdtype(value.dtype, np.number)
    if not (is_real(value) or scalar_array) or math.isnan(float(value)):
        raise TypeError(f"{name} must be a number, got {value!r}")


def _finite(name: str, value: Any) -> None:
    """A real number that is not infinite: an amplitude or a rate (an infinite one sends every weight to a bound,
    or to inf, silently)."""
    _real(name, value)
    if not is_traced(value) and not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if not is_traced(value):
        refuse_beyond_float32(name, float(value), value)


def _positive(name: str, value: Any) -> None:
    _real(name, value)
    if not is_traced(value) and not float(value) > 0:
        raise ValueError(f"{name} must be > 0 ms, got {value!r}")


# a rule of the user's that passes quantities on (super().__init__(w_max=5 * u.mV)) has them kept too
accept_quantities(PlasticityRule)
_keep_weight_quantities(PlasticityRule)
