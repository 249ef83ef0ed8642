"""BrainPy 2.3's electrical synapse ``bp.synapses.GapJunction(pre, post, conn, comp_method, g_max)``.

BrainPy 2.8.2 (``brainpy/dynold/synapses/gap_junction.py``): for each connected pair ``(i, j)``,
``d_ij = g_max_ij (V_pre_i - V_post_j)``; ``post.input_j += sum_i d_ij`` and ``pre.input_i -= sum_j d_ij``,
from the voltages at the start of the step (it runs before the groups, as every synapse here). With
``pre is post`` both sums land on the same group, so a symmetric connection couples each pair twice;
that is BrainPy's arithmetic, kept.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._synconn import TwoEndConn
from .conn import conn_matrix

__all__ = ["GapJunction"]


class GapJunction(TwoEndConn):
    """Gap junctions: a current ``g_max (V_pre - V_post)`` into ``post.input``, its opposite into ``pre.input``.

    ``g_max``: a number or a ``(pre.num, post.num)`` array; ``comp_method`` 'dense' or 'sparse' picks the
    structure BrainPy builds the connection from (``bp.conn.FixedProb``: independent pairs, or a fixed number
    of targets per neuron); it is held as a dense matrix either way, drawn once at construction.

    >>> import brainbatch.brainpy as bp
    >>> a, b = bp.neurons.LIF(2), bp.neurons.LIF(3)
    >>> gj = bp.synapses.GapJunction(a, b, bp.conn.All2All(), g_max=0.2)
    >>> gj.weights.shape
    (2, 3)
    """

    def __init__(self, pre: Any, post: Any, conn: Any, comp_method: str = "dense", g_max: Any = 1.0,
                 name: str | None = None) -> None:
        super().__init__(pre, post, conn, name=name)
        self.check_pre_attrs("V", "input")
        self.check_post_attrs("V", "input")
        if comp_method not in ("dense", "sparse"):
            raise ValueError(f"GapJunction: comp_method must be 'dense' or 'sparse', got {comp_method!r}")
        self.comp_method = comp_method
        # the graph of BrainPy's structure for comp_method (bp.conn.FixedProb draws the two by other laws)
        # traced where a sweep draws each run's
        mat = jnp.asarray(conn_matrix(self.conn, comp_method, "GapJunction"), jnp.float32)
        if callable(g_max):
            raise TypeError("GapJunction: g_max must be a number or a (pre.num, post.num) array here, got the "
                            f"initializer {g_max!r}; draw it yourself (e.g. with numpy) and pass the array")
        w = np.asarray(g_max, np.float32)
        bad = ~(np.isfinite(w) & (w >= 0))
        if bad.any():  # a negative coupling pushed the voltages apart; every other conductance refuses it
            shown = repr(g_max) if w.ndim == 0 else f"{int(bad.sum())} value(s) that are negative, NaN or infinite"
            raise ValueError(f"GapJunction: g_max is a conductance and must be finite and >= 0, got {shown}")
        if w.ndim and w.shape != mat.shape:
            raise ValueError(f"GapJunction: g_max has shape {w.shape}; give a number or shape (pre.num, post.num) = "
                             f"{mat.shape}")
        # unconnected pairs carry weight 0, so one dense product computes either comp_method's sum
        self.weights = mat * jnp.asarray(w)

    def update(self, *args: Any) -> jax.Array:
        pre, post = self.pre, self.post
        diff = (pre.V.value[..., :, None] - post.V.value[..., None, :]) * self.weights
        post.input.value = post.input.value + diff.sum(axis=-2)
        pre.input.value = pre.input.value - diff.sum(axis=-1)
        return diff
