"""BrainPy 2.4's delta projections, ``HalfProjDelta(comm, post)`` and ``FullProjDelta(pre, delay, comm, post)``.

No synapse, no output: what ``comm`` delivers in a step is a *delta* input of ``post``
(``add_inp_fun(..., category='delta')``), which the group adds to ``V`` right after integrating it
(``sum_delta_inputs``), so a jump of ``w`` is not decayed by the step it lands in and can make the
neuron spike in that step. This differs from ``bp.synapses.Delta`` (BrainPy 2.3, ``_delta.py``),
which adds to ``V`` before the group integrates. BrainPy 2.8.2 (``brainpy/dyn/projections/delta.py``)
keeps the last value ``comm`` gave until the projection runs again; so do these (a state ``g``).
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ..core.variable import Variable
from ..models.synapses import Delta as _Delta
from ._halfproj import _CommNode
from ._projections import _Aligned
from .dnn import _Comm

__all__ = ["HalfProjDelta", "FullProjDelta"]


class HalfProjDelta(_CommNode):
    """``proj(spikes)``: ``comm(spikes)`` is a delta input of ``post``, added to ``V`` after it integrates.

    >>> import brainbatch.brainpy as bp
    >>> post = bp.dyn.Lif(3)
    >>> p = bp.dyn.HalfProjDelta(bp.dnn.AllToAll(2, 3, 0.5), post)
    >>> p.g.shape, p.refs['post'] is post
    ((3,), True)
    """

    # made by reset_state (init_variable): declared for the type checker only
    g: Variable

    def __init__(self, comm: _Comm, post: Any, name: str | None = None, mode: Any = None) -> None:
        super().__init__(name=name, mode=mode)
        self._setup_comm(comm, post)
        self._post = post
        post.add_inp_fun(self.name, self._delta, category="delta")
        self.reset_state()

    @property
    def post(self) -> Any:
        return self._post

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        self.init_variable("g", 0.0, shape=self._post.varshape, batch_size=batch_size)

    def _delta(self, *args: Any, **kwargs: Any) -> jax.Array:
        return self.g.value

    def update(self, x: Any) -> jax.Array:
        self.g.value = self.communicate(x)
        return self.g.value


class _Arrived(_Delta):
    """A ``Delta`` whose jumps ``post`` adds after integrating: ``g`` holds this step's delivered weights
    (the projection registers it as a delta input) instead of being added to ``V`` before integration.
    Being a ``Delta`` gives the projection's checks of one (no output; weights in the unit of ``V``)."""

    g: Variable

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g", batch_size, "summed weights delivered in this step (a delta input of post)")

    def update(self, x: Any = None) -> jax.Array:
        self.g.value = jnp.zeros_like(self.g.value) if x is None else jnp.asarray(x, self.g.dtype)
        return self.g.value


class FullProjDelta(_Aligned):
    """``pre``'s spikes, ``delay`` ms later, through ``comm``: a delta input of ``post`` (added to ``V``
    after it integrates). The delay follows brainbatch's rule (d steps after the undelayed spike,
    docs/migrating-from-brainpy.md "Delays"); ``g`` (also ``proj.syn.g``) is what arrived in this step.

    >>> import brainbatch.brainpy as bp
    >>> pre, post = bp.dyn.SpikeTimeGroup(1, indices=[0], times=[0.]), bp.dyn.Lif(2, V_th=30.)
    >>> p = bp.dyn.FullProjDelta(pre, 0.2, bp.dnn.AllToAll(1, 2, 2.), post)
    >>> net = bp.DynSysGroup(pre=pre, post=post, p=p)
    >>> V = bp.DSRunner(net, monitors=['post.V'], progress_bar=False).run(0.5)['post.V'][:, 0]
    >>> [round(float(v), 3) for v in V]   # the spike of step 0 arrives in step 1 + 2
    [0.0, 0.0, 0.0, 2.0, 1.98]
    """

    def __init__(self, pre: Any, delay: Any, comm: _Comm, post: Any, name: str | None = None,
                 mode: Any = None) -> None:
        self._setup(pre, post, comm, _Arrived("V"), None, delay, name, mode)
        post.add_inp_fun(self.name, self._delta, category="delta")

    @property
    def g(self) -> Variable:
        """The weights that arrived in this step (the delta input of ``post``)."""
        return self.syn.g

    def _delta(self, *args: Any, **kwargs: Any) -> jax.Array:
        return self.syn.g.value
