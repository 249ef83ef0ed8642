"""Inhibitory plasticity of Vogels, Sprekeler, Zenke, Clopath & Gerstner (2011)."""
from __future__ import annotations

from typing import Any

import brainunit as u

from ...core.checks import is_traced
from ._rule import PlasticityRule, Trace, _finite, _positive

__all__ = ["Vogels2011"]


class Vogels2011(PlasticityRule):
    """Symmetric inhibitory STDP that drives the postsynaptic rate towards ``rho0`` (Hz).

    Traces ``apre``, ``apost`` decay with ``tau`` (ms) and jump by 1 at each spike. On a presynaptic
    spike ``w <- clip(w + eta (apost - alpha))`` with ``alpha = 2 rho0 tau / 1000``; on a postsynaptic
    spike ``w <- clip(w + eta apre)``; the spike is delivered with the updated weight (Brian2's
    example ``frompapers/Vogels_et_al_2011``: ``tau = 20 ms``, ``rho0 = 3 Hz``, ``eta = 1e-2``,
    ``w`` in ``[0, 100]``, nS there). ``eta``, ``w_min`` and ``w_max`` are in the unit of the
    weight of the projection the rule is put on (a quantity is converted to it there); the traces count spikes.

    >>> round(Vogels2011(rho0=3.0, tau=20.0).alpha, 3)
    0.12
    """

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"eta": u.UNITLESS, "rho0": u.Hz, "tau": u.ms}
    #: in the weight's unit: a quantity is converted by the projection (``PlasticityRule.weight_params``)
    weight_params = ("eta", "w_min", "w_max")

    def __init__(self, eta: Any = 1e-2, rho0: Any = 3.0, tau: Any = 20.0, w_min: Any = 0.0, w_max: Any = 100.0):
        super().__init__(w_min, w_max, deliver="after")
        _finite("eta", eta)
        _positive("tau", tau)
        _finite("rho0", rho0)
        if not is_traced(rho0) and float(rho0) < 0:  # a rate: a negative target turns depression into potentiation
            raise ValueError(f"rho0 is the target postsynaptic rate and must be >= 0 Hz, got {rho0!r}")
        self.eta, self.rho0, self.tau = eta, rho0, tau
        self.alpha = 2.0 * rho0 * tau / 1000.0
        self.pre_traces = {"apre": Trace(tau, 1.0)}
        self.post_traces = {"apost": Trace(tau, 1.0)}

    def pair_params(self, dt: Any) -> Any:
        # the traces and `deliver` as the pure-JAX step reads them (a subclass may set its own)
        (pre,), (post,) = self.pre_traces.values(), self.post_traces.values()
        return [pre.decay(dt), post.decay(dt), pre.jump, post.jump, float(pre.mode == "set"), float(post.mode == "set"),
                self.eta, self.alpha, self.eta, self.w_min, self.w_max, 0.0, float(self.deliver == "after")]

    def on_pre(self, w: Any, pre: Any, post: Any) -> Any:
        return w + self.eta * (post["apost"] - self.alpha)

    def on_post(self, w: Any, pre: Any, post: Any) -> Any:
        return w + self.eta * pre["apre"]
