"""``Delta``: a spike makes a postsynaptic state variable jump by the synapse's weight."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ...core import NeuGroup, Variable
from ...core.errors import unknown_name_error
from ...core.modes import Mode
from ._base import AbstractSynapse

__all__ = ["Delta"]


class Delta(AbstractSynapse):
    r"""Delta synapse: each delivered spike adds its weight to the postsynaptic Variable ``target``.

    Used as the ``syn`` of a ``Projection`` with no ``out``; connectors, weights and delays are the
    projection's, as for any synapse. In step ``i`` (the "deliver" phase, before the neurons
    integrate) ``post.<target> += sum of w over the spikes delivered in step i``, so the jump is then
    integrated with the rest of step ``i`` — Brian2's ``on_pre='v_post += w'`` with the same delay.
    Onto ``V`` (the default) it is the classic ``V -> V + J`` jump in mV; any other float Variable of
    the group may be named (``Delta("input")`` gives a one-step current pulse).

    A ``LifRef`` group drops a jump onto its clamped ``V`` if it lands while the neuron is refractory
    or in the first step after (Brian2's boundary: see ``brainbatch/models/README.md``, "Refractory
    boundary"); a jump onto any other variable always counts.

    Args:
        target: name of a float Variable of the postsynaptic group (default ``"V"``).

    >>> import brainbatch as bb
    >>> from brainbatch.models import LIF, Projection, FixedProb, Delta
    >>> E = LIF(100, V_rest=0., V_reset=0., V_th=20., tau=20., I_bias=25.)
    >>> ee = Projection(E, E, FixedProb(0.1), Delta(), weight=0.2, delay=1.5)
    >>> ee.syn.target, ee.out is None
    ('V', True)
    """

    def __init__(self, target: str = "V", name: str | None = None, mode: Mode | None = None):
        super().__init__(None, name=name, mode=mode)
        if not isinstance(target, str) or not target.isidentifier():
            raise TypeError(f"target must be the name of a Variable of the postsynaptic group (e.g. 'V'), got {target!r}")
        self.target = target
        self._target_var: Variable | None = None

    def attach(self, post: NeuGroup, weight_units: str | None = None) -> None:
        """Find ``post.<target>`` (a float Variable shaped like the group) and take the group's geometry."""
        super().attach(post, weight_units)
        var = post.__dict__.get(self.target)
        if not isinstance(var, Variable):
            names = [k for k, v in vars(post).items() if isinstance(v, Variable)]
            raise unknown_name_error(f"Variable of group {post.name!r} for Delta(target=...)", self.target,
                                     names, exc=ValueError)
        if not jnp.issubdtype(var.dtype, jnp.floating):
            raise TypeError(f"Delta target {post.name}.{self.target} must be a float Variable, it is {var.dtype}")
        if tuple(var.shape[var.ndim - len(post.varshape):]) != tuple(post.varshape):
            raise ValueError(f"Delta target {post.name}.{self.target} has shape {var.shape}; it must end with "
                             f"the group's shape {post.varshape}")
        self._target_var = var

    @property
    def target_var(self) -> Variable:
        """The postsynaptic Variable the jumps are added to."""
        if self._target_var is None:
            raise ValueError(f"Delta {self.name!r} is not attached: use it as the syn of a Projection")
        return self._target_var

    def init_state(self, batch_size: int | None = None) -> None:
        """No state of its own: the jumps go straight into the target."""

    def update(self, x: Any = None) -> jax.Array | None:
        """Add ``x`` (the weights delivered in this step, shaped like the group) to the target."""
        var = self.target_var
        if x is not None:
            var.value = var.value + jnp.asarray(x, var.dtype)
        return var.value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.target!r}, name={self.name!r})"
