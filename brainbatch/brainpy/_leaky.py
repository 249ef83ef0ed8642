"""BrainPy's spike-free integrators: ``bp.neurons.LeakyIntegrator`` and ``bp.dyn.Integrator``
(also ``bp.neurons.Integrator``), both brainbatch's ``LeakyIntegrator``.

``Integrator`` is BrainPy 2.4's ``tau dx/dt = -x + I``: its state is ``x`` (no units), it has no ``input``
Variable and only ``update(x)`` drives it, as in BrainPy. Both return their state from ``update``.
"""
from __future__ import annotations

from typing import Any

from ..core.initializers import ZeroInit
from ..models import LeakyIntegrator as _LeakyIntegrator
from ._compat import BrainPyCalls, check_none, membrane_noise, method_name, spike_kwargs

__all__ = ["LeakyIntegrator", "Integrator", "IF", "IFLTC"]


class LeakyIntegrator(BrainPyCalls, _LeakyIntegrator):
    """BrainPy's ``bp.neurons.LeakyIntegrator``: ``tau dV/dt = -(V - V_rest) + R I`` (V starts at 0, no spikes).

    >>> import brainbatch.brainpy as bp
    >>> li = bp.neurons.LeakyIntegrator(2, tau=5.)
    >>> li.V.shape, hasattr(li, "spike"), float(li.tau)
    ((2,), False, 5.0)
    """

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = 0.0, R: Any = 1.0, tau: Any = 10.0,
                 V_initializer: Any = ZeroInit(), noise: Any = None, input_var: bool = True, name: str | None = None,
                 mode: Any = None, method: str = "exp_auto") -> None:
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, R=R, tau=tau, V_initializer=V_initializer,
                         input_var=input_var, method=method_name(method), name=name, mode=mode,
                         noise=membrane_noise(noise))


class Integrator(BrainPyCalls, _LeakyIntegrator):
    """BrainPy's ``bp.dyn.Integrator``: ``tau dx/dt = -x + I``, ``I`` given to ``update(x)`` (x starts at 0).

    >>> import brainbatch as bb, brainbatch.brainpy as bp, jax.numpy as jnp
    >>> integ = bp.dyn.Integrator(2, tau=5.)
    >>> x = bb.for_loop(lambda i: integ.step_run(i, 3.), jnp.arange(500), dyn_vars=integ)  # 50 ms: x -> I
    >>> round(float(x[-1, 0]), 3), hasattr(integ, "input")
    (3.0, False)
    """

    _state, _state_units = "x", "1"

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None, name: str | None = None,
                 mode: Any = None, tau: Any = 10.0, x_initializer: Any = ZeroInit(), method: str = "exp_auto",
                 init_var: bool = True) -> None:
        check_none(type(self).__name__, sharding=sharding)
        # init_var=False: BrainPy makes x in a later reset_state; here it exists from the start
        super().__init__(size, keep_size=keep_size, tau=tau, V_initializer=x_initializer, input_var=False,
                         method=method_name(method), name=name, mode=mode)


class IF(BrainPyCalls, _LeakyIntegrator):
    """BrainPy 2.4's ``bp.dyn.IF`` (and ``IFLTC``): ``tau dV/dt = -V + V_rest + R I``, ``I`` from ``update(x)``,
    ``input`` and the projections onto it; no threshold: its ``spike`` Variable stays False, as BrainPy's.

    >>> import brainbatch as bb, brainbatch.brainpy as bp, jax.numpy as jnp
    >>> neuron = bp.dyn.IF(2, tau=5.)
    >>> V = bb.for_loop(lambda i: neuron.step_run(i, 2.), jnp.arange(500), dyn_vars=neuron)  # 50 ms: V -> R I
    >>> round(float(V[-1, 0]), 3), bool(neuron.spike.value.any())
    (2.0, False)
    """

    def __init__(self, size: Any, sharding: Any = None, keep_size: bool = False, mode: Any = None,
                 name: str | None = None, method: str = "exp_auto", init_var: bool = True, V_rest: Any = 0.0,
                 R: Any = 1.0, tau: Any = 10.0, V_initializer: Any = ZeroInit(), **kwargs: Any) -> None:
        check_none(type(self).__name__, sharding=sharding)
        spike_kwargs(type(self).__name__, kwargs)  # spk_fun, spk_dtype, spk_reset, detach_spk, scaling
        # init_var=False: BrainPy makes V in a later reset_state; here it exists from the start
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, R=R, tau=tau, V_initializer=V_initializer,
                         method=method_name(method), name=name, mode=mode)

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        self.init_variable("spike", False, dtype=bool, batch_size=batch_size,
                           description="always False: the integrate model has no threshold (BrainPy's IF)")


IFLTC = IF
