"""The two-variable synapses (alpha, dual exponential) stepped as BrainPy steps them: ``odeint(JointEq(dg, dh),
method=...)`` on ``dg/dt = -g / tau_g + c h``, ``dh/dt = -h / tau_h``, then the input added to ``h``.

brainbatch's own ``Alpha`` and ``DualExponential`` are integrated exactly; a BrainPy script gets BrainPy's
numbers instead (a 2.5-5 % higher ``g`` at common step sizes for the default ``exp_auto``):

- ``exp_auto`` (BrainPy's exponential Euler on a joint system): each variable steps exactly in its own
  linear part with the others held at the start of the step, ``h <- h e_h``,
  ``g <- g e_g + c h tau_g (1 - e_g)``;
- an explicit Runge-Kutta method of order ``s`` (``s`` stages, ``s <= 4``) multiplies ``(g, h)`` by the first
  ``s + 1`` terms of the matrix exponential's series, as it does on any linear system.

>>> import brainbatch as bb
>>> import brainbatch.brainpy as bp
>>> syn = bp.dyn.Alpha(1, tau_decay=2.0, method="euler")
>>> with bb.environment(dt=0.5):
...     gs = [round(float(syn.update(1.0 if i == 0 else 0.0)[0]), 4) for i in range(4)]
>>> gs  # BrainPy 2.8.2: 0, 0.25, 0.375, 0.4219
[0.0, 0.25, 0.375, 0.4219]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ..core import share
from ..models.synapses import Alpha
from ._compat import RK_ORDER, method_name
from ._dualexp import PeakScaledDualExponential, peak_scale

__all__ = ["MethodPair", "MethodAlpha", "MethodDualExpon"]


class MethodPair:
    """Mixin for a synapse with Variables ``g`` and ``h``: ``update`` steps them by BrainPy's ``method=``.

    The synapse gives ``_pair_rates()`` -> ``(tau_g, c, tau_h)`` and, where its input is scaled, ``_input_scale()``.
    """

    _pair_order: int | None = None  # None: exponential Euler (exp_auto)

    def set_method(self, method: Any) -> None:
        name = method_name(method) if isinstance(method, str) else "exp_euler"
        self._pair_order = RK_ORDER.get(name)

    def _pair_rates(self) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    def _input_scale(self) -> Any:
        return 1.0

    def update(self, x: Any = None) -> jax.Array:
        dt = jnp.float32(share.dt)
        tau_g, c, tau_h = (jnp.asarray(v, jnp.float32) for v in self._pair_rates())
        g, h = self.g.value, self.h.value  # type: ignore[attr-defined]
        if self._pair_order is None:
            e_g, e_h = jnp.exp(-dt / tau_g), jnp.exp(-dt / tau_h)
            g_new, h_new = g * e_g + c * h * tau_g * (1.0 - e_g), h * e_h
        else:  # sum of (M dt)^k / k! (g, h), M = [[-1/tau_g, c], [0, -1/tau_h]]
            a, b, d = -dt / tau_g, c * dt, -dt / tau_h
            tg, th = g, h
            g_new, h_new = g, h
            for k in range(1, self._pair_order + 1):
                tg, th = (a * tg + b * th) / k, d * th / k
                g_new, h_new = g_new + tg, h_new + th
        self.g.value = g_new  # type: ignore[attr-defined]
        self.h.value = h_new if x is None else h_new + x * self._input_scale()  # type: ignore[attr-defined]
        return self.g.value  # type: ignore[attr-defined]


class MethodAlpha(MethodPair, Alpha):
    """brainbatch's ``Alpha`` stepped by a BrainPy ``method`` (BrainPy's ``dg/dt = (-g + h) / tau``)."""

    def _pair_rates(self) -> tuple[Any, Any, Any]:
        tau = jnp.asarray(self.tau, jnp.float32)
        return tau, 1.0 / tau, tau


class MethodDualExpon(MethodPair, PeakScaledDualExponential):
    """BrainPy 2.5+'s peak-scaled dual exponential stepped by a BrainPy ``method`` (``dg/dt = -g / tau_decay + h``)."""

    def _pair_rates(self) -> tuple[Any, Any, Any]:
        return self.tau_decay, 1.0, self.tau_rise

    def _input_scale(self) -> Any:
        return peak_scale(self.tau_rise, self.tau_decay, self.A)
