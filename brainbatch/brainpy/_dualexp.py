"""BrainPy 2.5+'s dual-exponential synapse: a spike's jump in ``h`` is scaled so that ``g`` peaks at ``A``
(1 by default), where brainbatch's ``DualExponential`` (BrainPy 2.4's rule) adds the weight itself to ``h``.

>>> import brainbatch as bb
>>> syn = PeakScaledDualExponential(tau_rise=1.0, tau_decay=5.0, size=1)
>>> with bb.environment(dt=0.01):
...     peak = max(float(syn.update(1.0 if i == 0 else 0.0)[0]) for i in range(1000))
>>> round(peak, 3)
1.0
"""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from ..models.synapses import DualExponential

__all__ = ["PeakScaledDualExponential", "peak_scale"]


def peak_scale(tau_rise: Any, tau_decay: Any, A: Any = None) -> Any:
    """The factor on what reaches ``h``: BrainPy 2.5+'s ``a = (tau_decay - tau_rise) / (tau_rise tau_decay) * A``,
    where ``A`` defaults to ``tau_decay / (tau_decay - tau_rise) * (tau_rise / tau_decay) ** (tau_rise /
    (tau_rise - tau_decay))``, the ``A`` that makes one unit input peak at 1. For equal time constants (where
    BrainPy divides by zero) the limit of that default, ``e / tau``, times ``A`` when given.

    >>> round(float(peak_scale(1.0, 5.0)), 4), round(float(peak_scale(2.0, 2.0)), 4)
    (1.4953, 1.3591)
    """
    tau_r, tau_d = jnp.asarray(tau_rise, jnp.float32), jnp.asarray(tau_decay, jnp.float32)
    equal = jnp.abs(tau_d - tau_r) <= 1e-6 * tau_d
    gap = jnp.where(equal, 1.0, tau_d - tau_r)  # a stand-in where equal, so neither branch divides by zero
    to_peak_one = tau_d / gap * (tau_r / tau_d) ** (-tau_r / gap)
    a = gap / (tau_r * tau_d) * (to_peak_one if A is None else A)
    return jnp.where(equal, math.e / tau_d * (1.0 if A is None else A), a)


class PeakScaledDualExponential(DualExponential):
    """``DualExponential`` whose input is scaled by ``peak_scale`` (BrainPy 2.5+'s ``A``)."""

    def __init__(self, tau_rise: Any = 1.0, tau_decay: Any = 10.0, A: Any = None, **kwargs: Any) -> None:
        super().__init__(tau_rise=tau_rise, tau_decay=tau_decay, **kwargs)
        self.A = A

    def update(self, x: Any = None) -> jax.Array:
        return super().update(None if x is None else x * peak_scale(self.tau_rise, self.tau_decay, self.A))
