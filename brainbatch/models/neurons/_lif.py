"""``LIF``: the leaky integrate-and-fire group (BrainPy's signature), without refractoriness."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core import Variable, share
from ...core.initializers import Constant
from ...core.units import UnitMismatch, given_unit
from ...integrators.exp_euler import _phi
from ...core.modes import Mode
from ._base import SpikingNeuron, check_initializer

__all__ = ["LIF"]


def _sum_other_currents(table: dict, V: Any) -> Any:
    """The current inputs that are not exponential currents (those are integrated in closed form)."""
    total = 0.0
    for fun in table.values():
        if getattr(fun, "exp_tau", None) is None:
            value = fun(V) if callable(fun) and not isinstance(fun, Variable) else fun
            total = total + (value.value if isinstance(value, Variable) else value)
    return total


class LIF(SpikingNeuron):
    r"""Leaky integrate-and-fire neurons.

    Each step (from ``t`` to ``t + dt``)::

        tau * dV/dt = -(V - V_rest) + R * I(t),    I(t) = I_bias + input + sum_current_inputs(V)
        V += sum_delta_inputs()                    # right after integration
        spike = V >= V_th;  V = V_reset where spike

    ``sum_current_inputs`` receives ``V``, so a conductance input ``lambda V: g * (E - V)`` is part of
    the derivative and exponential Euler linearises it exactly.

    ``method="exact"`` (NEST's ``iaf_psc_exp``, Brian2's ``exact``): the current of every
    ``Exponential`` synapse with a ``CUBA`` output decays within the step, and its contribution
    ``R g (dt/tau) e^{-dt/tau} phi(dt (1/tau - 1/tau_syn))`` (``phi(y) = expm1(y)/y``) is added exactly;
    the other inputs are held constant over the step, as with ``exp_euler``. Exponential Euler
    instead holds the synaptic current constant over the step: with ``tau_syn = 0.5 ms`` and
    ``dt = 0.1 ms`` that overestimates a PSP's peak by about 10 %.

    ``noise`` (mV/sqrt(ms), default None): membrane noise, ``dV = f dt + noise dW`` (Euler-Maruyama: after the
    step's integration V gets ``noise sqrt(dt) xi``, ``xi`` a standard normal from the group's step key,
    so every run and lane has its own; BrainPy's ``noise=``). A free membrane then fluctuates with
    variance ``noise^2 tau / 2``.

    ``C_m`` (pF): give it for currents in pA (NEST's units); then ``R = tau / C_m`` (GOhm) and ``R``
    must stay at its default. Parameters are scalars, per-neuron
    arrays or JAX values (a sweep may vmap over them). ``method`` is an integrator name
    (``"exp_euler"``, ``"euler"``, ``"rk2"``, ``"rk4"``, ... ``integrators.get_integrator``'s). For a refractory
    period use ``LifRef``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import LIF
    >>> g = LIF(2, I_bias=25.)  # R * I = 25 mV above rest, 20 mV to threshold
    >>> spikes = bb.for_loop(lambda i: g.step_run(i), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> spikes.sum(axis=0).tolist()  # first after 10 ln(25/5) = 16.1 ms, then every 10 ln(30/5) = 17.9 ms
    [5, 5]
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"V_rest": u.mV, "V_reset": u.mV, "V_th": u.mV, "R": u.UNITLESS, "tau": u.ms,
                   "V_initializer": u.mV, "I_bias": (u.mV, u.pA), "C_m": u.pF, "noise": u.mV / u.ms ** 0.5}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = 0.0, V_reset: Any = -5.0,
                 V_th: Any = 20.0, R: Any = 1.0, tau: Any = 10.0, V_initializer: Any = Constant(0.0),
                 method: str = "exp_euler", name: str | None = None, mode: Mode | None = None, *,
                 I_bias: Any = 0.0, C_m: Any = None, noise: Any = None) -> None:
        exact = method == "exact"
        super().__init__(size, keep_size=keep_size, method="exp_euler" if exact else method, name=name, mode=mode)
        self.method, self.exact = method, exact
        self.V_rest = self.param("V_rest", V_rest)
        self.V_reset = self.param("V_reset", V_reset)
        self.V_th = self.param("V_th", V_th)
        self.tau = self.param("tau", tau, positive=True)
        self.C_m = None if C_m is None else self.param("C_m", C_m, positive=True)
        if self.C_m is not None and not (isinstance(R, (int, float)) and R == 1.0):
            raise ValueError(f"give either C_m (then R = tau / C_m) or R, not both; got C_m={C_m!r}, R={R!r}")
        self.R = self.param("R", R) if self.C_m is None else self.tau / self.C_m
        if self.C_m is None and given_unit(self, "I_bias") is not None and u.get_dim(given_unit(self, "I_bias")) \
                == u.get_dim(u.pA):
            raise UnitMismatch(f"{type(self).__name__}: I_bias given as a current ({I_bias} pA) needs C_m (pF); "
                               "without C_m it is R * I in mV")
        if self.C_m is not None:
            # a current in pA: what its input holds, what a CUBA weight or a Delta onto input means
            self.current_units = "pA"
            if given_unit(self, "I_bias") is not None and u.get_dim(given_unit(self, "I_bias")) == u.get_dim(u.mV):
                if callable(I_bias):  # an initializer's fields cannot all be told apart as values to divide
                    raise UnitMismatch(f"{type(self).__name__}: I_bias as an initializer in mV with C_m: give its "
                                       f"values as currents (pA), or I_bias as a number or an array in mV")
                I_bias = I_bias / self.R  # given as R * I (mV): the current is that over R = tau / C_m (GOhm), in pA
        self.I_bias = self.param("I_bias", I_bias)
        self.set_noise(noise)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                           description="membrane potential")
        self.init_input_and_spike(batch_size)

    def derivative(self, V: jax.Array, t: Any, I_ext: jax.Array) -> jax.Array:
        """dV/dt in mV/ms; ``I_ext`` is the ``input`` of this step (with ``method="exact"`` without the
        exponential currents, which ``integrate_V`` adds in closed form)."""
        if self.exact:
            I = self.I_bias + I_ext + _sum_other_currents(self.current_inputs, V)
        else:
            I = self.I_bias + I_ext + self.sum_current_inputs(V)
        return (-(V - self.V_rest) + self.R * I) / self.tau

    def integrate_V(self) -> jax.Array:
        """V after this step's integration, noise and delta inputs (before threshold and reset)."""
        V = self.integrate(self.derivative, self.V.value, self.input.value)
        if self.exact:
            V = V + self._exact_synaptic_step()
        return self.membrane_noise(V) + self.sum_delta_inputs()

    def _exact_synaptic_step(self) -> Any:
        """What exponential currents ``g e^{-s/tau_syn}`` add to V over one step, in closed form.

        ``tau dV/dt = -(V - V_rest) + R g e^{-s/tau_syn}`` adds ``R g P`` with
        ``P = tau_syn / (tau_syn - tau) (e^{-dt/tau_syn} - e^{-dt/tau})``, written as
        ``(dt/tau) e^{-dt/tau} phi(y)``, ``y = dt (1/tau - 1/tau_syn)``: no cancellation when the two
        time constants are close, and the limit ``(dt/tau) e^{-dt/tau}`` when they are equal.
        """
        dt = jnp.float32(share.dt)
        tau = jnp.asarray(self.tau, jnp.float32)
        total = 0.0
        for fun in self.current_inputs.values():
            tau_syn = getattr(fun, "exp_tau", None)
            if tau_syn is None:
                continue
            y = dt * (1.0 / tau - 1.0 / jnp.asarray(tau_syn, jnp.float32))
            total = total + fun() * (dt / tau) * jnp.exp(-dt / tau) * _phi(y)
        return self.R * total

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V = self.integrate_V()
        spike = V >= self.V_th
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.spike.value = spike
        return spike
