"""``ExpIF``: the exponential integrate-and-fire group (BrainPy's ``ExpIF`` defaults)."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Constant
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import check_initializer
from ._refractory import VoltageIF

__all__ = ["ExpIF", "exp_drive"]

# exp() of more than this many slope factors is cut off, as in AdEx: it only happens above threshold,
# within the step that resets the neuron, and keeps exponential Euler finite instead of inf/NaN.
_MAX_EXP_ARG = 30.0


def exp_drive(V: jax.Array, V_T: Any, delta_T: Any) -> jax.Array:
    """``delta_T exp((V - V_T) / delta_T)``, the spike-initiation current of ExpIF (argument cut at 30)."""
    return delta_T * jnp.exp(jnp.minimum((V - V_T) / delta_T, _MAX_EXP_ARG))


class ExpIF(VoltageIF):
    r"""Exponential integrate-and-fire neurons (Fourcaud-Trocmé et al. 2003).

    ::

        tau * dV/dt = -(V - V_rest) + delta_T * exp((V - V_T) / delta_T) + R * I(t)
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike = V >= V_th:  V = V_reset

    Defaults are BrainPy 2.8.2's ``ExpIF`` (``brainpy/dyn/neurons/lif.py``), except that V starts at
    ``V_rest``'s default, -65 mV, where BrainPy's starts at 0 mV, above threshold (every neuron
    spikes in its first step; ``brainbatch.brainpy``'s ``ExpIF`` does, as BrainPy). ``tau_ref`` (ms)
    adds BrainPy's refractory period (``ExpIFRef``): V is held for ``tau_ref / dt`` steps after a
    spike (``_refractory.py``).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import ExpIF
    >>> g = ExpIF(2, tau_ref=[0., 5.])
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 20.), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> spikes.sum(axis=0).tolist()  # the refractory neuron fires less often
    [15, 9]
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_reset": u.mV, "V_th": u.mV, "V_T": u.mV, "delta_T": u.mV,
                   "R": u.UNITLESS, "tau": u.ms, "V_initializer": u.mV, "tau_ref": u.ms,
                   "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -55.0, V_T: Any = -59.9, delta_T: Any = 3.48, R: Any = 1.0, tau: Any = 10.0,
                 V_initializer: Any = Constant(-65.0), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, tau_ref: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th = self.param("V_th", V_th)
        self.V_T = self.param("V_T", V_T)
        self.delta_T = self.param("delta_T", delta_T, positive=True)
        self.R = self.param("R", R)
        self.tau = self.param("tau", tau, positive=True)
        self.set_tau_ref(tau_ref)
        self.set_noise(noise)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self.reset_state()

    def derivative(self, V: jax.Array, t: Any, I_ext: jax.Array) -> jax.Array:
        I = I_ext + self.sum_current_inputs(V)
        return (-(V - self.V_rest) + exp_drive(V, self.V_T, self.delta_T) + self.R * I) / self.tau
