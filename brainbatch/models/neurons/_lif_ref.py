"""``LifRef``: LIF with a refractory period during which V is clamped at ``V_reset``."""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ...core import share
from ...core.initializers import Constant
from ...core.modes import Mode
from ...core.variable import Variable
from ._lif import LIF
from ._refractory import _STEP_SLACK, init_spike_clock

__all__ = ["LifRef"]




def _step_index() -> jax.Array:
    """The current step's index (``share.i``, set by ``step_run`` and the runner) as int32."""
    return jnp.asarray(share.i, jnp.int32)


class LifRef(LIF):
    r"""Leaky integrate-and-fire neurons with a refractory period, Brian2's rule to the step (docs/step-order.md).

    Same equation as ``LIF``: ``tau * dV/dt = -(V - V_rest) + R * I(t)`` with
    ``I(t) = I_bias + input + sum_current_inputs(V)``. A neuron that spikes in step ``s`` (its
    ``t_last_spike`` becomes that step's start time) is reset to ``V_reset`` and is refractory in the
    steps ``s+1 .. s+n-1`` with ``n = floor(tau_ref / dt)`` (the quotient taken as a whole number when it
    is within 1e-3 of one: Brian2's ``timestep(t - lastspike, dt) < timestep(tau_ref, dt)``, ``timestep(x, dt)
    = int(x / dt + 1e-3)``), integration resuming at step ``s+n``, so the interspike interval is ``tau_ref``
    (on the dt grid) plus the charging time. A ``tau_ref`` of whole steps (the usual case) has exactly
    ``tau_ref / dt`` steps; 0.27 ms at dt 0.1 ms has 2, as in Brian2. While refractory, V stays exactly
    ``V_reset`` and the neuron cannot spike.

    Inputs that write V (a ``Delta`` projection onto V, a ``PoissonInput`` onto V) do so in the
    "deliver" phase of a step, before the group integrates: they count only if the neuron was not
    refractory (and did not spike) in the previous step. So a jump delivered in steps ``s+1 .. s+n``
    is dropped, one delivered in step ``s+n+1`` or later counts — exactly Brian2's
    ``(unless refractory)`` boundary, where the same jump lands in the synapse slot of steps
    ``s .. s+n-1`` (the last of them refractory) and is not written. With a delay of ``D`` ms a jump
    caused by a spike of step ``s'`` arrives in step ``s' + D/dt + 1``; it counts iff
    ``s' + D/dt >= s + n``. Current and conductance inputs are never dropped (the synapses keep
    their state); while refractory they just do not move V. ``sum_delta_inputs`` (the "delta"
    category of ``add_inp_fun``) is added after integration and counts iff the neuron is not
    refractory in that step. See ``brainbatch/models/README.md``, "Refractory boundary".

    ``refractory`` is True for neurons that were refractory in this step or spiked in it (BrainPy's
    convention). The refractory count uses step indices (``i_last_spike``, ``share.i``), so it stays
    exact however long the run (float32 times would drift after about 10^5 ms at dt = 0.1 ms);
    ``t_last_spike`` keeps the spike's start time in ms for users.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.neurons import LifRef
    >>> g = LifRef(1, V_reset=0., tau_ref=5., I_bias=25.)
    >>> spikes = bb.for_loop(lambda i: g.step_run(i), jnp.arange(1000), dyn_vars=g)
    >>> jnp.nonzero(spikes[:, 0])[0].tolist()  # tau_ref + 10 ln(25/5) = 21.09 ms, on the 0.1 ms grid
    [160, 370, 580, 790]
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    refractory: Variable
    t_last_spike: Variable
    i_last_spike: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"tau_ref": u.ms}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = 0.0, V_reset: Any = -5.0,
                 V_th: Any = 20.0, R: Any = 1.0, tau: Any = 10.0, tau_ref: Any = 1.0,
                 V_initializer: Any = Constant(0.0), method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, *, I_bias: Any = 0.0, C_m: Any = None, noise: Any = None) -> None:
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R, tau=tau,
                         V_initializer=V_initializer, method=method, name=name, mode=mode, I_bias=I_bias, C_m=C_m,
                         noise=noise)
        self.tau_ref = self.param("tau_ref", tau_ref, nonnegative=True)

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        init_spike_clock(self, batch_size)

    def is_refractory(self) -> jax.Array:
        """Whether each neuron is refractory in the current step (Brian2: ``timestep(t - t_last_spike) < timestep(tau_ref)``).

        Counted in whole steps from step indices (the clock that never rounds): ``k`` steps after a
        spike a neuron is refractory iff ``k < floor(tau_ref / dt + 1e-3)``, Brian2's ``timestep`` rule
        (rounding to the nearest step gave 0.15 ms at dt 0.1 ms 2 steps, and 0.35 ms 4, where Brian2 has 1 and 3).
        """
        n_ref = jnp.floor(jnp.asarray(self.tau_ref, jnp.float32) / share.dt + _STEP_SLACK).astype(jnp.int32)
        return (_step_index() - self.i_last_spike.value) < n_ref

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        # Brian2's boundary: what the deliver phase wrote into V this step (Brian2: the synapse slot of
        # the previous step) is dropped if the neuron was refractory, or spiked, in the previous step.
        self.V.value = jnp.where(self.refractory.value, self.V_reset, self.V.value)
        refractory = self.is_refractory()
        V = self.integrate_V()
        V = jnp.where(refractory, self.V_reset, V)  # clamped: whatever landed on V this step is dropped
        spike = jnp.logical_and(V >= self.V_th, jnp.logical_not(refractory))
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.t_last_spike.value = jnp.where(spike, share.t, self.t_last_spike.value)
        self.i_last_spike.value = jnp.where(spike, _step_index(), self.i_last_spike.value)
        self.refractory.value = jnp.logical_or(refractory, spike)
        self.spike.value = spike
        return spike
