"""``QuaIF``: the quadratic integrate-and-fire group (BrainPy's ``QuaIF`` defaults)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u

from ...core.initializers import Constant
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import check_initializer
from ._refractory import VoltageIF

__all__ = ["QuaIF"]


class QuaIF(VoltageIF):
    r"""Quadratic integrate-and-fire neurons (Latham et al. 2000).

    ::

        tau * dV/dt = c * (V - V_rest) * (V - V_c) + R * I(t)
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th:  V = V_reset

    Defaults are BrainPy 2.8.2's ``QuaIF`` (``brainpy/dyn/neurons/lif.py``: ``V_th`` -30, ``V_c`` -50,
    ``c`` 0.07 /mV), except that V starts at ``V_rest``'s default, -65 mV (BrainPy's at 0 mV, above
    threshold; ``brainbatch.brainpy``'s ``QuaIF`` does as BrainPy). ``tau_ref`` (ms) adds BrainPy's
    refractory period (``QuaIFRef``; ``_refractory.py``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import QuaIF
    >>> g = QuaIF(1)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 20.), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> int(spikes.sum())
    6
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_reset": u.mV, "V_th": u.mV, "V_c": u.mV, "c": u.mV**-1,
                   "R": u.UNITLESS, "tau": u.ms, "V_initializer": u.mV, "tau_ref": u.ms,
                   "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -30.0, V_c: Any = -50.0, c: Any = 0.07, R: Any = 1.0, tau: Any = 10.0,
                 V_initializer: Any = Constant(-65.0), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th = self.param("V_th", V_th)
        self.V_c = self.param("V_c", V_c)
        self.c = self.param("c", c)
        self.R = self.param("R", R)
        self.tau = self.param("tau", tau, positive=True)
        self.set_tau_ref(tau_ref)
        self.set_noise(noise)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self.reset_state()

    def derivative(self, V: jax.Array, t: Any, I_ext: jax.Array) -> jax.Array:
        I = I_ext + self.sum_current_inputs(V)
        return (self.c * (V - self.V_rest) * (V - self.V_c) + self.R * I) / self.tau
