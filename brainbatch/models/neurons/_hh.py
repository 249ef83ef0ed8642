"""``HH``: the classic Hodgkin-Huxley squid-axon model (BrainPy's ``HH`` defaults)."""
from __future__ import annotations

from typing import Any

import numpy as np

import jax
import brainunit as u
import jax.numpy as jnp

from ...core.initializers import Uniform
from ...core.modes import Mode
from ...core.transforms import eager_exact
from ...core.variable import Variable
from ._base import SpikingNeuron, check_initializer

__all__ = ["HH"]


def _x_over_expm1(x: jax.Array, k: float) -> jax.Array:
    """``x / (1 - exp(-x / k))``, whose limit at x = 0 is ``k`` (the alpha_m, alpha_n removable 0/0)."""
    z = x / k
    small = jnp.abs(z) < 1e-4
    z_safe = jnp.where(small, 1.0, z)  # the unused branch stays finite, so gradients are too
    return k * jnp.where(small, 1.0 + z / 2, z_safe / -jnp.expm1(-z_safe))


def m_alpha(V: Any) -> Any:
    return 0.1 * _x_over_expm1(V + 40.0, 10.0)


def m_beta(V: Any) -> Any:
    return 4.0 * jnp.exp(-(V + 65.0) / 18.0)


def h_alpha(V: Any) -> Any:
    return 0.07 * jnp.exp(-(V + 65.0) / 20.0)


def h_beta(V: Any) -> Any:
    return 1.0 / (1.0 + jnp.exp(-(V + 35.0) / 10.0))


def n_alpha(V: Any) -> Any:
    return 0.01 * _x_over_expm1(V + 55.0, 10.0)


def n_beta(V: Any) -> Any:
    return 0.125 * jnp.exp(-(V + 65.0) / 80.0)


def _steady(alpha: Any, beta: Any) -> Any:
    return lambda V: alpha(V) / (alpha(V) + beta(V))


def _all_steady(V: Any) -> tuple:
    return _steady(m_alpha, m_beta)(V), _steady(h_alpha, h_beta)(V), _steady(n_alpha, n_beta)(V)


#: (m_inf, h_inf, n_inf) of V as one compiled program per shape outside a trace (a neuron being built),
#: bit for bit the values computed op by op (core.transforms.eager_exact); each x_inf alone likewise
_at_rest = eager_exact(_all_steady)


class HH(SpikingNeuron):
    r"""Hodgkin-Huxley neurons (rates in 1/ms, V in mV, conductances in mS/cm^2, C in uF/cm^2).

    ::

        C dV/dt = -gNa m^3 h (V - ENa) - gK n^4 (V - EK) - gL (V - EL) + I(t)
        dx/dt   = alpha_x(V) (1 - x) - beta_x(V) x          for x in m, h, n
        I(t) = input + sum_current_inputs(V);  V += sum_delta_inputs() after integration
        spike when V crosses V_th upward in a step (V_start < V_th <= V_end); there is no reset

    alpha_m = 0.1 (V+40) / (1 - exp(-(V+40)/10)),  beta_m = 4 exp(-(V+65)/18),
    alpha_h = 0.07 exp(-(V+65)/20),                beta_h = 1 / (1 + exp(-(V+35)/10)),
    alpha_n = 0.01 (V+55) / (1 - exp(-(V+55)/10)), beta_n = 0.125 exp(-(V+65)/80).
    Defaults are BrainPy's, including its gL = 0.03 (the classic value is 0.3): the resting
    potential is then about -70.7 mV instead of -65 mV. V starts uniform in [-70, -60) mV; m, h, n
    start at their steady state for that V unless initializers are given.

    ``noise`` (mV/sqrt(ms)): membrane noise, ``dV = f dt + noise dW`` on V only, as BrainPy's ``noise=``
    (Euler-Maruyama after the step's integration, drawn from the group's step key: ``MembraneNoise``).

    >>> import brainbatch as bb, jax, jax.numpy as jnp
    >>> from brainbatch.models.neurons import HH
    >>> g = HH(1, V_initializer=bb.Constant(-65.))
    >>> spikes = bb.for_loop(lambda i: g.step_run(i, 10.), jnp.arange(1000), dyn_vars=g)  # 100 ms
    >>> int(spikes.sum())  # tonic firing near 70 Hz under 10 uA/cm^2
    7
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    m: Variable
    h: Variable
    n: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"ENa": u.mV, "gNa": u.mS / u.cm**2, "EK": u.mV, "gK": u.mS / u.cm**2, "EL": u.mV,
                   "gL": u.mS / u.cm**2, "V_th": u.mV, "C": u.uF / u.cm**2, "V_initializer": u.mV,
                   "m_initializer": u.UNITLESS, "h_initializer": u.UNITLESS, "n_initializer": u.UNITLESS,
                   "noise": u.mV / u.ms ** 0.5}

    current_units = "uA/cm^2"

    def __init__(self, size: Any, keep_size: bool = False, ENa: Any = 50.0, gNa: Any = 120.0, EK: Any = -77.0,
                 gK: Any = 36.0, EL: Any = -54.387, gL: Any = 0.03, V_th: Any = 20.0, C: Any = 1.0,
                 V_initializer: Any = Uniform(-70.0, -60.0), m_initializer: Any = None,
                 h_initializer: Any = None, n_initializer: Any = None, method: str = "exp_euler",
                 name: str | None = None, mode: Mode | None = None, *, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.ENa = self.param("ENa", ENa)
        self.gNa = self.param("gNa", gNa, nonnegative=True)
        self.EK = self.param("EK", EK)
        self.gK = self.param("gK", gK, nonnegative=True)
        self.EL = self.param("EL", EL)
        self.gL = self.param("gL", gL, nonnegative=True)
        self.V_th = self.param("V_th", V_th)
        self.C = self.param("C", C, positive=True)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        self._gate_initializers = {
            "m": _gate_start("m_initializer", check_initializer("m_initializer", m_initializer, allow_none=True)),
            "h": _gate_start("h_initializer", check_initializer("h_initializer", h_initializer, allow_none=True)),
            "n": _gate_start("n_initializer", check_initializer("n_initializer", n_initializer, allow_none=True)),
        }
        self.set_noise(noise)
        self.reset_state()

    m_inf = staticmethod(eager_exact(_steady(m_alpha, m_beta)))
    h_inf = staticmethod(eager_exact(_steady(h_alpha, h_beta)))
    n_inf = staticmethod(eager_exact(_steady(n_alpha, n_beta)))

    def reset_state(self, batch_size: int | None = None) -> None:
        V = self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                               description="membrane potential")
        cls = type(self)
        if all(init is not None for init in self._gate_initializers.values()):  # `in` compares arrays with ==
            steady = {}
        elif (cls.m_inf, cls.h_inf, cls.n_inf) == (HH.m_inf, HH.h_inf, HH.n_inf):
            steady = dict(zip("mhn", _at_rest(V.value)))  # one program for the three gates
        else:
            steady = {"m": self.m_inf(V.value), "h": self.h_inf(V.value), "n": self.n_inf(V.value)}
        for gate, init in self._gate_initializers.items():
            self.init_variable(gate, steady[gate] if init is None else init, batch_size=batch_size,
                               units="1", description=f"{gate} gating variable (open fraction)")
        self.init_input_and_spike(batch_size)

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:
        V, m, h, n = y
        I_Na = self.gNa * m ** 3 * h * (V - self.ENa)
        I_K = self.gK * n ** 4 * (V - self.EK)
        I_L = self.gL * (V - self.EL)
        I = I_ext + self.sum_current_inputs(V)
        dV = (-I_Na - I_K - I_L + I) / self.C
        dm = m_alpha(V) * (1 - m) - m_beta(V) * m
        dh = h_alpha(V) * (1 - h) - h_beta(V) * h
        dn = n_alpha(V) * (1 - n) - n_beta(V) * n
        return dV, dm, dh, dn

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        y = (self.V.value, self.m.value, self.h.value, self.n.value)
        V, m, h, n = self.integrate(self.derivative, y, self.input.value)
        V = self.membrane_noise(V) + self.sum_delta_inputs()
        spike = jnp.logical_and(self.V.value < self.V_th, V >= self.V_th)
        self.V.value, self.m.value, self.h.value, self.n.value = V, m, h, n
        self.spike.value = spike
        return spike


def _gate_start(name: str, init: Any) -> Any:
    """A gate's start is an open fraction of channels, in [0, 1]: -1 drove V and the gates to inf/NaN within
    5 ms, 2 let m reach 1.42. Checked where it is known now (a number, an array, ``Constant``, ``Uniform``)."""
    from ...core.initializers import Constant, concrete_numbers

    if isinstance(init, Constant):
        values = [init.value]
    elif isinstance(init, Uniform):
        values = [init.min_val, init.max_val]
    elif isinstance(init, (int, float, np.ndarray)):
        values = [init]
    else:
        return init
    for value in values:
        arr = concrete_numbers(value)
        if arr is None:
            return init  # a traced value: its own checks apply
        if not np.all((arr >= 0) & (arr <= 1)):
            raise ValueError(f"{name} starts a gating variable, a fraction of open channels in [0, 1]; got {init!r}")
    return init
