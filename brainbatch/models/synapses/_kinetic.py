"""Kinetic (Markov) receptor synapses: ``AMPA`` and ``GABAa`` (Destexhe, Mainen & Sejnowski 1994; BrainPy
2.8.2's ``bp.dyn.AMPA`` and ``bp.dyn.GABAa``).

The open fraction ``g`` follows ``dg/dt = alpha T (1 - g) - beta g``, where the transmitter concentration is
``T`` for ``T_duration`` ms after each presynaptic spike and 0 otherwise. ``g`` saturates, so a projection
keeps one state per presynaptic neuron (``AlignPreProjection``), as for ``NMDA``.
"""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...core.checks import is_bool, is_traced
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import AbstractSynapse, check_time_constant

__all__ = ["AMPA", "GABAa"]


def _nonnegative(name: str, value: Any, unit: str) -> Any:
    if is_bool(value) or isinstance(value, str) or value is None:
        raise TypeError(f"{name} must be a number >= 0 ({unit}), got {value!r}")
    if not is_traced(value) and not np.all(np.asarray(value, np.float64) >= 0):
        raise ValueError(f"{name} must be a finite number >= 0 ({unit}), got {value!r}")
    return value


class AMPA(AbstractSynapse):
    r"""AMPA receptor kinetics::

        dg/dt = alpha T (1 - g) - beta g,    T = T for T_duration ms after a spike, else 0

    Each step, as BrainPy 2.8.2's exponential Euler (exact here: with ``T`` fixed over the step the
    equation is linear in ``g``): a spike arriving in the step restarts the transmitter pulse at the
    step's time ``t``, then ``g`` advances over ``dt``. The input's size does not matter, only whether a
    spike arrived (> 0): a weight scales the current the projection sums, ``w * g`` over synapses.

    Args:
        alpha: binding rate, 1/(mM ms) (0.98). beta: unbinding rate, 1/ms (0.18).
        T: transmitter concentration during a pulse, mM (0.5). T_duration: pulse length, ms (0.5).
        size: the group it lives on; left out when a projection attaches it.

    >>> import brainbatch as bb
    >>> syn = AMPA(size=1)
    >>> with bb.environment(dt=0.1):
    ...     gs = [float(syn.step_run(i, 1.0 if i == 0 else 0.0)[0]) for i in range(100)]
    >>> round(max(gs), 4), gs.index(max(gs))   # g rises during the 0.5 ms pulse (5 steps), then decays with beta
    (0.2082, 4)
    """

    # made by reset_state (init_variable): declared for the type checker only
    spike_arrival_time: Variable

    param_units = {"beta": u.ms ** -1, "T": u.mM, "T_duration": u.ms}  # alpha: 1 / (mM ms)
    #: the open fraction is a fraction whatever the weight's unit; the pulse's start is a time
    state_units = {"g": "1", "spike_arrival_time": "ms"}
    #: ``g`` saturates: the state must be one per presynaptic neuron (``Projection`` refuses it)
    pre_only = True

    def __init__(self, alpha: Any = 0.98, beta: Any = 0.18, T: Any = 0.5, T_duration: Any = 0.5, size: Any = None,
                 keep_size: bool = False, name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.alpha = _nonnegative("alpha", alpha, "1/(mM ms)")
        self.beta = _nonnegative("beta", beta, "1/ms")
        self.T = _nonnegative("T", T, "mM")
        self.T_duration = check_time_constant("T_duration", T_duration)
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g", batch_size, f"{type(self).__name__} open fraction of the receptors")
        self.init_variable("spike_arrival_time", -1e7, shape=self.varshape, batch_size=batch_size, dims=self._dims,
                           units="ms", description="time of the last presynaptic spike (-1e7: none yet)")

    def update(self, x: Any = None) -> jax.Array:
        t, dt = share.t, jnp.float32(share.dt)
        if x is not None:
            self.spike_arrival_time.value = jnp.where(jnp.asarray(x) > 0, t, self.spike_arrival_time.value)
        pulse = (t - self.spike_arrival_time.value) < jnp.asarray(self.T_duration, jnp.float32)
        alpha_T = pulse * jnp.asarray(self.alpha, jnp.float32) * jnp.asarray(self.T, jnp.float32)
        rate = alpha_T + jnp.asarray(self.beta, jnp.float32)
        g_inf = alpha_T / jnp.where(rate > 0, rate, 1.0)  # beta = 0 and no pulse: g stays
        g = self.g.value
        self.g.value = g_inf + (g - g_inf) * jnp.exp(-rate * dt)
        return self.g.value


class GABAa(AMPA):
    """GABA-A receptor kinetics: ``AMPA``'s equation with ``alpha=0.53``, ``beta=0.18``, ``T=1``,
    ``T_duration=1`` (Destexhe & Paré 1999); use it with a reversal potential near -80 mV
    (``bb.COBA(E=-80.)``).

    >>> round(GABAa(size=1).alpha, 2)
    0.53
    """

    def __init__(self, alpha: Any = 0.53, beta: Any = 0.18, T: Any = 1.0, T_duration: Any = 1.0, size: Any = None,
                 keep_size: bool = False, name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(alpha=alpha, beta=beta, T=T, T_duration=T_duration, size=size, keep_size=keep_size,
                         name=name, mode=mode)
