"""What BrainPy 2.3's synapses (``bp.synapses.Exponential(pre, post, conn, ...)`` and kin) share: the delay in
steps, ``conn`` given as a matrix or index lists, and the output's current added into ``post.input``."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import share
from ..core.variable import Variable
from ..models import AbstractConnector, Explicit, OneToOne
from .conn import GaussianProb, GridN, ProbDist
from ._synconn import _conn

__all__ = ["delay_ms", "StepDelay", "as_connector", "as_weight", "IntoInput"]


def delay_ms(delay_step: Any) -> Any:
    """BrainPy's ``delay_step`` (whole steps, a scalar or one per presynaptic neuron) in ms; None for none."""
    if delay_step is None:
        return None
    steps = np.asarray(delay_step)
    if steps.dtype.kind not in "iu" or np.any(steps < 0):
        raise TypeError(f"delay_step must be a non-negative integer number of steps, got {delay_step!r}")
    return steps * share.dt if steps.ndim else float(steps) * share.dt


class StepDelay:
    """Mixin of BrainPy 2.3 synapses (before the projection class): ``delay_step`` counts steps of the dt the model
    runs at, as in BrainPy, not of the dt it was built at (``DSRunner(net, dt=0.05)`` on a model built at 0.1 ms
    delayed 4 steps by 8). Call ``keep_delay_steps(delay_step)`` after ``__init__``; each reset (the runner's, at
    its dt) turns the steps into the projection's delay in ms again."""

    _delay_step: Any = None
    _delay_ms: Any

    def keep_delay_steps(self, delay_step: Any) -> None:
        self._delay_step = None if delay_step is None else np.asarray(delay_step)

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        if self._delay_step is not None and self._delay_ms is not None:
            ms = self._delay_step * share.dt
            self._delay_ms = float(ms) if np.ndim(ms) == 0 else np.reshape(ms, np.shape(self._delay_ms))
        super().reset_state(*args, **kwargs)  # type: ignore[misc]


def as_connector(conn: Any, pre: Any, post: Any, comp_method: str = "sparse") -> Any:
    """A 2.3 synapse's ``conn``: a connector, or (as BrainPy) a connection matrix or ``{'i': ..., 'j': ...}``.
    ``comp_method='dense'`` builds from BrainPy's dense matrix, which ``bp.conn.FixedProb`` draws by another law
    than its sparse structures (``FixedProb.dense_law``)."""
    if conn is not None and not isinstance(conn, AbstractConnector):
        return _conn(conn, pre, post)
    if isinstance(conn, (GridN, GaussianProb, ProbDist)):  # its pairs follow the grid's shape, which only the groups' sizes give (as BrainPy)
        return conn(pre.size, post.size)
    dense_law = getattr(conn, "dense_law", None)
    return dense_law() if comp_method == "dense" and dense_law is not None else conn


def as_weight(weight: Any, conn: Any, what: str, pre: Any, post: Any) -> Any:
    """A weight as brainbatch takes it. BrainPy's sparse synapses take one weight per synapse, listed in
    their connection's CSR order (``g_max=W.data`` with ``bp.conn.SparseMatConn(W)``); for a connection
    given by hand (``Explicit``: ``MatConn``, ``IJConn``, ``CSRConn``, ``SparseMatConn``) that vector becomes
    the dense ``(n_pre, n_post)`` matrix brainbatch takes. Anything else is returned as it is."""
    arr = getattr(weight, "value", weight)
    if isinstance(conn, OneToOne) and np.ndim(arr) == 1 and not callable(arr):
        return _per_neuron(what, arr, pre, post)
    if not isinstance(conn, Explicit) or np.ndim(arr) != 1 or callable(arr):
        return weight
    i, j = conn.csr_pairs()
    w = np.asarray(arr, np.float32)
    if len(w) != len(i):
        raise ValueError(f"{what}: a weight vector needs one value per synapse ({len(i)} in the connection), "
                         f"got {len(w)}")
    if len(set(zip(i.tolist(), j.tolist()))) != len(i):
        raise ValueError(f"{what}: the connection lists a pair twice; one weight per synapse needs distinct pairs")
    dense = np.zeros((int(pre.num), int(post.num)), np.float32)  # indices outside are the projection's error
    inside = (i < dense.shape[0]) & (j < dense.shape[1])
    dense[i[inside], j[inside]] = w[inside]
    return dense


def _per_neuron(what: str, weight: Any, pre: Any, post: Any) -> Any:
    """A one-to-one weight of one value per neuron (BrainPy's ``OneToOne(num, weight)``: ``x * weight``) as the
    weight of each neuron's single synapse, drawn per synapse (a dense (n, n) matrix would hold n**2 numbers)."""
    import jax.numpy as jnp

    if np.shape(weight)[0] != int(pre.num) or int(pre.num) != int(post.num):
        raise ValueError(f"{what}: a one-to-one weight vector needs one value per neuron ({int(pre.num)} pre, "
                         f"{int(post.num)} post), got {np.shape(weight)[0]}")

    def draw(shape: tuple, dtype: Any = None, key: Any = None) -> Any:
        return jnp.broadcast_to(jnp.asarray(weight, jnp.float32)[:, None], shape)

    return draw


class IntoInput:
    """Mixin of BrainPy 2.3 synapses (before the projection class): the output adds its current into
    ``post.input`` (``target_var='input'``) while the synapse updates, so a custom group whose update reads
    only ``self.input`` receives it too. Call ``route_into_input()`` at the end of ``__init__``: where
    ``post`` has an ``input`` Variable, the projection's registered current input is removed and ``update``
    adds ``out.current(g, post.V)`` into ``input`` instead."""

    _into_input: bool = False

    def route_into_input(self) -> None:
        proj: Any = self
        self._into_input = isinstance(proj.post.__dict__.get("input"), Variable)
        if self._into_input:
            del proj.post._current_inputs[proj.name]

    def update(self, *args: Any) -> Any:
        g = super().update(*args)  # type: ignore[misc]  # the projection class after this mixin
        if self._into_input:
            proj: Any = self
            post: Any = proj.post  # a BrainPy group: its input (and V) are checked above
            V = post.V.value if isinstance(post.__dict__.get("V"), Variable) else None
            post.input.value = post.input.value + proj._post_current(V)
        return g
