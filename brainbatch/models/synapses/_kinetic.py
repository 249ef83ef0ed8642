"""Kinetic (Markov) receptor synapses: ``AMPA``, ``GABAa`` and ``BioNMDA`` (Destexhe, Mainen & Sejnowski 1994;
BrainPy 2.8.2's ``bp.dyn.AMPA``, ``bp.dyn.GABAa`` and ``bp.dyn.BioNMDA``).

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
from ...core.checks import is_bool, is_traced, refuse_beyond_float32
from ...core.modes import Mode
from ...core.variable import NO_STEP, Variable, mark_step_index
from ._base import AbstractSynapse, check_time_constant

__all__ = ["AMPA", "GABAa", "BioNMDA"]


def _nonnegative(name: str, value: Any, unit: str) -> Any:
    if is_bool(value) or isinstance(value, str) or value is None:
        raise TypeError(f"{name} must be a number >= 0 ({unit}), got {value!r}")
    if not is_traced(value) and not np.all(np.isfinite(arr := np.asarray(value, np.float64)) & (arr >= 0)):
        raise ValueError(f"{name} must be a finite number >= 0 ({unit}), got {value!r}")
    if not is_traced(value):
        refuse_beyond_float32(name, np.asarray(value, np.float64), value)  # 1e40 is inf in the float32 model
    return value


#: the step index of "no spike yet": far enough back that no pulse is on
_NO_SPIKE = NO_STEP


def _pulsed_state(syn: AbstractSynapse, batch_size: int | None) -> None:
    """``g``, and the time and step of the last spike, which starts the transmitter pulse."""
    syn.state_var("g", batch_size, f"{type(syn).__name__} open fraction of the receptors")
    syn.init_variable("spike_arrival_time", -1e7, shape=syn.varshape, batch_size=batch_size, dims=syn._dims,
                      units="ms", description="time of the last presynaptic spike (-1e7: none yet)")
    arrival = syn.init_variable("i_arrival", _NO_SPIKE, shape=syn.varshape, batch_size=batch_size, dims=syn._dims,
                                dtype=jnp.int32, units="1",
                                description=f"step index of the last presynaptic spike (between runs: from the run's end; {_NO_SPIKE}: none yet)")
    mark_step_index(arrival)  # between runs: counted from the end of the last run


def _transmitter(syn: Any, x: Any) -> jax.Array:
    """This step's transmitter concentration: ``T`` within ``T_duration`` ms of the last spike (a spike
    delivered now, ``x > 0``, restarts the pulse at this step), else 0.

    The pulse is counted in steps: on while ``(i - i_arrival) * dt < T_duration`` (float32). Compared on times,
    ``t - spike_arrival_time``, a pulse of a whole number of steps (``T_duration`` 0.5 at ``dt`` 0.1) ends on a
    tie that float rounding decides, and XLA fused ``t0 + i * dt`` into the subtraction in some programs and not
    in others: a lane of a vmapped batch lasted a step less than the same run alone. Counted in steps, every
    pulse lasts the same number of steps, wherever it starts and however the program is compiled.
    """
    i = jnp.asarray(share.i, jnp.int32)
    if x is not None:
        spike = jnp.asarray(x) > 0
        syn.spike_arrival_time.value = jnp.where(spike, share.t, syn.spike_arrival_time.value)
        syn.i_arrival.value = jnp.where(spike, i, syn.i_arrival.value)
    since = (i - syn.i_arrival.value).astype(jnp.float32) * jnp.float32(share.dt)
    return (since < jnp.asarray(syn.T_duration, jnp.float32)) * jnp.asarray(syn.T, jnp.float32)


class AMPA(AbstractSynapse):
    r"""AMPA receptor kinetics::

        dg/dt = alpha T (1 - g) - beta g,    T = T for T_duration ms after a spike, else 0

    Each step, as BrainPy 2.8.2's exponential Euler (exact here: with ``T`` fixed over the step the
    equation is linear in ``g``): a spike arriving in the step restarts the transmitter pulse, which lasts
    the steps ``k`` with ``k dt < T_duration`` (5 steps for 0.5 ms at dt 0.1), then ``g`` advances over ``dt``. The input's size does not matter, only whether a
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
    i_arrival: Variable

    param_units = {"alpha": u.mM ** -1 * u.ms ** -1, "beta": u.ms ** -1, "T": u.mM, "T_duration": u.ms}
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
        _pulsed_state(self, batch_size)

    def update(self, x: Any = None) -> jax.Array:
        dt = jnp.float32(share.dt)
        alpha_T = _transmitter(self, x) * jnp.asarray(self.alpha, jnp.float32)
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


class BioNMDA(AbstractSynapse):
    r"""NMDA receptor kinetics of second order (BrainPy's ``BioNMDA``; use it with ``bb.MgBlock``)::

        dg/dt = alpha1 x (1 - g) - beta1 g
        dx/dt = alpha2 T (1 - x) - beta2 x,    T = T for T_duration ms after a spike, else 0

    Each step, as BrainPy 2.8.2's exponential Euler on the joint equation: ``g`` and ``x`` advance together
    over ``dt``, each linearised with the other's value at the step's start (``x`` exactly: its equation is
    linear).

    Args:
        alpha1: 1/ms (2). beta1: 1/ms (0.01). alpha2: 1/(mM ms) (1). beta2: 1/ms (0.5). T: mM (1).
        T_duration: ms (0.5). size: the group it lives on; left out when a projection attaches it.

    >>> import brainbatch as bb
    >>> syn = BioNMDA(size=1)
    >>> with bb.environment(dt=0.1):
    ...     gs = [float(syn.step_run(i, 1.0 if i == 0 else 0.0)[0]) for i in range(100)]
    >>> round(max(gs), 3), gs.index(max(gs))   # a slow rise and a slower decay (beta1 = 0.01 / ms)
    (0.754, 67)
    """

    # made by reset_state (init_variable): declared for the type checker only
    x: Variable
    spike_arrival_time: Variable
    i_arrival: Variable

    param_units = {"alpha1": u.ms ** -1, "beta1": u.ms ** -1, "alpha2": u.mM ** -1 * u.ms ** -1, "beta2": u.ms ** -1,
                   "T": u.mM, "T_duration": u.ms}
    state_units = {"g": "1", "x": "1", "spike_arrival_time": "ms"}
    pre_only = True  # g saturates, as AMPA's

    def __init__(self, alpha1: Any = 2.0, beta1: Any = 0.01, alpha2: Any = 1.0, beta2: Any = 0.5, T: Any = 1.0,
                 T_duration: Any = 0.5, size: Any = None, keep_size: bool = False, name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.alpha1 = _nonnegative("alpha1", alpha1, "1/ms")
        self.beta1 = _nonnegative("beta1", beta1, "1/ms")
        self.alpha2 = _nonnegative("alpha2", alpha2, "1/(mM ms)")
        self.beta2 = _nonnegative("beta2", beta2, "1/ms")
        self.T = _nonnegative("T", T, "mM")
        self.T_duration = check_time_constant("T_duration", T_duration)
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        _pulsed_state(self, batch_size)
        self.state_var("x", batch_size, "BioNMDA transmitter-bound fraction that drives g")

    def update(self, x: Any = None) -> jax.Array:
        dt = jnp.float32(share.dt)
        alpha_T = _transmitter(self, x) * jnp.asarray(self.alpha2, jnp.float32)
        alpha1, beta1 = jnp.asarray(self.alpha1, jnp.float32), jnp.asarray(self.beta1, jnp.float32)
        g, bound = self.g.value, self.x.value
        # exponential Euler: y + f(y) (exp(A dt) - 1) / A with A = df/dy < 0 (0/0 guarded where A is 0)
        A_g = -(alpha1 * bound + beta1)
        f_g = alpha1 * bound * (1.0 - g) - beta1 * g
        self.g.value = g + f_g * jnp.where(A_g < 0, jnp.expm1(A_g * dt) / jnp.where(A_g < 0, A_g, -1.0), dt)
        beta2 = jnp.asarray(self.beta2, jnp.float32)
        A_x = -(alpha_T + beta2)
        f_x = alpha_T * (1.0 - bound) - beta2 * bound
        self.x.value = bound + f_x * jnp.where(A_x < 0, jnp.expm1(A_x * dt) / jnp.where(A_x < 0, A_x, -1.0), dt)
        return self.g.value
