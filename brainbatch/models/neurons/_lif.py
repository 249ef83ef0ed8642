"""``LIF``: the leaky integrate-and-fire group (BrainPy's signature), without refractoriness."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ...core.initializers import Constant
from ...core.modes import Mode
from ._base import SpikingNeuron, check_initializer

__all__ = ["LIF"]


class LIF(SpikingNeuron):
    r"""Leaky integrate-and-fire neurons.

    Each step (from ``t`` to ``t + dt``)::

        tau * dV/dt = -(V - V_rest) + R * I(t),    I(t) = I_bias + input + sum_current_inputs(V)
        V += sum_delta_inputs()                    # right after integration
        spike = V >= V_th;  V = V_reset where spike

    ``sum_current_inputs`` receives ``V``, so a conductance input ``lambda V: g * (E - V)`` is part of
    the derivative and exponential Euler linearises it exactly. Parameters are scalars, per-neuron
    arrays or JAX values (a sweep may vmap over them). ``method`` is an integrator name
    (``"exp_euler"``, ``"euler"``, ``"rk2"``, ``"rk4"``). For a refractory period use ``LifRef``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import LIF
    >>> g = LIF(2, I_bias=25.)  # R * I = 25 mV above rest, 20 mV to threshold
    >>> spikes = bb.for_loop(lambda i: g.step_run(i), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> spikes.sum(axis=0).tolist()  # first after 10 ln(25/5) = 16.1 ms, then every 10 ln(30/5) = 17.9 ms
    [5, 5]
    """

    def __init__(self, size, keep_size: bool = False, V_rest: Any = 0.0, V_reset: Any = -5.0,
                 V_th: Any = 20.0, R: Any = 1.0, tau: Any = 10.0, V_initializer: Any = Constant(0.0),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None, *,
                 I_bias: Any = 0.0):
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th = self.param("V_th", V_th)
        self.R = self.param("R", R)
        self.tau = self.param("tau", tau, positive=True)
        self.I_bias = self.param("I_bias", I_bias)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                           description="membrane potential")
        self.init_input_and_spike(batch_size)

    def derivative(self, V: jax.Array, t: Any, I_ext: jax.Array) -> jax.Array:
        """dV/dt in mV/ms; ``I_ext`` is the ``input`` of this step."""
        I = self.I_bias + I_ext + self.sum_current_inputs(V)
        return (-(V - self.V_rest) + self.R * I) / self.tau

    def integrate_V(self) -> jax.Array:
        """V after this step's integration and delta inputs (before threshold and reset)."""
        V = self.integrate(self.derivative, self.V.value, self.input.value)
        return V + self.sum_delta_inputs()

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V = self.integrate_V()
        spike = V >= self.V_th
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.spike.value = spike
        return spike
