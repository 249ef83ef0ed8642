"""The triplet STDP rule of Pfister & Gerstner (2006)."""
from __future__ import annotations

from typing import Any

import brainunit as u

from ._rule import PlasticityRule, Trace, _finite, _positive

__all__ = ["TripletSTDP"]


class TripletSTDP(PlasticityRule):
    """All-to-all triplet STDP: pre traces ``r1`` (``tau_plus``), ``r2`` (``tau_x``), post traces ``o1``
    (``tau_minus``), ``o2`` (``tau_y``), each jumping by 1.

    On a presynaptic spike ``w <- w - o1 (A2m + A3m r2)``; on a postsynaptic spike
    ``w <- w + r1 (A2p + A3p o2)``, with ``r2``/``o2`` taken just before the spike's own jump (the
    paper's ``t - epsilon``). Defaults: the all-to-all fit to visual cortex data (Pfister & Gerstner
    2006, Table 4): ``tau_plus`` 16.8, ``tau_minus`` 33.7, ``tau_x`` 101, ``tau_y`` 125 ms;
    ``A2p`` 5e-10, ``A3p`` 6.2e-3, ``A2m`` 7e-3, ``A3m`` 2.3e-4, times ``scale`` (a plain factor).
    The amplitudes and ``w_min``/``w_max`` are in the unit of the weight of the projection the rule is put on:
    a plain number in it (mV for a CUBA weight onto a LIF), a quantity (``A2p=5e-10 * u.mV``) converted to it
    there. The traces jump by 1 (counts).

    >>> TripletSTDP().trace_names()
    ['r1', 'r2', 'o1', 'o2']
    """

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"A2p": u.UNITLESS, "A3p": u.UNITLESS, "A2m": u.UNITLESS, "A3m": u.UNITLESS,
                   "tau_plus": u.ms, "tau_minus": u.ms, "tau_x": u.ms, "tau_y": u.ms, "scale": u.UNITLESS}
    #: in the weight's unit: a quantity is converted by the projection (``PlasticityRule.weight_params``)
    weight_params = ("A2p", "A3p", "A2m", "A3m", "w_min", "w_max")

    def __init__(self, A2p: Any = 5e-10, A3p: Any = 6.2e-3, A2m: Any = 7e-3, A3m: Any = 2.3e-4,
                 tau_plus: Any = 16.8, tau_minus: Any = 33.7, tau_x: Any = 101.0, tau_y: Any = 125.0,
                 scale: Any = 1.0, w_min: Any = 0.0, w_max: Any = 1.0):
        super().__init__(w_min, w_max)
        for name, value in (("A2p", A2p), ("A3p", A3p), ("A2m", A2m), ("A3m", A3m), ("scale", scale)):
            _finite(name, value)  # unchecked, NaN made every weight NaN and a text failed inside the run
        self.A2p, self.A3p, self.A2m, self.A3m, self.scale = A2p, A3p, A2m, A3m, scale
        for name, value in (("tau_plus", tau_plus), ("tau_x", tau_x), ("tau_minus", tau_minus), ("tau_y", tau_y)):
            _positive(name, value)  # named as the user wrote it, before Trace checks its own fields
        self.pre_traces = {"r1": Trace(tau_plus), "r2": Trace(tau_x)}
        self.post_traces = {"o1": Trace(tau_minus), "o2": Trace(tau_y)}

    def on_pre(self, w: Any, pre: Any, post: Any) -> Any:
        return w - self.scale * post["o1"] * (self.A2m + self.A3m * pre["r2"])

    def on_post(self, w: Any, pre: Any, post: Any) -> Any:
        return w + self.scale * pre["r1"] * (self.A2p + self.A3p * post["o2"])
