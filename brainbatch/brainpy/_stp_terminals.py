"""The terminals of BrainPy's ``stp=`` (``bp.synplast.STP`` / ``STD``) as brainbatch's ``STP`` nodes, stepped
as BrainPy 2.8.2 steps them (a spike weighted by ``u+ x+``; STD: ``x+``; ``u`` starting at ``U``; _stp.py's
docstring). A leaf of the package: every BrainPy synapse that takes ``stp=`` imports it, the old-style ones
(``_synconn.py``) included, which ``_stp.py`` itself imports.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ..models.plasticity import STP as _STP
from ._compat import method_name

__all__ = ["SynapticSTP", "SynapticSTD", "as_terminal"]


class _AfterJump(_STP):
    """``STP`` weighting a spike by ``u+ x+`` (BrainPy 2.8.2's ``bp.synplast.STP``), ``u`` starting at ``U``."""

    def initial_u(self) -> Any:
        return jnp.asarray(self.U, jnp.float32)

    def release(self, u_plus: jax.Array, x_minus: jax.Array, U: Any) -> tuple[jax.Array, jax.Array]:
        x_plus = x_minus - u_plus * x_minus
        return u_plus * x_plus, x_plus


class _DepressionAfterJump(_STP):
    """BrainPy 2.8.2's ``bp.synplast.STD``: ``x+ = x- (1 - U)`` at a spike, which is weighted by ``x+``."""

    def __init__(self, tau: Any, U: Any, **kwargs: Any) -> None:
        super().__init__(U=U, tau_f=0.0, tau_d=tau, **kwargs)

    def initial_u(self) -> Any:
        return jnp.asarray(self.U, jnp.float32)

    def release(self, u_plus: jax.Array, x_minus: jax.Array, U: Any) -> tuple[jax.Array, jax.Array]:
        x_plus = x_minus - U * x_minus
        return x_plus, x_plus


class SynapticSTP:
    """``bp.synplast.STP``: short-term plasticity for ``stp=`` of a BrainPy 2.3 synapse.

    >>> import brainbatch.brainpy as bp
    >>> pre, post = bp.neurons.LIF(2), bp.neurons.LIF(2)
    >>> s = bp.synapses.Exponential(pre, post, bp.conn.All2All(), stp=bp.synplast.STP(U=0.3, tau_f=50., tau_d=100.))
    >>> s.stp.u.shape, float(s.stp.u[0])  # one value per presynaptic neuron, starting at U
    ((2,), 0.3...)
    """

    def __init__(self, U: Any = 0.15, tau_f: Any = 1500.0, tau_d: Any = 200.0, method: str = "exp_auto",
                 name: str | None = None) -> None:
        method_name(method)  # the terminal relaxes exactly; the name is only checked
        self.U, self.tau_f, self.tau_d, self.name = U, tau_f, tau_d, name
        _AfterJump(U=U, tau_f=tau_f, tau_d=tau_d)  # bad values fail here, where the user wrote them

    def build(self) -> _STP:
        return _AfterJump(U=self.U, tau_f=self.tau_f, tau_d=self.tau_d, name=self.name)

    def clone(self) -> "SynapticSTP":
        return SynapticSTP(self.U, self.tau_f, self.tau_d)

    def __repr__(self) -> str:
        return f"STP(U={self.U!r}, tau_f={self.tau_f!r}, tau_d={self.tau_d!r})"


class SynapticSTD:
    """``bp.synplast.STD``: short-term depression (``x`` only) for ``stp=`` of a BrainPy 2.3 synapse."""

    def __init__(self, tau: Any = 200.0, U: Any = 0.07, method: str = "exp_auto", name: str | None = None) -> None:
        method_name(method)
        self.tau, self.U, self.name = tau, U, name
        _DepressionAfterJump(tau, U)

    def build(self) -> _STP:
        return _DepressionAfterJump(self.tau, self.U, name=self.name)

    def clone(self) -> "SynapticSTD":
        return SynapticSTD(self.tau, self.U)

    def __repr__(self) -> str:
        return f"STD(tau={self.tau!r}, U={self.U!r})"


def as_terminal(what: str, stp: Any) -> _STP | None:
    """The ``stp=`` of a BrainPy 2.3 synapse as brainbatch's ``STP`` node (None stays None)."""
    if stp is None:
        return None
    if isinstance(stp, (SynapticSTP, SynapticSTD)):
        return stp.build()
    if isinstance(stp, _STP):
        return stp
    raise TypeError(f"{what}: stp must be bp.synplast.STP(U, tau_f, tau_d) or bp.synplast.STD(tau, U), got {stp!r}")
