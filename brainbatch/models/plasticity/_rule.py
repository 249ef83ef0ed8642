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

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import brainunit as u

import jax.numpy as jnp
import numpy as np

from ...core.units import accept_quantities, to_convention
from ...core.checks import is_real, is_traced, refuse_beyond_float32
from ...core.errors import NamedKeywords, keywords_named

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
            raise ValueError(f"Trace mode must be 'add' (all-to-all) or 'set' (nearest spike), got {self.mode!r}")
        _positive("Trace tau", self.tau)
        _finite("Trace jump", self.jump)  # an infinite jump made the trace inf, the weights a bound or NaN

    def decay(self, dt: float) -> Any:
        """The factor one step of ``dt`` ms multiplies the trace by (float32)."""
        return jnp.exp(-dt / jnp.asarray(self.tau, jnp.float32))

    def after_spike(self, x: Any) -> Any:
        jump = jnp.asarray(self.jump, jnp.float32)
        return x + jump if self.mode == "add" else jnp.broadcast_to(jump, jnp.shape(x))


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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        accept_quantities(cls)  # taupre=20 * u.ms etc. (docs/units.md)

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

    def clip(self, w: Any) -> Any:
        return jnp.clip(w, jnp.asarray(self.w_min, jnp.float32), jnp.asarray(self.w_max, jnp.float32))

    def trace_names(self) -> list[str]:
        return list(self.pre_traces) + list(self.post_traces)

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
