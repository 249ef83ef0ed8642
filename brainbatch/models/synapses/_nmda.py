"""``NMDA`` synapse (saturating, with a rise variable) and the ``MgBlock`` output (BrainPy 2.8.2's
``bp.dyn.NMDA`` and ``bp.dyn.MgBlock``; Wang 2002's NMDA current)."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...core.checks import is_bool, is_traced, refuse_beyond_float32
from ...core.modes import Mode
from ...core.units import to_convention
from ...core.variable import Variable
from ._base import AbstractSynapse, check_time_constant
from ._outputs import AbstractOutput

__all__ = ["NMDA", "MgBlock"]


class NMDA(AbstractSynapse):
    r"""NMDA receptor gating (BrainPy's ``NMDA``)::

        dg/dt = -g / tau_decay + a x (1 - g)        (g saturates at 1)
        dx/dt = -x / tau_rise;  a spike adds its weight to x

    Each step, as BrainPy 2.8.2: g and x advance together over dt (exponential Euler, g linearised
    with the x of the step start; x decays exactly), then the delivered input is added to x. Because
    g saturates, a projection must keep one NMDA state per *presynaptic* neuron (Wang 2002):
    ``AlignPreProjection`` does, and sums ``w * g`` over each neuron's synapses.

    Args:
        tau_decay, tau_rise: ms (defaults 100, 2). a: 1/ms (0.5).
        size: the group it lives on; left out when a projection attaches it.

    >>> import brainbatch as bb
    >>> syn = NMDA(size=1)
    >>> with bb.environment(dt=0.1):
    ...     gs = [float(syn.update(1.0 if i == 0 else 0.0)[0]) for i in range(200)]
    >>> round(max(gs), 3), gs.index(max(gs))   # the peak of g after one spike, and its step
    (0.601, 71)
    """

    # made by reset_state (init_variable): declared for the type checker only
    x: Variable
    pre_only = True  # g saturates: one state per presynaptic neuron (AlignPreProjection; Projection refuses it)

    param_units = {"tau_decay": u.ms, "tau_rise": u.ms, "a": u.ms ** -1}  # a Unit (1 / u.ms is a Quantity)
    #: the gating and rise variables are fractions whatever the weight's unit
    state_units = {"g": "1", "x": "1"}

    def __init__(self, tau_decay: Any = 100.0, tau_rise: Any = 2.0, a: Any = 0.5, size: Any = None,
                 keep_size: bool = False, name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.tau_decay = check_time_constant("tau_decay", tau_decay)
        self.tau_rise = check_time_constant("tau_rise", tau_rise)
        if is_bool(a) or isinstance(a, str) or a is None:
            raise TypeError(f"a must be a rate in 1/ms (a number or array), got {a!r}")
        if not is_traced(a) and not np.all(np.isfinite(np.asarray(a, np.float64)) & (np.asarray(a, np.float64) >= 0)):
            raise ValueError(f"a must be a finite rate >= 0 (1/ms), got {a!r}")
        if not is_traced(a):
            refuse_beyond_float32("a", np.asarray(a, np.float64), a)  # 1e40 is inf in the float32 model
        self.a = a
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g", batch_size, "NMDA gating variable (open fraction, saturates at 1)")
        self.state_var("x", batch_size, "NMDA rise variable that spikes add to")

    def update(self, x: Any = None) -> jax.Array:
        dt = jnp.float32(share.dt)
        a = jnp.asarray(self.a, jnp.float32)
        g, rise = self.g.value, self.x.value
        A = -1.0 / jnp.asarray(self.tau_decay, jnp.float32) - a * rise  # d(dg/dt)/dg < 0: no 0/0
        f = -g / jnp.asarray(self.tau_decay, jnp.float32) + a * rise * (1.0 - g)
        self.g.value = g + f * jnp.expm1(A * dt) / A
        rise = rise * self.decay(self.tau_rise, share.dt)
        self.x.value = rise if x is None else rise + x
        return self.g.value


class MgBlock(AbstractOutput):
    r"""Conductance output with the magnesium block of NMDA channels (BrainPy's ``MgBlock``)::

        I = g (E - V) / (1 + cc_Mg / beta * exp(alpha (V_offset - V)))

    Args:
        E: reversal potential (mV, 0). cc_Mg: extracellular Mg2+ (mM, 1.2). alpha: 1/mV (0.062).
        beta: mM (3.57). V_offset: mV (0).

    >>> round(float(MgBlock(E=0., cc_Mg=1.).current(1.0, -60.0)), 3)   # 60 / (1 + exp(3.72) / 3.57)
    4.778
    """

    def __init__(self, E: Any = 0.0, cc_Mg: Any = 1.2, alpha: Any = 0.062, beta: Any = 3.57, V_offset: Any = 0.0):
        E = to_convention("E", E, u.mV, "MgBlock")
        V_offset = to_convention("V_offset", V_offset, u.mV, "MgBlock")
        # quantities as a model's parameters take them (docs/units.md): Mg2+ and beta concentrations, alpha per mV.
        # Not strict: their defaults are no zeros, and BrainPy's subclasses pass them on as bare numbers
        cc_Mg = to_convention("cc_Mg", cc_Mg, u.mM, "MgBlock", strict=False)
        alpha = to_convention("alpha", alpha, u.mV ** -1, "MgBlock", strict=False)
        beta = to_convention("beta", beta, u.mM, "MgBlock", strict=False)
        for name, value in (("E", E), ("cc_Mg", cc_Mg), ("alpha", alpha), ("beta", beta), ("V_offset", V_offset)):
            if is_bool(value) or isinstance(value, str) or value is None:
                raise TypeError(f"MgBlock: {name} must be a number or an array, got {value!r}")
            if not is_traced(value) and not np.all(np.isfinite(np.asarray(value, np.float64))):
                raise ValueError(f"MgBlock: {name} must be finite, got {value!r}")
        if not is_traced(beta) and not np.all(np.asarray(beta, np.float64) > 0):
            raise ValueError(f"MgBlock: beta must be > 0 (mM), got {beta!r}")
        for name, value in (("cc_Mg", cc_Mg), ("alpha", alpha)):  # a negative one turns the block into a boost
            if not is_traced(value) and not np.all(np.asarray(value, np.float64) >= 0):
                raise ValueError(f"MgBlock: {name} must be >= 0, got {value!r}")
        self.E, self.cc_Mg, self.alpha, self.beta, self.V_offset = E, cc_Mg, alpha, beta, V_offset

    def current(self, g: jax.Array, V: jax.Array | None) -> jax.Array:
        if V is None:
            raise ValueError("MgBlock needs the membrane potential: the group must call sum_current_inputs(V)")
        block = 1.0 + self.cc_Mg / self.beta * jnp.exp(self.alpha * (self.V_offset - V))
        return g * (self.E - V) / block
