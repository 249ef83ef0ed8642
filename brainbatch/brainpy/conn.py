"""``brainbatch.brainpy.conn``: BrainPy's connectors as brainbatch's.

In a projection, synapses are drawn when the run starts, from the run's key (so every run of a sweep
has its own graph); ``pre``/``post`` are taken from the projection. ``seed=G`` (an integer >= 0) fixes
the graph as in BrainPy, whatever the run's seed: it becomes the projection's ``graph_seed`` (the graph
the run of seed ``G`` draws, the same in every run, held once per batch: docs/random.md, "One graph
for every run"); a projection given a different ``graph_seed`` is refused.
Called with the sizes (``conn(pre.size, post.size)``, as BrainPy's ``TwoEndConn`` does), a connector
gives BrainPy's structures with ``require``: ``'conn_mat'``, ``'pre2post'``, ``'post2pre'``,
``'pre_ids'``, ``'post_ids'``, ``'pre2syn'``, ``'post2syn'``, drawn once, at construction, from the
``bm.random`` stream (``bm.random.seed``), or from ``seed`` when given, so they are the same in every run.

>>> import brainbatch.brainpy as bp
>>> bp.conn.FixedProb(prob=0.02).prob
0.02
>>> bp.conn.FixedProb(0.02, seed=3).graph_seed
3
"""
from __future__ import annotations

import math
from typing import Any, cast

import jax
import numpy as np

from ..core.checks import is_int
from ..core.random import run_key
from ..models import connectivity as _c
from ._compat import unsupported

__all__ = ["FixedProb", "FixedPreNum", "FixedPostNum", "One2One", "one2one", "All2All", "all2all", "TwoEndConnector"]

_STRUCTURES = ("conn_mat", "pre2post", "post2pre", "pre_ids", "post_ids", "pre2syn", "post2syn")


def _num(size: Any) -> int:
    return int(size) if np.ndim(size) == 0 else math.prod(int(s) for s in size)


class TwoEndConnector:
    """BrainPy's connector calls: ``conn(pre_size, post_size)`` then ``conn.require('pre2post', ...)``."""

    pre_num: int | None = None
    post_num: int | None = None
    #: BrainPy's ``seed``: the projection's ``graph_seed`` (None: the graph comes from the run's seed)
    graph_seed: int | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], jax.Array) and jax.dtypes.issubdtype(args[0].dtype, jax.dtypes.prng_key):
            # brainbatch's: conn(key, n_pre, n_post, same_group) (the connector this one is mixed into)
            return super().__call__(*args, **kwargs)  # type: ignore[misc]
        sizes = dict(zip(("pre_size", "post_size"), args))
        unknown = sorted(set(kwargs) - {"pre_size", "post_size"})
        both = sorted(set(kwargs) & set(sizes))
        if len(args) > 2 or unknown or both or len({**sizes, **kwargs}) != 2:
            raise TypeError(f"{type(self).__name__}(...) is called with (pre_size, post_size) (positionally or by "
                            f"name), got {args!r} {kwargs!r}")
        sizes.update(kwargs)
        self.pre_num, self.post_num = _num(sizes["pre_size"]), _num(sizes["post_size"])
        self.__dict__.pop("_mat", None)
        return self

    def _matrix(self) -> np.ndarray:
        if self.pre_num is None or self.post_num is None:
            raise ValueError(f"{type(self).__name__}: call it with the sizes first, conn(pre.size, post.size)")
        if "_mat" not in self.__dict__:
            from .math.random import _key  # the construction-time stream of bm.random

            same = self.pre_num == self.post_num
            key = _key() if self.graph_seed is None else run_key(self.graph_seed)
            # a mixin before a brainbatch connector (FixedProb(TwoEndConnector, _c.FixedProb), ...)
            built = _c.AbstractConnector.__call__(cast(Any, self), key, self.pre_num, self.post_num, same)
            self._mat = np.asarray(built.dense()).astype(bool)
        return self._mat

    def require(self, *names: str) -> Any:
        """BrainPy's connection structures (one, or a tuple for several names)."""
        out = [self._structure(n) for n in names]
        return out[0] if len(out) == 1 else tuple(out)

    requires = require

    def _structure(self, name: str) -> Any:
        if name not in _STRUCTURES:
            from ..core.errors import did_you_mean
            raise ValueError(f"unknown connection structure {name!r}; known: {_STRUCTURES}.{did_you_mean(name, _STRUCTURES)}")
        mat = self._matrix()
        pre_ids, post_ids = np.nonzero(mat)  # synapses in pre-major order
        if name == "conn_mat":
            return jax.numpy.asarray(mat)
        if name == "pre_ids":
            return jax.numpy.asarray(pre_ids, dtype="int32")
        if name == "post_ids":
            return jax.numpy.asarray(post_ids, dtype="int32")
        if name in ("pre2post", "pre2syn"):
            indptr = np.concatenate([[0], np.cumsum(mat.sum(axis=1))]).astype("int32")
            idx = post_ids if name == "pre2post" else np.arange(len(pre_ids))
            return jax.numpy.asarray(idx, dtype="int32"), jax.numpy.asarray(indptr)
        order = np.argsort(post_ids, kind="stable")  # post-major
        indptr = np.concatenate([[0], np.cumsum(mat.sum(axis=0))]).astype("int32")
        idx = pre_ids[order] if name == "post2pre" else order
        return jax.numpy.asarray(idx, dtype="int32"), jax.numpy.asarray(indptr)


def _sizes(conn: TwoEndConnector, pre: Any, post: Any) -> None:
    """BrainPy's ``pre=``/``post=`` sizes (a projection gives its groups' anyway)."""
    if pre is not None and post is not None:
        conn.pre_num, conn.post_num = _num(getattr(pre, "size", pre)), _num(getattr(post, "size", post))


def check_seed(what: str, seed: Any) -> int | None:
    """A connector's ``seed``: None, or an integer >= 0 (Python or NumPy; not a bool), else a one-line error."""
    if seed is None:
        return None
    if is_int(seed) and seed >= 0:
        return int(seed)
    raise ValueError(f"{what}: seed must be None (the graph comes from the run's seed) or an integer >= 0 "
                     f"(one graph in every run, as a projection's graph_seed), got {seed!r}")


def _checks(conn: TwoEndConnector, what: str, seed: Any, allow_multi_conn: bool) -> None:
    if seed is not None:  # unset: the class's None (and the repr stays BrainPy's)
        conn.graph_seed = check_seed(what, seed)
    if allow_multi_conn:
        raise TypeError(f"{what}: allow_multi_conn=True is not supported (a pair of neurons has at most one synapse)")


class FixedProb(TwoEndConnector, _c.FixedProb):
    """Each pair is connected with probability ``prob`` (``include_self`` as BrainPy)."""

    def __init__(self, prob: float, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False, **kwargs: Any):
        _checks(self, "conn.FixedProb", seed, allow_multi_conn)
        if kwargs:
            raise TypeError(f"conn.FixedProb got unexpected arguments {sorted(kwargs)}")
        super().__init__(prob, allow_self_conn=include_self)
        _sizes(self, pre, post)


class FixedPreNum(TwoEndConnector, _c.FixedPreNum):
    """Each postsynaptic neuron receives ``num`` synapses."""

    def __init__(self, num: int, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False):
        _checks(self, "conn.FixedPreNum", seed, allow_multi_conn)
        super().__init__(num, allow_self_conn=include_self)
        _sizes(self, pre, post)


class FixedPostNum(TwoEndConnector, _c.FixedPostNum):
    """Each presynaptic neuron makes ``num`` synapses."""

    def __init__(self, num: int, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False):
        _checks(self, "conn.FixedPostNum", seed, allow_multi_conn)
        super().__init__(num, allow_self_conn=include_self)
        _sizes(self, pre, post)


class One2One(TwoEndConnector, _c.OneToOne):
    def __init__(self, pre: Any = None, post: Any = None):
        super().__init__()
        _sizes(self, pre, post)


class All2All(TwoEndConnector, _c.AllToAll):
    def __init__(self, pre: Any = None, post: Any = None, include_self: bool = True):
        super().__init__(allow_self_conn=include_self)
        _sizes(self, pre, post)


one2one, all2all = One2One(), All2All()


def __getattr__(name: str) -> Any:
    hint = "write a brainbatch connector (AbstractConnector) that draws from the key it is given"
    raise unsupported("brainbatch.brainpy.conn", name,
                      {k: hint for k in ("FixedTotalNum", "GaussianProb", "ProbDist", "SmallWorld", "ScaleFreeBA",
                                         "ScaleFreeBADual", "PowerLaw", "GridFour", "GridEight", "GridN",
                                         )}, __all__)


class MatConn(TwoEndConnector, _c.Explicit):
    """A connection matrix given by hand: ``conn_mat[i, j]`` nonzero is a synapse ``i -> j`` (the same graph in
    every run).

    >>> import brainbatch.brainpy as bp
    >>> bp.conn.MatConn([[0, 1], [1, 0]])(2, 2).require('pre2post')[0].tolist()
    [1, 0]
    """

    def __init__(self, conn_mat: Any, **kwargs: Any):
        _no_extras("conn.MatConn", kwargs)
        made = _c.Explicit.from_matrix(conn_mat)
        super().__init__(made.i, made.j, n_pre=made.n_pre, n_post=made.n_post)
        self.pre_num, self.post_num = made.n_pre, made.n_post


class IJConn(TwoEndConnector, _c.Explicit):
    """Synapses ``i[k] -> j[k]`` given by hand (BrainPy's ``IJConn(i, j)``)."""

    def __init__(self, i: Any, j: Any, **kwargs: Any):
        _no_extras("conn.IJConn", kwargs)
        super().__init__(i, j)


class CSRConn(TwoEndConnector, _c.Explicit):
    """Synapses by presynaptic row in CSR form: row ``i`` targets ``indices[inptr[i]:inptr[i + 1]]``."""

    def __init__(self, indices: Any, inptr: Any, **kwargs: Any):
        _no_extras("conn.CSRConn", kwargs)
        idx, ptr = np.asarray(indices), np.asarray(inptr)
        if ptr.ndim != 1 or len(ptr) < 1 or ptr[0] != 0 or np.any(np.diff(ptr) < 0) or ptr[-1] != len(idx):
            raise ValueError("conn.CSRConn: inptr must start at 0, never decrease and end at len(indices) "
                             f"(= {len(idx)}), got {ptr.tolist()[:10]}")
        super().__init__(np.repeat(np.arange(len(ptr) - 1), np.diff(ptr)), idx, n_pre=len(ptr) - 1)
        self.pre_num = len(ptr) - 1


class SparseMatConn(TwoEndConnector, _c.Explicit):
    """A scipy sparse matrix (``csr_mat[i, j]`` nonzero: a synapse ``i -> j``)."""

    def __init__(self, csr_mat: Any, **kwargs: Any):
        _no_extras("conn.SparseMatConn", kwargs)
        if not hasattr(csr_mat, "tocoo"):
            raise TypeError(f"conn.SparseMatConn needs a scipy.sparse matrix, got {type(csr_mat).__name__}")
        coo = csr_mat.tocoo()
        keep = coo.data != 0
        super().__init__(coo.row[keep], coo.col[keep], n_pre=coo.shape[0], n_post=coo.shape[1])
        self.pre_num, self.post_num = int(coo.shape[0]), int(coo.shape[1])


def _no_extras(what: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{what} got unexpected arguments {sorted(kwargs)}")


__all__ += ["MatConn", "IJConn", "CSRConn", "SparseMatConn"]
