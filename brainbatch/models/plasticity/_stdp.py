"""Pair-based STDP with pre/post traces (Song, Miller & Abbott 2000, in Brian2's trace form)."""
from __future__ import annotations

import math
from typing import Any

import brainunit as u

import jax.numpy as jnp

from ...core.checks import is_traced
from ...errors import did_you_mean
from ._rule import PAIRINGS, PlasticityRule, Trace, _finite, _positive

__all__ = ["STDP"]

FORMS = ("additive", "multiplicative")


class STDP(PlasticityRule):
    """Pair-based STDP: ``apre`` and ``apost`` traces decaying with ``taupre``/``taupost`` (ms).

    On a presynaptic spike: ``w <- clip(w + apost, w_min, w_max)``, then ``apre += dApre``;
    on a postsynaptic spike: ``w <- clip(w + apre, w_min, w_max)``, then ``apost += dApost``
    (Brian2's Song 2000 example: ``dApost < 0`` depresses, ``dApre > 0`` potentiates; the spike is
    delivered with the weight before the update).

    Args:
        dApre, dApost: trace jumps, in weight units (Brian2's example: ``dApre = 0.01 gmax``,
            ``dApost = -1.05 dApre taupre / taupost``): a plain number is in the unit of the weight of the
            projection the rule is put on (mV for a CUBA weight onto a LIF, relative to the leak under COBA), a
            quantity (``0.05 * u.mV``) is converted to it there; so are the traces ``apre``/``apost``.
        taupre, taupost: trace time constants (ms), default 20.
        w_min, w_max: hard bounds (default 0 and 1), in weight units as ``dApre``.
        form: ``"additive"`` (the change is the trace) or ``"multiplicative"`` (weight-dependent: a
            potentiation is scaled by ``(w_max - w) / (w_max - w_min)``, a depression by
            ``(w - w_min) / (w_max - w_min)``, so weights approach the bounds softly).
        pairing: ``"all"`` (all-to-all: traces add up) or ``"nearest"`` (a spike sets its trace to the
            jump: each spike pairs with the nearest earlier spike of the other side).

    >>> rule = STDP(dApre=1e-4, dApost=-1.05e-4, w_max=0.01)
    >>> sorted(rule.trace_names())
    ['apost', 'apre']
    """

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units. dApre, dApost,
    #: w_min, w_max are in the weight's unit (``weight_params``): a quantity is converted by the projection
    param_units = {"dApre": u.UNITLESS, "dApost": u.UNITLESS, "taupre": u.ms, "taupost": u.ms}
    weight_params = ("dApre", "dApost", "w_min", "w_max")
    weight_traces = ("apre", "apost")

    def __init__(self, dApre: Any = 0.01, dApost: Any = -0.0105, taupre: Any = 20.0, taupost: Any = 20.0,
                 w_min: Any = 0.0, w_max: Any = 1.0, form: str = "additive", pairing: str = "all"):
        super().__init__(w_min, w_max)
        if not isinstance(form, str) or form not in FORMS:  # an array: 'truth value ... is ambiguous' before
            raise ValueError(f"form must be one of {', '.join(FORMS)}, got {form!r}.{did_you_mean(form, FORMS)}")
        if not isinstance(pairing, str) or pairing not in PAIRINGS:
            raise ValueError(f"pairing must be one of {', '.join(PAIRINGS)}, got {pairing!r}."
                             f"{did_you_mean(pairing, PAIRINGS)}")
        if form == "multiplicative" and not is_traced(w_min) and not is_traced(w_max) and not (
                math.isfinite(float(w_min)) and math.isfinite(float(w_max)) and float(w_min) < float(w_max)):
            # the change is scaled by 1 / (w_max - w_min): an empty or endless range made every weight NaN
            raise ValueError(f"form='multiplicative' needs finite bounds with w_min < w_max (it scales each change by "
                             f"1 / (w_max - w_min)), got w_min={w_min!r}, w_max={w_max!r}")
        mode = "add" if pairing == "all" else "set"
        for name, value in (("taupre", taupre), ("taupost", taupost)):
            _positive(name, value)  # named as the user wrote it, before Trace checks its own fields
        for name, value in (("dApre", dApre), ("dApost", dApost)):
            _finite(name, value)
        self.pre_traces = {"apre": Trace(taupre, dApre, mode)}
        self.post_traces = {"apost": Trace(taupost, dApost, mode)}
        self.dApre, self.dApost, self.taupre, self.taupost = dApre, dApost, taupre, taupost
        self.form, self.pairing = form, pairing

    def pair_params(self, dt: Any) -> Any:
        # the traces and `deliver` as the pure-JAX step reads them (a subclass may set its own)
        (pre,), (post,) = self.pre_traces.values(), self.post_traces.values()
        return [pre.decay(dt), post.decay(dt), pre.jump, post.jump, float(pre.mode == "set"), float(post.mode == "set"),
                1.0, 0.0, 1.0, self.w_min, self.w_max, float(self.form == "multiplicative"),
                float(self.deliver == "after")]

    def _step(self, w: Any, dw: Any) -> Any:
        if self.form == "additive":
            return w + dw
        lo, hi = jnp.asarray(self.w_min, jnp.float32), jnp.asarray(self.w_max, jnp.float32)
        span = hi - lo
        return w + jnp.where(dw > 0, dw * (hi - w), dw * (w - lo)) / span

    def on_pre(self, w: Any, pre: Any, post: Any) -> Any:
        return self._step(w, post["apost"])

    def on_post(self, w: Any, pre: Any, post: Any) -> Any:
        return self._step(w, pre["apre"])


def song2000(gmax: Any = 0.01, ratio: float = 1.05, tau: float = 20.0) -> STDP:
    """Brian2's Song 2000 parameters: ``dApre = 0.01 gmax``, ``dApost = -ratio dApre``, ``w`` in ``[0, gmax]``.

    >>> round(song2000().dApost / song2000().dApre, 2)
    -1.05

    ``gmax`` may be a quantity in the weight's unit (``song2000(0.5 * u.mV)`` for a CUBA projection onto a LIF).
    """
    dApre = 0.01 * gmax
    return STDP(dApre=dApre, dApost=-dApre * ratio, taupre=tau, taupost=tau, w_min=0.0, w_max=gmax)

