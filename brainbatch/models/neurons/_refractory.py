"""BrainPy's refractory rule for the ``*Ref`` neurons: V is held while ``t - t_last_spike <= tau_ref``.

The models that take ``tau_ref`` (``ExpIF``, ``QuaIF``, ``AdQuaIF``, ``GIF``, ``AdEx``, ``Izhikevich``)
share it. It is BrainPy 2.8's ``*RefLTC.update`` (``brainpy/dyn/neurons/lif.py``), not ``LifRef``'s
Brian2 rule: every state is integrated; then, in a step whose start time ``t`` has
``t - t_last_spike <= tau_ref``, V is put back to its value at the start of the step (so whatever was
written into V earlier in the step, a ``PoissonInput`` or ``Delta`` onto V, stays; what the
integration and the delta inputs added is dropped); the other states (``w``, ``u``, ``I1``...) go on.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ...core import share
from ...core.variable import NO_STEP, Variable, mark_step_index
from ._base import SpikingNeuron

__all__ = ["HeldRefractory", "VoltageIF", "AdaptiveIF", "init_spike_clock", "brainpy_refractory", "NO_SPIKE"]

#: ``i_last_spike`` before any spike: far enough back for any refractory period, and ``i - NO_SPIKE``
#: stays inside int32 for runs of up to 2^30 steps.
NO_SPIKE = NO_STEP


def init_spike_clock(node: Any, batch_size: int | None = None) -> None:
    """The refractory state every refractory group keeps (``LifRef`` and the ``HeldRefractory`` ones):
    ``t_last_spike``, ``i_last_spike`` (the step index the rules count with) and ``refractory``."""
    node.init_variable("t_last_spike", -1e7, batch_size=batch_size, units="ms",
                       description="start time of the step of the last spike (-1e7: none yet)")
    node.init_variable("i_last_spike", NO_SPIKE, batch_size=batch_size, dtype=jnp.int32, units="1",
                       description=f"step index of the last spike (between runs: from the run's end; {NO_SPIKE}: none yet)")
    mark_step_index(node.i_last_spike)  # between runs: counted from the end of the last run
    node.init_variable("refractory", False, batch_size=batch_size, dtype=jnp.bool_, units="1",
                       description="refractory in this step, or spiked in it")


def _batch_size(V: Variable) -> int | None:
    """The batch size of a group whose ``V`` is ``V`` (None: not batched)."""
    axis = V.batch_axis
    return None if axis is None else int(jnp.shape(V.value)[axis])


#: ``tau_ref / dt`` is counted in whole steps; a quotient within this of a whole number is that number
#: (5 / 0.1 is 49.99999 in float32: BrainPy's ``t - t_last_spike <= tau_ref`` has the same boundary
#: with exact times, and its float32 times decide it one way or the other by rounding)
_STEP_SLACK = 1e-3


def brainpy_refractory(t_last_spike: jax.Array, tau_ref: Any) -> jax.Array:
    """BrainPy's ``(t - t_last_spike) <= tau_ref`` in float32, ``t`` the step's time (``share.t``).

    A runner that computes ``t`` before the steps (``context.step_times``: BrainPy's ``DSRunner``) gives
    every step BrainPy's rounded ``t``; the difference is then BrainPy's, bit for bit.
    """
    t = jnp.asarray(share.t, jnp.float32)
    return (t - t_last_spike) <= jnp.asarray(tau_ref, jnp.float32)


class HeldRefractory(SpikingNeuron):
    """Base of the neurons with an optional BrainPy refractory period (``tau_ref=None``: none at all).

    ``tau_ref`` (ms) set: the group also has ``t_last_spike`` (ms, start time of the spike's step),
    ``i_last_spike`` (its step index: the clock the rule counts with, exact for any run length) and
    ``refractory`` (BrainPy's ``ref_var``: refractory in this step or spiked in it). A neuron that
    spikes in step ``s`` has V held in steps ``s+1 .. s+n``, ``n = floor(tau_ref / dt)`` with the quotient
    taken as a whole number when within ``_STEP_SLACK`` of one (0.3 / 0.1 is 3 steps, not float64's
    2.9999999999999996); ``tau_ref = 0`` holds nothing, as in BrainPy.

    ``_brainpy_clock = True`` (the ``brainbatch.brainpy`` classes) tests BrainPy's own float32 times
    instead: held while ``t - t_last_spike <= tau_ref``, with ``t`` the step's float32 time. Those times
    round, so now and then a period ends a step early (``n - 1`` held steps), exactly where BrainPy's does.
    """

    #: False: count whole steps (exact for any run length); True: BrainPy's float32 time comparison
    _brainpy_clock = False

    V: Variable
    t_last_spike: Variable
    i_last_spike: Variable
    refractory: Variable

    @property
    def tau_ref(self) -> Any:
        """The refractory period (ms), or None: a group without refractory state."""
        return self.__dict__.get("tau_ref")

    @tau_ref.setter
    def tau_ref(self, value: Any) -> None:
        # kept in the instance's dict under its own name, where a run looks for the plain attributes that
        # changed since the last run (core/graph.py ``parameters``)
        self.__dict__["tau_ref"] = value
        if value is not None and "V" in self.__dict__ and "t_last_spike" not in self.__dict__:
            # a group made without a refractory period (BrainPy's ExpIF, Izhikevich... at tau_ref=0), given
            # one afterwards (``neu.tau_ref = 2.``, as BrainPy scripts set parameters): it needs the state the
            # rule keeps, which reset_state made only for a period given when the group was made (a step
            # then failed with KeyError: 't_last_spike')
            init_spike_clock(self, _batch_size(self.V))

    def set_tau_ref(self, tau_ref: Any) -> None:
        """``tau_ref`` checked (ms, >= 0), or None for a group without refractory state."""
        self.tau_ref = None if tau_ref is None else self.param("tau_ref", tau_ref, nonnegative=True)

    def init_refractory(self, batch_size: int | None = None) -> None:
        """The refractory state (nothing when ``tau_ref`` is None); call it from ``reset_state``."""
        if self.tau_ref is not None:
            init_spike_clock(self, batch_size)

    def hold_V(self, V: jax.Array) -> tuple[jax.Array, Any]:
        """V after this step's integration, put back to the step's start value where refractory."""
        if self.tau_ref is None:
            return V, None
        if self._brainpy_clock:
            refractory = brainpy_refractory(self.t_last_spike.value, self.tau_ref)
        else:
            n_hold = jnp.floor(jnp.asarray(self.tau_ref, jnp.float32) / share.dt + _STEP_SLACK).astype(jnp.int32)
            refractory = (jnp.asarray(share.i, jnp.int32) - self.i_last_spike.value) <= n_hold
        return jnp.where(refractory, self.V.value, V), refractory

    def note_spikes(self, spike: jax.Array, refractory: Any) -> None:
        """Record this step's spikes in the refractory state (after the reset)."""
        if self.tau_ref is None:
            return
        self.t_last_spike.value = jnp.where(spike, share.t, self.t_last_spike.value)
        self.i_last_spike.value = jnp.where(spike, jnp.asarray(share.i, jnp.int32), self.i_last_spike.value)
        self.refractory.value = jnp.logical_or(refractory, spike)


class VoltageIF(HeldRefractory):
    """An integrate-and-fire group whose only state is ``V`` (ExpIF, QuaIF): a subclass gives
    ``derivative(V, t, I_ext)`` and ``V_reset``/``V_th``; the step is BrainPy's (integrate, add the
    membrane noise if any and delta inputs, hold V while refractory, spike at ``V >= V_th``, reset)."""

    V_reset: Any
    V_th: Any
    _V_initializer: Any

    def derivative(self, V: jax.Array, t: Any, I_ext: jax.Array) -> jax.Array:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement derivative(V, t, I_ext)")

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                           description="membrane potential")
        self.init_input_and_spike(batch_size)
        self.init_refractory(batch_size)

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V = self.membrane_noise(self.integrate(self.derivative, self.V.value, self.input.value))
        V, refractory = self.hold_V(V + self.sum_delta_inputs())
        spike = V >= self.V_th
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.spike.value = spike
        self.note_spikes(spike, refractory)
        return spike


class AdaptiveIF(HeldRefractory):
    """An integrate-and-fire group with an adaptation current ``w`` (AdEx, AdQuaIF): a subclass gives
    ``derivative((V, w), t, I_ext)``, ``V_reset``, ``V_th`` and the jump ``b``; the step is BrainPy's
    (integrate both, add delta inputs to V, hold V while refractory, spike at ``V >= V_th``: V reset,
    ``w += b``)."""

    V_reset: Any
    V_th: Any
    b: Any
    w: Variable

    def derivative(self, y: tuple, t: Any, I_ext: jax.Array) -> tuple:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement derivative((V, w), t, I_ext)")

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        V, w = self.integrate(self.derivative, (self.V.value, self.w.value), self.input.value)
        V, refractory = self.hold_V(self.membrane_noise(V) + self.sum_delta_inputs())
        spike = V >= self.V_th
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.w.value = jnp.where(spike, w + self.b, w)
        self.spike.value = spike
        self.note_spikes(spike, refractory)
        return spike
