"""``Explicit``: synapses listed by hand (index pairs or a connection matrix), the same in every run."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core.checks import is_int, is_traced
from ._base import AbstractConnector, Connectivity

__all__ = ["Explicit"]


class Explicit(AbstractConnector):
    """The synapses ``i[k] -> j[k]`` (Brian2's ``connect(i=..., j=...)``; a pair listed twice makes two
    synapses). Nothing is drawn: every run and seed has this graph (a measured connectome, a figure's
    wiring). ``Explicit.from_matrix(m)`` takes a connection matrix (``m[i, j]`` nonzero: a synapse
    ``i -> j``); per-synapse weights go in ``weight=`` as a dense ``(n_pre, n_post)`` array as usual.

    Args:
        i, j: presynaptic and postsynaptic indices, 1-D, of equal length.
        n_pre, n_post: the group sizes the lists are meant for (checked against the projection's
            groups); by default only that every index lies inside them.

    >>> import jax
    >>> c = Explicit([0, 0, 2], [1, 2, 0])(jax.random.key(0), 3, 3)
    >>> c.targets.tolist()   # row by presynaptic neuron, padding 3
    [[1, 2], [3, 3], [0, 3]]
    >>> Explicit.from_matrix([[0, 1], [1, 1]]).pairs()
    ([0, 1, 1], [1, 0, 1])
    """

    def __init__(self, i: Any, j: Any = None, n_pre: int | None = None, n_post: int | None = None):
        if j is None:  # Explicit(matrix): the pairs are the matrix's nonzero entries, a different constructor
            raise TypeError("Explicit(i, j) takes the synapses as two index lists (pre, post); for a connection "
                            "matrix use Explicit.from_matrix(matrix)")
        for what, n in (("n_pre", n_pre), ("n_post", n_post)):
            if n is not None and not (is_int(n) and not isinstance(n, bool) and n >= 0):
                raise TypeError(f"Explicit: {what} must be a whole number of neurons >= 0, got {n!r}")
        self.i = _indices("i", i)
        self.j = _indices("j", j)
        if len(self.i) != len(self.j):
            raise ValueError(f"Explicit: i and j must have the same length (one pair per synapse), got "
                             f"{len(self.i)} and {len(self.j)}")
        self.n_pre = None if n_pre is None else int(n_pre)
        self.n_post = None if n_post is None else int(n_post)
        self._rows = None if not len(self.i) else np.argsort(self.i, kind="stable")

    @classmethod
    def from_matrix(cls, matrix: Any) -> "Explicit":
        """A synapse ``i -> j`` wherever ``matrix[i, j]`` is nonzero (True)."""
        if is_traced(matrix):
            raise TypeError("Explicit.from_matrix: the matrix fixes the graph's shape and must be concrete, not traced")
        m = np.asarray(matrix.value if hasattr(matrix, "value") and not isinstance(matrix, np.ndarray) else matrix)
        if m.ndim != 2:
            raise ValueError(f"Explicit.from_matrix needs a 2-D (n_pre, n_post) matrix, got shape {m.shape}")
        if m.dtype.kind not in "biuf":
            raise TypeError(f"Explicit.from_matrix needs a numeric or bool matrix, got dtype {m.dtype}")
        if m.dtype.kind == "f" and not np.all(np.isfinite(m)):  # NaN is nonzero: a synapse nobody meant
            raise ValueError(f"Explicit.from_matrix needs finite entries (nonzero: a synapse), got "
                             f"{int(np.sum(~np.isfinite(m)))} NaN or infinite one(s)")
        i, j = np.nonzero(m)
        return cls(i, j, n_pre=m.shape[0], n_post=m.shape[1])

    def pairs(self) -> tuple[list[int], list[int]]:
        """The synapses as ``(i, j)`` lists, in the order given."""
        return self.i.tolist(), self.j.tolist()

    def csr_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The synapses by presynaptic neuron (stable: within a row in the order given), as rows of
        ``targets`` hold them; BrainPy's CSR order."""
        if self._rows is None:
            return self.i, self.j
        return self.i[self._rows], self.j[self._rows]

    def degrees(self, n_pre: int) -> np.ndarray:
        return np.bincount(self.i, minlength=n_pre)

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        self._check_sizes(n_pre, n_post)
        return max(1, int(self.degrees(n_pre).max(initial=0)))

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        self._check_sizes(n_pre, n_post)  # an index past n_pre counted extra rows: moments of another graph
        d = self.degrees(n_pre).astype(np.float64)
        return float(d.mean()), float(d.var())

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        k = self.fan_out(n_pre, n_post, same_group)
        targets = np.full((n_pre, k), n_post, np.int32)
        if self._rows is not None:
            i, j = self.i[self._rows], self.j[self._rows]
            starts = np.concatenate([[0], np.cumsum(self.degrees(n_pre))[:-1]])
            slot = np.arange(len(i)) - starts[i]
            targets[i, slot] = j
        return Connectivity(jnp.asarray(targets), jnp.zeros((), jnp.bool_), n_post)

    def _check_sizes(self, n_pre: int, n_post: int) -> None:
        for what, given, n, idx in (("pre", self.n_pre, n_pre, self.i), ("post", self.n_post, n_post, self.j)):
            if given is not None and given != n:
                raise ValueError(f"Explicit: the synapses were given for {given} {what}synaptic neurons but the "
                                 f"{what}synaptic group has {n}")
            if len(idx) and idx.max() >= n:
                raise ValueError(f"Explicit: {what}synaptic index {int(idx.max())} is out of range for a group of {n} "
                                 f"neurons (indices run from 0 to {n - 1})")

    def __repr__(self) -> str:
        return f"Explicit({len(self.i)} synapses)"


def _indices(name: str, values: Any) -> np.ndarray:
    if is_traced(values):
        raise TypeError(f"Explicit: {name} fixes the graph's shape and must be concrete (a list or array), not traced")
    arr = np.asarray(values.value if hasattr(values, "value") and not isinstance(values, np.ndarray) else values)
    if arr.ndim != 1:
        raise ValueError(f"Explicit: {name} must be a 1-D list of neuron indices, got shape {arr.shape}")
    if arr.size and arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"Explicit: {name} must hold whole neuron indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"Explicit: {name} holds a negative index ({int(arr.min())}); indices start at 0")
    return arr
