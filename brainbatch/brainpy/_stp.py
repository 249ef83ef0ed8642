"""BrainPy's short-term plasticity over brainbatch's ``STP`` (docs/migrating-from-brainpy.md).

BrainPy 2.8.2 has it in three places, all with the same numbers here:

- ``bp.synplast.STP(U, tau_f, tau_d)`` / ``bp.synplast.STD(tau, U)``, given as ``stp=`` to a 2.3 synapse
  (``bp.synapses.Exponential(..., stp=...)``): each arriving spike is weighted by ``u x`` (STD: ``x``);
- ``bp.synapses.STP(pre, post, conn, U, tau_f, tau_d, tau, A)``: STP, then an exponential current per
  presynaptic neuron (``syn.I``), summed onto ``post.input`` with weight ``A``;
- ``bp.dyn.STP(size, ...)`` / ``bp.dyn.STD(size, ...)``: the terminal alone, its ``update(spike)``
  returning ``u x`` (STD: ``x``) for every neuron.

As BrainPy 2.8.2 computes it, a spike is weighted with the ``u`` and ``x`` *after* its own jumps
(``u+ x+``; STD: ``x+``), and ``u`` starts at ``U``. Its docstring's Tsodyks-Markram model releases
``u+ x-``, which brainbatch's own ``STP`` does (from ``u = 0``): the two differ by the factor ``1 - u+``
(documented in docs/migrating-from-brainpy.md).
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ..core.variable import Variable
from ..models import AlignPreProjection
from ..models.plasticity import STP as _STP
from ..models.synapses import Exponential as _Exponential
from ._compat import BrainPyCalls, check_none, method_name
from ._old_style import IntoInput, StepDelay, as_connector, as_weight, delay_ms
from ._stp_terminals import SynapticSTD, SynapticSTP, _AfterJump, as_terminal
from ._view import ViewEnds
from .synouts import CUBA

__all__ = ["SynapticSTP", "SynapticSTD", "STPNode", "STDNode", "STPSynapse", "as_terminal"]


class STPNode(BrainPyCalls, _STP):
    """``bp.dyn.STP(size, U=0.15, tau_f=1500., tau_d=200.)``: a terminal updated by hand; ``update(spike)``
    relaxes ``u``, ``x`` over one step, jumps them where ``spike`` and returns ``u * x`` (every neuron),
    as BrainPy 2.8.2 (``u`` starts at ``U``).

    >>> import brainbatch as bb, brainbatch.brainpy as bp, jax.numpy as jnp
    >>> stp = bp.dyn.STP(1, U=0.5, tau_f=10., tau_d=100.)
    >>> with bb.environment(dt=0.1):
    ...     ux = stp.update(jnp.array([True]))
    >>> round(float(ux[0]), 4)   # u = 0.5 e^(-0.01) = 0.495, u+ = 0.7475, x+ = 0.2525
    0.1887
    """

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, U: Any = 0.15, tau_f: Any = 1500.0,
                 tau_d: Any = 200.0) -> None:
        check_none("STP", sharding=sharding)
        method_name(method)
        super().__init__(U=U, tau_f=tau_f, tau_d=tau_d, size=size, keep_size=keep_size, name=name, mode=mode)

    def initial_u(self) -> Any:
        return jnp.asarray(self.U, jnp.float32)

    def update(self, pre_spike: Any) -> jax.Array:
        s = jnp.asarray(pre_spike, jnp.float32)
        U = self._per_neuron(self.U)
        u, x = self.relaxed()
        u = u + s * U * (1.0 - u)
        x = x - s * u * x
        self.u.value, self.x.value = u, x
        return u * x

    def return_info(self) -> Variable:
        raise TypeError(_IN_A_PROJECTION.format(name="STP"))

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Any:
        # BrainPy's projections take it as syn=bp.dyn.STP.desc(...): refused where it is written, by name
        raise TypeError(_IN_A_PROJECTION.format(name="STP"))


_IN_A_PROJECTION = ("bp.dyn.{name} in a projection is not supported (bp.dyn.{name}.desc(...)): give the synapse "
                    "stp=bp.synplast.STP(...), use bp.synapses.STP(pre, post, conn, ...), or brainbatch's "
                    "Projection(..., stp=bb.STP(...)); bp.dyn.{name}(size) itself, updated by hand, works")


class STDNode(BrainPyCalls, _STP):
    """``bp.dyn.STD(size, tau=200., U=0.07)``: ``update(spike)`` relaxes ``x`` over one step, subtracts
    ``U x`` (``x`` as it was before the step, BrainPy 2.8.2's update) where ``spike``, and returns ``x``."""

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(_IN_A_PROJECTION.format(name="STD"))

    def __init__(self, size: Any, keep_size: bool = False, sharding: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, tau: Any = 200.0, U: Any = 0.07) -> None:
        check_none("STD", sharding=sharding)
        method_name(method)
        super().__init__(U=U, tau_f=0.0, tau_d=tau, size=size, keep_size=keep_size, name=name, mode=mode)
        self.tau = tau

    def update(self, pre_spike: Any) -> jax.Array:
        s = jnp.asarray(pre_spike, jnp.float32)
        old = self.x.value
        x = self.relaxed()[1]
        self.x.value = x - s * self._per_neuron(self.U) * old
        return self.x.value


class STPSynapse(BrainPyCalls, ViewEnds, IntoInput, StepDelay, AlignPreProjection):
    """``bp.synapses.STP(pre, post, conn, U=0.15, tau_f=1500., tau_d=200., tau=8., A=1., delay_step=None)``:
    per presynaptic neuron, STP then a current ``I`` (``dI/dt = -I / tau``, a spike adds ``u+ x+``), and
    ``post.input += A * (sum of I over each neuron's synapses)`` (BrainPy 2.8.2's ``bp.synapses.STP``).

    >>> import brainbatch.brainpy as bp
    >>> pre, post = bp.neurons.LIF(1), bp.neurons.LIF(1)
    >>> syn = bp.synapses.STP(pre, post, bp.conn.All2All(), U=0.2, tau_d=150., tau_f=2.)
    >>> syn.I.shape, syn.u.shape, syn.x.shape
    ((1,), (1,), (1,))
    """

    syn_on_pre = True

    def __init__(self, pre: Any, post: Any, conn: Any, U: Any = 0.15, tau_f: Any = 1500.0, tau_d: Any = 200.0,
                 tau: Any = 8.0, A: Any = 1.0, delay_step: Any = None, method: str = "exp_auto",
                 name: str | None = None) -> None:
        method_name(method)
        self.tau_d, self.tau_f, self.tau, self.U, self.A = tau_d, tau_f, tau, U, A
        conn = as_connector(conn, pre, post)
        AlignPreProjection.__init__(self, pre, post, conn, _Exponential(tau), CUBA(), weight=as_weight(A, conn, "STP", pre, post),
                                    delay=delay_ms(delay_step), stp=_AfterJump(U=U, tau_f=tau_f, tau_d=tau_d),
                                    name=name)
        self.keep_delay_steps(delay_step)
        self.route_into_input()
        self.bind_views()

    @property
    def I(self) -> Variable:  # noqa: E743 - BrainPy's name
        """The current of each presynaptic neuron (BrainPy's ``syn.I``; its path here is ``<name>.syn.g``)."""
        return self.syn.g

    @property
    def u(self) -> Variable:
        return self.stp.u  # type: ignore[union-attr]

    @property
    def x(self) -> Variable:
        return self.stp.x  # type: ignore[union-attr]
