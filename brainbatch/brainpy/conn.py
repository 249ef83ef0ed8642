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
Inside a sweep's ``build()``, which JAX traces, a connector without ``seed`` draws each run's own graph
from the run key instead, once per connector (``bp.synapses.AMPA``'s dense matrix); a sparse structure
of such a graph has no fixed size there and is refused.

>>> import brainbatch.brainpy as bp
>>> bp.conn.FixedProb(prob=0.02).prob
0.02
>>> bp.conn.FixedProb(0.02, seed=3).graph_seed
3
"""
from __future__ import annotations

import math
import operator
from typing import Any, NamedTuple, cast

import jax
import jax.numpy as jnp
import numpy as np

from ..core import share
from ..core.checks import check_bool, is_int, is_real, is_traced
from ..core.jax_compat import trace_state_clean
from ..core.random import current_run_key, run_key
from ..models import connectivity as _c
from ..models.connectivity import check_prob, distinct_per_row, padded
from ._compat import unsupported

__all__ = ["FixedProb", "FixedPreNum", "FixedPostNum", "FixedTotalNum", "GaussianProb", "ProbDist", "One2One", "one2one", "All2All", "all2all", "TwoEndConnector"]

#: in a traced build: how many graphs connectors drew from the run key so far (the share context's count), and
#: the tag of those draws' keys
_CONN_DRAWS = "bp_conn_draws"
_CONN_TAG = 0x62705F63  # "bp_c"
_STRUCTURES = ("conn_mat", "pre2post", "post2pre", "pre_ids", "post_ids", "pre2syn", "post2syn")
#: BrainPy's other names of the same structures
_ALIASES: dict[str, Any] = {"csr": "pre2post", "csc": "post2pre", "coo": ("pre_ids", "post_ids")}


def _pre_post(args: tuple, kwargs: dict) -> list:
    """The sizes a connector is called with, ``(pre_size, post_size)``; a ``post_size`` left out is ``pre_size``,
    as in BrainPy (``GridFour()(pre_size=5)``: one grid onto itself)."""
    sizes = list(args) + [kwargs[k] for k in ("pre_size", "post_size") if k in kwargs]
    if len(sizes) == 1 and "post_size" not in kwargs:
        sizes.append(sizes[0])
    return sizes


def _num(size: Any) -> int:
    """The number of neurons of a size (an int or a shape); a size that is not whole numbers >= 0 is refused
    (``conn(4.5, 4)`` drew a 4 x 4 graph)."""
    sizes = [size] if np.ndim(size) == 0 else list(size)
    try:  # ints of any kind (NumPy's, a 0-d JAX integer), never a bool or a float
        if any(isinstance(s, (bool, np.bool_)) for s in sizes):
            raise TypeError
        counts = [operator.index(s) for s in sizes]
    except TypeError:
        counts = [-1]
    if not counts and np.ndim(size) or any(n < 0 for n in counts):
        raise ValueError(f"a connector's size must be a whole number of neurons >= 0 (or a shape of them), got "
                         f"{size!r}")
    return math.prod(counts)


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
        if len(args) > 2 or unknown or both or "pre_size" not in {**sizes, **kwargs}:
            raise TypeError(f"{type(self).__name__}(...) is called with (pre_size, post_size) (positionally or by "
                            f"name), got {args!r} {kwargs!r}")
        sizes.update(kwargs)
        sizes.setdefault("post_size", sizes["pre_size"])  # BrainPy: post_size=None is pre_size
        self.pre_num, self.post_num = _num(sizes["pre_size"]), _num(sizes["post_size"])
        for cache in [k for k in self.__dict__ if k.startswith("_mat")]:
            del self.__dict__[cache]
        return self

    def _law(self, name: str) -> Any:
        """The connector whose graph BrainPy's structure ``name`` holds (``FixedProb``: two laws)."""
        return self

    def _matrix(self, name: str = "conn_mat") -> Any:
        """The bool ``(n_pre, n_post)`` matrix of structure ``name``'s graph, drawn once: a NumPy array, or,
        when a sweep traces ``build()`` and the graph comes from each run's key (no ``seed``), a traced one,
        drawn once per run (the same for every synapse of that run that shares this connector)."""
        if self.pre_num is None or self.post_num is None:
            raise ValueError(f"{type(self).__name__}: call it with the sizes first, conn(pre.size, post.size)")
        law = self._law(name)
        cache = "_mat" if law is self else "_mat_" + type(law).__name__
        held = self.__dict__.get(cache)
        if isinstance(held, _RunGraph):  # drawn in a traced build: only that run's build may read it
            if held.run_key is not None and held.run_key is share.load("key", None):
                return held.mat
        elif held is not None:
            return held
        same = self.pre_num == self.post_num
        # a mixin before a brainbatch connector (FixedPreNum(TwoEndConnector, _c.FixedPreNum), ...)
        if self.graph_seed is None and not trace_state_clean():
            # a sweep's build(), traced for each program (init, chunks, probes): this run's own graph, from its
            # key and the connector's place among this build's draws, so every program draws the same one
            draws = share.load(_CONN_DRAWS, 0)
            share.save(**{_CONN_DRAWS: draws + 1})
            key = jax.random.fold_in(jax.random.fold_in(current_run_key(), _CONN_TAG), draws)
            mat = _c.AbstractConnector.__call__(cast(Any, law), key, self.pre_num, self.post_num, same).dense() != 0
            self.__dict__[cache] = _RunGraph(share.load("key", None), mat)
            return mat
        from .math.random import _key  # the construction-time stream of bm.random

        with jax.ensure_compile_time_eval():  # concrete even where a sweep traces build(): one graph, every run
            key = _key() if self.graph_seed is None else run_key(self.graph_seed)
            built = _c.AbstractConnector.__call__(cast(Any, law), key, self.pre_num, self.post_num, same)
        self.__dict__[cache] = _bool_matrix(np.asarray(built.targets), self.post_num)
        return self.__dict__[cache]

    def require(self, *names: Any) -> Any:
        """BrainPy's connection structures (one, or a tuple for several names); the sizes may come first, as in
        BrainPy's ``conn.require(pre_size, post_size, 'conn_mat')``. ``'csr'`` is ``'pre2post'``, ``'csc'``
        ``'post2pre'`` and ``'coo'`` the pair ``('pre_ids', 'post_ids')``.

        >>> import brainbatch.brainpy as bp
        >>> bp.conn.FixedProb(0.1, seed=0).require(10, 20, 'conn_mat').shape
        (10, 20)
        """
        sizes: list[Any] = []
        while names and not isinstance(names[0], str) and len(sizes) < 2:
            sizes.append(names[0])
            names = names[1:]
        if sizes:
            self(sizes[0], sizes[-1])  # BrainPy: one size serves both ends
        out = [self._structure(n) for n in names]
        return out[0] if len(out) == 1 else tuple(out)

    requires = require

    def _structure(self, name: str) -> Any:
        if name in _ALIASES:
            alias = _ALIASES[name]
            return tuple(self._structure(n) for n in alias) if isinstance(alias, tuple) else self._structure(alias)
        if name not in _STRUCTURES:
            from ..core.errors import did_you_mean
            known = (*_STRUCTURES, *_ALIASES)
            raise ValueError(f"unknown connection structure {name!r}; known: {known}.{did_you_mean(name, known)}")
        mat = self._matrix(name)
        if name == "conn_mat":
            return jax.numpy.asarray(mat)
        if is_traced(mat):
            raise TypeError(f"{type(self).__name__}.require({name!r}) inside a sweep's build(): each run draws its own "
                            f"graph there, and the size of {name!r} depends on the draw; give the connector seed=G "
                            f"(one graph for every run) or use 'conn_mat' (a projection, bp.dyn.*Proj*, draws sparse "
                            f"graphs per run)")
        pre_ids, post_ids = np.nonzero(mat)  # synapses in pre-major order
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


def _bool_matrix(targets: np.ndarray, n_post: int) -> np.ndarray:
    """The bool ``(n_pre, n_post)`` matrix of padded target rows, on the host: under
    ``ensure_compile_time_eval`` a compiled ``Connectivity.dense()`` ran op by op, each op compiled for its
    shape (0.6 s for a 300 x 300 graph).

    >>> _bool_matrix(np.array([[2, 0], [3, 3]]), 3).astype(int).tolist()
    [[1, 0, 1], [0, 0, 0]]
    """
    mat = np.zeros((targets.shape[0], n_post + 1), bool)  # the padding value n_post lands in the extra column
    mat[np.arange(targets.shape[0])[:, None], np.minimum(targets, n_post)] = True
    return mat[:, :n_post]


def conn_matrix(conn: Any, comp_method: str = "dense", what: str = "the synapse") -> Any:
    """The bool ``(n_pre, n_post)`` matrix of the graph a BrainPy synapse of ``comp_method`` multiplies by:
    ``'dense'`` its ``'conn_mat'``, ``'sparse'`` its CSR structure (``bp.conn.FixedProb`` draws them by two laws).
    A NumPy array, or a traced one where a sweep's ``build()`` draws each run's graph (``_matrix``).

    >>> conn_matrix(FixedProb(0.5, seed=1)(4, 6), "sparse").sum(axis=1).tolist()
    [3, 3, 3, 3]
    """
    if isinstance(conn, TwoEndConnector):
        return conn._matrix("conn_mat" if comp_method == "dense" else "pre2post")
    if not callable(getattr(conn, "require", None)):  # None, a name: 'NoneType' object has no attribute 'require'
        raise TypeError(f"{what}: conn must be a bp.conn connector (such as bp.conn.FixedProb(0.1)), a (pre.num, "
                        f"post.num) matrix or a dict of 'i' and 'j', got {conn!r}")
    mat = conn.require("conn_mat")
    return mat.astype(bool) if is_traced(mat) else np.asarray(mat, bool)


class _RunGraph(NamedTuple):
    """A graph drawn while a sweep traced one run's ``build()``, with the run key of that build."""

    run_key: Any
    mat: Any


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


def _brainpy_degree(prob: float, n_post: int) -> int:
    # BrainPy 2.8.2's own rounding of the expected fan-out: int(round(n_post * prob)), half to even
    return int(round(n_post * prob))


class FixedProb(TwoEndConnector, _c.AbstractConnector):
    """BrainPy 2.8.2's ``FixedProb`` and its graphs.

    Its sparse structures (``'pre2post'``, ``'post_ids'``..., so ``bp.dnn.CSRLinear``/``EventCSRLinear``, the
    projections and ``bp.synapses.Exponential``/``Delta``) give every presynaptic neuron exactly
    ``round(prob * n_post)`` distinct targets, drawn among all postsynaptic neurons; ``include_self=False``
    then drops the pairs ``i -> i`` (any two groups: BrainPy compares indices), so a neuron that drew itself has
    one fewer. ``pre_ratio < 1`` connects only ``int(pre_ratio * n_pre)`` presynaptic neurons chosen at random.
    Its dense matrix (``'conn_mat'``, so ``comp_method='dense'``: the default of ``bp.synapses.Alpha``,
    ``DualExponential``, ``AMPA``, ``GABAa``, ``GapJunction``) connects each pair with probability ``prob`` instead
    (``dense_law()``). brainbatch's own ``bb.FixedProb`` is the independent-pairs law throughout.

    >>> import brainbatch.brainpy as bp
    >>> c = bp.conn.FixedProb(0.1, seed=0)(50, 40)
    >>> set(np.diff(np.asarray(c.require('pre2post')[1])).tolist())
    {4}
    """

    def __init__(self, prob: float, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False, pre_ratio: float = 1.0, **kwargs: Any):
        _checks(self, "conn.FixedProb", seed, allow_multi_conn)
        _no_extras("conn.FixedProb", kwargs, FixedProb.__init__)
        self.prob = check_prob(prob)
        self.allow_self_conn = check_bool("include_self", include_self)
        self.pre_ratio = _check_ratio(pre_ratio)
        _sizes(self, pre, post)

    @property
    def include_self(self) -> bool:
        """BrainPy's name of ``allow_self_conn``."""
        return self.allow_self_conn

    @property
    def seed(self) -> int | None:
        """BrainPy's ``seed``: the graph seed (None: the graph comes from the run's seed)."""
        return self.graph_seed

    def __repr__(self) -> str:
        return (f"FixedProb(prob={self.prob}, pre_ratio={self.pre_ratio}, include_self={self.allow_self_conn}, "
                f"allow_multi_conn=False, seed={self.graph_seed})")

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return max(1, _brainpy_degree(self.prob, n_post))

    def fan_in(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        """A bound on the synapses into one neuron: each presynaptic neuron picks it with probability k / n_post."""
        return _c.binomial_bound(n_pre, min(1.0, _brainpy_degree(self.prob, n_post) / n_post))

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> _c.Connectivity:
        k = _brainpy_degree(self.prob, n_post)
        if k == 0:
            return _c.Connectivity(jnp.full((n_pre, 1), n_post, jnp.int32), jnp.zeros((), jnp.bool_), n_post)
        rows_key, targets_key = jax.random.split(key)
        targets = distinct_per_row(targets_key, n_pre, n_post, k)
        if self.pre_ratio < 1.0:
            chosen = jax.random.permutation(rows_key, n_pre)[:int(n_pre * self.pre_ratio)]
            targets = padded(targets, jnp.zeros(n_pre, jnp.bool_).at[chosen].set(True)[:, None], n_post)
        return _c.Connectivity(jnp.sort(_drop_self(targets, self.allow_self_conn, n_post), axis=1),
                               jnp.zeros((), jnp.bool_), n_post)

    def dense_law(self) -> "_DenseFixedProb":
        """The graph BrainPy builds from this connector's dense matrix (``comp_method='dense'``): each pair
        with probability ``prob``; the same ``seed``, sizes and options."""
        dense = _DenseFixedProb(self.prob, self.allow_self_conn, self.pre_ratio)
        dense.graph_seed, dense.pre_num, dense.post_num = self.graph_seed, self.pre_num, self.post_num
        return dense

    def _law(self, name: str) -> Any:
        return self.dense_law() if name == "conn_mat" else self


class _DenseFixedProb(TwoEndConnector, _c.AbstractConnector):
    """BrainPy 2.8.2's ``FixedProb.build_mat``: every pair with probability ``prob``, a presynaptic neuron kept
    with probability ``pre_ratio``, ``include_self=False`` clearing the diagonal ``i -> i``."""

    def __init__(self, prob: float, allow_self_conn: bool, pre_ratio: float) -> None:
        self.prob, self.allow_self_conn, self.pre_ratio = prob, allow_self_conn, pre_ratio
        self._pairs = _c.FixedProb(prob)

    def __repr__(self) -> str:
        return (f"FixedProb(prob={self.prob}, pre_ratio={self.pre_ratio}, include_self={self.allow_self_conn}, "
                f"seed={self.graph_seed}).dense_law()")

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return self._pairs.fan_out(n_pre, n_post)

    def fan_in(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return _c.binomial_bound(n_pre, self.prob)

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        return self._pairs.out_degree_moments(n_pre, n_post)

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> _c.Connectivity:
        rows_key, pairs_key = jax.random.split(key)
        conn = self._pairs.build(pairs_key, n_pre, n_post, False)
        targets = conn.targets
        if self.pre_ratio < 1.0:
            targets = padded(targets, (jax.random.uniform(rows_key, (n_pre,)) < self.pre_ratio)[:, None], n_post)
        return _c.Connectivity(jnp.sort(_drop_self(targets, self.allow_self_conn, n_post), axis=1), conn.overflow,
                               n_post)


def _drop_self(targets: jax.Array, allow_self_conn: bool, n_post: int) -> jax.Array:
    if allow_self_conn:
        return targets
    return padded(targets, targets != jnp.arange(targets.shape[0], dtype=targets.dtype)[:, None], n_post)


def _check_ratio(pre_ratio: Any) -> float:
    if not is_real(pre_ratio) or not 0.0 <= float(pre_ratio) <= 1.0:
        raise ValueError(f"conn.FixedProb: pre_ratio must be a number in [0, 1], got {pre_ratio!r}")
    return float(pre_ratio)


class _CountFromSizes(TwoEndConnector):
    """A BrainPy connector whose ``num`` may be a fraction, so that the count of synapses follows from the groups'
    sizes: every call goes to the brainbatch law's own method (``_law_class``) on the law for the sizes
    (``_count``: this connector, or one with the count a fraction makes)."""

    _law_class: Any  # the brainbatch connector class this one is
    fraction: float | None = None

    def _fraction(self, what: str, num: Any, of: str) -> Any:
        """``num``, or 0 where it is a fraction in [0, 1] (kept in ``fraction``: the count follows from the sizes)."""
        if isinstance(num, float) or (is_real(num) and not is_int(num)):
            if not 0.0 <= float(num) <= 1.0:
                raise ValueError(f"{what}: num must be an integer >= 0 or a fraction in [0, 1] of {of}, got {num!r}")
            self.fraction, num = float(num), 0
        return num

    def _count(self, n_pre: int, n_post: int) -> Any:  # pragma: no cover - each connector's own
        raise NotImplementedError

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return self._law_class.fan_out(self._count(n_pre, n_post), n_pre, n_post, same_group)

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        return self._law_class.out_degree_moments(self._count(n_pre, n_post), n_pre, n_post, same_group)

    def num_pairs(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return self._law_class.num_pairs(self._count(n_pre, n_post), n_pre, n_post, same_group)

    def pairs(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> tuple[jax.Array, jax.Array]:
        return self._law_class.pairs(self._count(n_pre, n_post), key, n_pre, n_post, same_group)

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> _c.Connectivity:
        return self._law_class.build(self._count(n_pre, n_post), key, n_pre, n_post, same_group)


class _FixedDegree(_CountFromSizes):
    """BrainPy's ``num``: a count, or a float, the fraction of the other side's neurons (``int(n * num)``, as
    BrainPy 2.8.2 counts it; ``FixedPostNum(0.5)`` of 16 postsynaptic neurons makes 8 synapses per neuron)."""

    _side: str  # whose count a fraction is of: "pre" or "post"
    allow_self_conn: bool  # the law's (set by its __init__)

    def _setup(self, what: str, num: Any, pre: Any, post: Any, seed: Any, include_self: bool,
               allow_multi_conn: bool) -> None:
        _checks(self, what, seed, allow_multi_conn)
        num = self._fraction(what, num, f"the {self._side}synaptic neurons")
        self._law_class.__init__(self, num, allow_self_conn=include_self)
        _sizes(self, pre, post)

    def _count(self, n_pre: int, n_post: int) -> Any:
        if self.fraction is None:
            return self
        return self._law_class(int((n_pre if self._side == "pre" else n_post) * self.fraction),
                               allow_self_conn=self.allow_self_conn)

    def fan_in(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        """The bound on synapses into one neuron a plastic projection sizes its index by: the law's, for the count
        a fraction makes (read from ``num``, 0 here, it was 0 and every plastic projection overflowed)."""
        law = self._count(n_pre, n_post)
        if self._side == "pre":  # each postsynaptic neuron receives num
            return min(n_pre, int(law.num))
        excl = int(law.excludes_self(n_pre, n_post, same_group))
        return _c.binomial_bound(n_pre - excl, min(1.0, int(law.num) / max(n_post - excl, 1)))


class FixedPreNum(_FixedDegree, _c.FixedPreNum):
    """Each postsynaptic neuron receives ``num`` synapses (a float: that fraction of the presynaptic neurons).

    >>> import brainbatch.brainpy as bp
    >>> bp.conn.FixedPreNum(0.5, seed=1).require(4, 6, 'conn_mat').sum(axis=0).tolist()
    [2, 2, 2, 2, 2, 2]
    """

    _law_class, _side = _c.FixedPreNum, "pre"

    def __init__(self, num: int | float, pre: Any = None, post: Any = None, seed: Any = None,
                 include_self: bool = True, allow_multi_conn: bool = False):
        self._setup("conn.FixedPreNum", num, pre, post, seed, include_self, allow_multi_conn)


class FixedPostNum(_FixedDegree, _c.FixedPostNum):
    """Each presynaptic neuron makes ``num`` synapses (a float: that fraction of the postsynaptic neurons)."""

    _law_class, _side = _c.FixedPostNum, "post"

    def __init__(self, num: int | float, pre: Any = None, post: Any = None, seed: Any = None,
                 include_self: bool = True, allow_multi_conn: bool = False):
        self._setup("conn.FixedPostNum", num, pre, post, seed, include_self, allow_multi_conn)


class FixedTotalNum(_CountFromSizes, _c.FixedTotalNumber):
    """``num`` synapses in all, ``num`` distinct pairs drawn uniformly (every set of ``num`` pairs equally likely),
    self-pairs included as in BrainPy; a float ``num`` in [0, 1] is that fraction of all pairs, rounded.

    >>> import brainbatch.brainpy as bp
    >>> int(bp.conn.FixedTotalNum(0.25, seed=1).require(8, 10, 'conn_mat').sum())
    20
    """

    _law_class = _c.FixedTotalNumber

    def __init__(self, num: int | float, allow_multi_conn: bool = False, seed: Any = None, pre: Any = None,
                 post: Any = None):
        _checks(self, "conn.FixedTotalNum", seed, allow_multi_conn)
        count = self._fraction("conn.FixedTotalNum", num, "all pairs")
        _c.FixedTotalNumber.__init__(self, count, allow_self_conn=True, allow_multapses=False)
        _sizes(self, pre, post)

    def _count(self, n_pre: int, n_post: int) -> _c.FixedTotalNumber:
        if self.fraction is None:
            return self
        return _c.FixedTotalNumber(int(round(self.fraction * n_pre * n_post)), allow_multapses=False)


class _OnGrids(TwoEndConnector, _c.AbstractConnector):
    """A connector whose graph follows its groups' shapes (grids), which only their sizes give: ``conn(pre.size,
    post.size)`` (BrainPy's synapses call it so) or ``pre=``/``post=``; a brainbatch projection passes counts
    only, so a connector not given its grids first is refused there. ``_grids(pre, post)`` checks the shapes."""

    grids: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        what = type(self).__name__
        if args and isinstance(args[0], jax.Array) and jax.dtypes.issubdtype(args[0].dtype, jax.dtypes.prng_key):
            if self.grids is None:
                raise ValueError(f"conn.{what}: give the grid first, conn(pre.size, post.size) or "
                                 f"{what}(..., pre=size, post=size)")
            return _c.AbstractConnector.__call__(self, *args, **kwargs)
        sizes = _pre_post(args, kwargs)
        if len(sizes) != 2:
            raise TypeError(f"conn.{what}(...) is called with (pre_size, post_size), got {sizes!r}")
        pre, post = (tuple(int(n) for n in np.atleast_1d(getattr(x, "size", x))) for x in sizes)
        self._grids(pre, post)
        self.grids = (pre, post)
        self.__dict__.pop("_law_matrix", None)  # drawn for other grids
        return TwoEndConnector.__call__(self, pre, post)

    def _grids(self, pre: tuple[int, ...], post: tuple[int, ...]) -> None:
        """Refuse shapes this connector cannot connect (a ValueError naming them)."""

    def _common(self, include_self: Any, seed: Any, pre: Any, post: Any) -> None:
        """The arguments every grid connector takes: ``include_self``, ``seed``, and the sizes if given."""
        self.include_self = check_bool("include_self", include_self)
        self.allow_self_conn = self.include_self
        if seed is not None:
            self.graph_seed = check_seed(f"conn.{type(self).__name__}", seed)
        if pre is not None:
            self(pre, pre if post is None else post)

    def __hash__(self) -> int:  # a grid-dependent law: built without the shared program cache
        raise TypeError(f"{type(self).__name__} is not hashable")


class GaussianProb(_OnGrids):
    """BrainPy's ``GaussianProb``: neurons of one grid, each pair ``(i, j)`` connected with probability
    ``exp(-|v_i - v_j|^2 / (2 sigma^2))`` (divided by its largest value with ``normalize``), ``v`` a neuron's
    position (its grid indices, or values spread over ``encoding_values``), distances wrapped with
    ``periodic_boundary``; ``include_self=False`` drops ``i -> i``. Every pair is drawn independently, as BrainPy
    draws it (``p >= u``, ``u`` uniform), from the run's key or ``seed``. BrainPy's positions are kept, also its
    order of them on a grid of three or more dimensions. The grid comes from ``conn(size, size)`` (BrainPy's
    synapses do this) or ``pre=size``.

    >>> import brainbatch.brainpy as bp
    >>> p = bp.conn.GaussianProb(sigma=1.0)(5, 5).probabilities()
    >>> p.shape, float(p[0, 0]), round(float(p[0, 1]), 4)
    ((5, 5), 1.0, 0.6065)
    """

    def __init__(self, sigma: float, encoding_values: Any = None, normalize: bool = True, include_self: bool = True,
                 periodic_boundary: bool = False, seed: Any = None, pre: Any = None, post: Any = None, **kwargs: Any):
        _no_extras("conn.GaussianProb", kwargs, type(self).__init__)
        if not is_real(sigma) or not float(sigma) > 0 or not math.isfinite(float(sigma)):
            raise ValueError(f"conn.GaussianProb: sigma must be a number > 0, got {sigma!r}")
        self.sigma = float(sigma)
        self.encoding_values = encoding_values
        self.normalize = check_bool("normalize", normalize)
        self.periodic_boundary = check_bool("periodic_boundary", periodic_boundary)
        self._common(include_self, seed, pre, post)

    def __repr__(self) -> str:
        return (f"GaussianProb(sigma={self.sigma}, normalize={self.normalize}, periodic_boundary="
                f"{self.periodic_boundary}, include_self={self.include_self}, seed={self.graph_seed})")

    @property
    def grid(self) -> tuple[int, ...] | None:
        """The grid's shape (pre and post are one grid), or None before the sizes are given."""
        return None if self.grids is None else self.grids[0]

    def _grids(self, pre: tuple[int, ...], post: tuple[int, ...]) -> None:
        if pre != post:
            raise ValueError(f"conn.GaussianProb connects one grid to itself: give equal pre and post sizes, "
                             f"got {pre} and {post}")
        self._value_ranges(pre)  # checked now, not at the first draw

    def _value_ranges(self, shape: tuple[int, ...]) -> list[tuple[float, float]]:
        values = self.encoding_values
        if values is None:
            return [(0.0, float(n)) for n in shape]
        bad = ValueError(f"conn.GaussianProb: encoding_values must be (low, high), the same for every axis, or one "
                         f"(low, high) per axis of the grid {shape}, each with low < high; got {values!r}")
        if not isinstance(values, (tuple, list)) or not values:
            raise bad
        pairs = [values] * len(shape) if is_real(values[0]) else list(values)
        if len(pairs) != len(shape):
            raise bad
        for pair in pairs:
            if (not isinstance(pair, (tuple, list)) or len(pair) != 2 or not all(is_real(v) for v in pair)
                    or not float(pair[0]) < float(pair[1])):
                raise bad
        return [(float(a), float(b)) for a, b in pairs]

    def probabilities(self) -> np.ndarray:
        """The ``(n, n)`` float64 matrix of connection probabilities (BrainPy's ``prob_mat``)."""
        if self.grid is None:
            raise ValueError("conn.GaussianProb: call it with the sizes first, conn(pre.size, post.size)")
        if "_law_matrix" not in self.__dict__:
            shape, ranges = self.grid, self._value_ranges(self.grid)
            axes = [np.linspace(lo, hi, n + 1)[:n] for (lo, hi), n in zip(ranges, shape)]
            # BrainPy's positions: targets from np.meshgrid's default ("xy") order, sources by divmod over the
            # axes, first axis fastest; the two agree in one and two dimensions
            post = np.stack([v.ravel() for v in np.meshgrid(*axes)])  # (d, n)
            index = np.arange(math.prod(shape))
            coords = []
            for n in shape[:-1]:
                index, pos = np.divmod(index, n)
                coords.append(pos)
            coords.append(index)
            pre = np.stack([axis[c] for axis, c in zip(axes, coords)])  # (d, n)
            dist = np.abs(pre[:, :, None] - post[:, None, :])
            if self.periodic_boundary:
                extent = np.array([hi - lo for lo, hi in ranges])[:, None, None]
                dist = np.where(dist > extent / 2, extent - dist, dist)
            prob = np.exp(-((np.linalg.norm(dist, axis=0) / self.sigma) ** 2) / 2)
            if self.normalize:
                prob = prob / prob.max()
            self.__dict__["_law_matrix"] = prob
        return self.__dict__["_law_matrix"]

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        p = self.probabilities()
        if not self.include_self:
            p = p * (1 - np.eye(len(p)))
        mean, var = p.sum(axis=1), (p * (1 - p)).sum(axis=1)
        return max(1, min(n_post, math.ceil(float(np.max(mean + 10.0 * np.sqrt(var))) + 10)))

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        p = self.probabilities()
        if not self.include_self:
            p = p * (1 - np.eye(len(p)))
        return float(p.sum(axis=1).mean()), float((p * (1 - p)).sum(axis=1).mean())

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> _c.Connectivity:
        prob = self.probabilities()
        if prob.shape != (n_pre, n_post):
            raise ValueError(f"conn.GaussianProb: its grid {self.grid} has {len(prob)} neurons, the projection "
                             f"connects {n_pre} to {n_post}")
        mask = jnp.asarray(prob, jnp.float32) >= jax.random.uniform(key, prob.shape)
        if not self.include_self:
            mask = mask & ~jnp.eye(n_pre, dtype=bool)
        k = self.fan_out(n_pre, n_post, same_group)
        targets = jnp.sort(jnp.where(mask, jnp.arange(n_post, dtype=jnp.int32), n_post), axis=1)
        return _c.Connectivity(targets[:, :k], jnp.any(mask.sum(axis=1) > k), n_post)



class ProbDist(_OnGrids):
    """BrainPy's ``ProbDist``: each pair of grid positions within Euclidean distance ``dist`` (positions are grid
    indices; pre and post grids of the same dimension, sizes may differ) connected with probability ``prob``,
    each presynaptic neuron kept with probability ``pre_ratio``; ``include_self=False`` drops pairs at
    distance 0. Drawn from the run's key or ``seed``. The grids come from ``conn(pre.size, post.size)``
    (BrainPy's synapses do this) or ``pre=``/``post=``.

    >>> import brainbatch.brainpy as bp
    >>> bp.conn.ProbDist(dist=1, prob=1.0)(5, 5).require('conn_mat').sum(axis=1).tolist()
    [2, 3, 3, 3, 2]
    """

    def __init__(self, dist: float = 1, prob: float = 1.0, pre_ratio: float = 1.0, seed: Any = None,
                 include_self: bool = True, pre: Any = None, post: Any = None, **kwargs: Any):
        _no_extras("conn.ProbDist", kwargs, type(self).__init__)
        if not is_real(dist) or not float(dist) >= 0 or not math.isfinite(float(dist)):
            raise ValueError(f"conn.ProbDist: dist must be a number >= 0, got {dist!r}")
        self.dist, self.prob = float(dist), check_prob(prob)
        if not is_real(pre_ratio) or not 0.0 <= float(pre_ratio) <= 1.0:
            raise ValueError(f"conn.ProbDist: pre_ratio must be a number in [0, 1], got {pre_ratio!r}")
        self.pre_ratio = float(pre_ratio)
        self._common(include_self, seed, pre, post)

    def __repr__(self) -> str:
        return (f"ProbDist(dist={self.dist}, prob={self.prob}, pre_ratio={self.pre_ratio}, "
                f"include_self={self.include_self}, seed={self.graph_seed})")

    def _grids(self, pre: tuple[int, ...], post: tuple[int, ...]) -> None:
        if len(pre) != len(post):
            raise ValueError(f"conn.ProbDist: the pre grid {pre} and the post grid {post} must have the same number "
                             "of dimensions")

    def candidates(self) -> np.ndarray:
        """The bool ``(n_pre, n_post)`` matrix of the pairs within ``dist`` (the graph at ``prob=1``)."""
        if self.grids is None:
            raise ValueError("conn.ProbDist: call it with the sizes first, conn(pre.size, post.size)")
        if "_law_matrix" not in self.__dict__:
            pre, post = self.grids
            a = np.stack(np.unravel_index(np.arange(math.prod(pre)), pre), 1).astype(float)
            b = np.stack(np.unravel_index(np.arange(math.prod(post)), post), 1).astype(float)
            d = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
            self.__dict__["_law_matrix"] = (d <= self.dist) & ((d != 0) | self.include_self)
        return self.__dict__["_law_matrix"]

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        per_row = self.candidates().sum(axis=1)
        return max(1, max(_c.binomial_bound(int(n), self.prob) for n in np.unique(per_row)))

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        n = self.candidates().sum(axis=1) * self.pre_ratio
        return float((n * self.prob).mean()), float((n * self.prob * (1 - self.prob)).mean())

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> _c.Connectivity:
        near = self.candidates()
        if near.shape != (n_pre, n_post):
            raise ValueError(f"conn.ProbDist: its grids {self.grids} hold {near.shape} neurons, the projection "
                             f"connects {n_pre} to {n_post}")
        k_pairs, k_rows = jax.random.split(key)
        mask = jnp.asarray(near) & (jax.random.uniform(k_pairs, near.shape) < self.prob)
        mask = mask & (jax.random.uniform(k_rows, (n_pre, 1)) < self.pre_ratio)
        k = self.fan_out(n_pre, n_post, same_group)
        targets = jnp.sort(jnp.where(mask, jnp.arange(n_post, dtype=jnp.int32), n_post), axis=1)
        return _c.Connectivity(targets[:, :k], jnp.any(mask.sum(axis=1) > k), n_post)



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
                      {k: hint for k in ( "ProbDist", "SmallWorld", "ScaleFreeBA",
                                         "ScaleFreeBADual", "PowerLaw")}, __all__)


class GridN(TwoEndConnector, _c.Explicit):
    """Each neuron of a grid (the group's ``size``: 1-, 2- or more-dimensional) to every neuron within ``N``
    steps along every axis (a (2N+1)^d block, BrainPy's ``GridN``); ``periodic_boundary`` wraps the edges,
    ``include_self`` keeps ``i -> i``. The same graph in every run. Pre and post are one grid.

    >>> import brainbatch.brainpy as bp
    >>> bp.conn.GridFour()((3, 3), (3, 3)).require('conn_mat').sum(axis=1).tolist()  # corners 2, edges 3, centre 4
    [2, 3, 2, 3, 4, 3, 2, 3, 2]
    """

    #: the neighbours' offsets along the axes: "block" (|offset| <= N on every axis) or "axes" (one axis, +-1)
    _shape_rule = "block"

    def __init__(self, N: int = 1, include_self: bool = False, periodic_boundary: bool = False,
                 pre: Any = None, post: Any = None, **kwargs: Any):
        _no_extras(f"conn.{type(self).__name__}", kwargs, type(self).__init__)
        from ..core.checks import check_bool, check_int

        self.N = check_int(f"{type(self).__name__}: N", N, minimum=1)
        self.include_self = check_bool("include_self", include_self)
        self.periodic_boundary = check_bool("periodic_boundary", periodic_boundary)
        self.grid: tuple[int, ...] | None = None
        super().__init__(np.zeros(0, np.int32), np.zeros(0, np.int32), n_pre=0, n_post=0)
        if pre is not None:
            self(pre, pre if post is None else post)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], jax.Array) and jax.dtypes.issubdtype(args[0].dtype, jax.dtypes.prng_key):
            if self.grid is None:  # a brainbatch projection: the sizes it knows are counts, not the grid's shape
                raise ValueError(f"conn.{type(self).__name__}: give the grid first, conn(pre.size, post.size) or "
                                 f"{type(self).__name__}(pre=size, post=size)")
            return super().__call__(*args, **kwargs)
        sizes = _pre_post(args, kwargs)
        shape = tuple(int(s) for s in np.atleast_1d(sizes[0])) if sizes else ()
        if len(sizes) != 2 or shape != tuple(int(s) for s in np.atleast_1d(sizes[1])):
            raise ValueError(f"conn.{type(self).__name__} connects one grid to itself: give equal pre and post sizes, "
                             f"got {sizes!r}")
        i, j = self._pairs(shape)
        _c.Explicit.__init__(self, i, j, n_pre=math.prod(shape), n_post=math.prod(shape))
        self.grid = shape
        return super().__call__(*args, **kwargs)

    def _offsets(self, d: int) -> np.ndarray:
        if self._shape_rule == "axes":
            eye = np.eye(d, dtype=np.int64)
            return np.concatenate([eye, -eye])
        steps = np.arange(-self.N, self.N + 1)
        block = np.stack(np.meshgrid(*([steps] * d), indexing="ij"), -1).reshape(-1, d)
        return block[np.any(block != 0, axis=1)]

    def _pairs(self, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        n, dims = math.prod(shape), np.asarray(shape)
        coords = np.stack(np.unravel_index(np.arange(n), shape), 1)
        offsets = self._offsets(len(shape))
        if self.include_self:
            offsets = np.concatenate([np.zeros((1, len(shape)), np.int64), offsets])
        pairs: set[tuple[int, int]] = set()
        for off in offsets:
            target = coords + off
            if self.periodic_boundary:
                target, ok = target % dims, np.ones(n, bool)
            else:
                ok = np.all((target >= 0) & (target < dims), axis=1)
            j = np.ravel_multi_index(tuple(target[ok].T), shape)
            pairs.update(zip(np.flatnonzero(ok).tolist(), j.tolist()))  # a wrap onto one neighbour twice: one synapse
        ij = np.array(sorted(pairs), np.int64).reshape(-1, 2)
        return ij[:, 0], ij[:, 1]


class GridEight(GridN):
    """Each neuron of a grid to its 8 neighbours (in 2-D; 3^d - 1 in d dimensions): ``GridN(N=1)``."""

    def __init__(self, include_self: bool = False, periodic_boundary: bool = False, pre: Any = None,
                 post: Any = None, **kwargs: Any):
        super().__init__(1, include_self, periodic_boundary, pre, post, **kwargs)


class GridFour(GridN):
    """Each neuron of a grid to its 4 neighbours along the axes (in 2-D; 2d in d dimensions)."""

    _shape_rule = "axes"

    def __init__(self, include_self: bool = False, periodic_boundary: bool = False, pre: Any = None,
                 post: Any = None, **kwargs: Any):
        super().__init__(1, include_self, periodic_boundary, pre, post, **kwargs)


class MatConn(TwoEndConnector, _c.Explicit):
    """A connection matrix given by hand: ``conn_mat[i, j]`` nonzero is a synapse ``i -> j`` (the same graph in
    every run).

    >>> import brainbatch.brainpy as bp
    >>> bp.conn.MatConn([[0, 1], [1, 0]])(2, 2).require('pre2post')[0].tolist()
    [1, 0]
    """

    def __init__(self, conn_mat: Any, **kwargs: Any):
        _no_extras("conn.MatConn", kwargs, type(self).__init__)
        made = _c.Explicit.from_matrix(conn_mat)
        super().__init__(made.i, made.j, n_pre=made.n_pre, n_post=made.n_post)
        self.pre_num, self.post_num = made.n_pre, made.n_post


class IJConn(TwoEndConnector, _c.Explicit):
    """Synapses ``i[k] -> j[k]`` given by hand (BrainPy's ``IJConn(i, j)``)."""

    def __init__(self, i: Any, j: Any, **kwargs: Any):
        _no_extras("conn.IJConn", kwargs, type(self).__init__)
        super().__init__(i, j)


class CSRConn(TwoEndConnector, _c.Explicit):
    """Synapses by presynaptic row in CSR form: row ``i`` targets ``indices[inptr[i]:inptr[i + 1]]``."""

    def __init__(self, indices: Any, inptr: Any, **kwargs: Any):
        _no_extras("conn.CSRConn", kwargs, type(self).__init__)
        idx, ptr = np.asarray(indices), np.asarray(inptr)
        if ptr.ndim != 1 or len(ptr) < 1 or ptr[0] != 0 or np.any(np.diff(ptr) < 0) or ptr[-1] != len(idx):
            raise ValueError("conn.CSRConn: inptr must start at 0, never decrease and end at len(indices) "
                             f"(= {len(idx)}), got {ptr.tolist()[:10]}")
        super().__init__(np.repeat(np.arange(len(ptr) - 1), np.diff(ptr)), idx, n_pre=len(ptr) - 1)
        self.pre_num = len(ptr) - 1


class SparseMatConn(TwoEndConnector, _c.Explicit):
    """A scipy sparse matrix (``csr_mat[i, j]`` nonzero: a synapse ``i -> j``)."""

    def __init__(self, csr_mat: Any, **kwargs: Any):
        _no_extras("conn.SparseMatConn", kwargs, type(self).__init__)
        if not hasattr(csr_mat, "tocoo"):
            raise TypeError(f"conn.SparseMatConn needs a scipy.sparse matrix, got {type(csr_mat).__name__}")
        coo = csr_mat.tocoo()
        keep = coo.data != 0
        super().__init__(coo.row[keep], coo.col[keep], n_pre=coo.shape[0], n_post=coo.shape[1])
        self.pre_num, self.post_num = int(coo.shape[0]), int(coo.shape[1])


def _no_extras(what: str, kwargs: dict, init: Any = None) -> None:
    if kwargs:
        import inspect

        from ..core.errors import did_you_mean

        known = [] if init is None else [n for n in inspect.signature(init).parameters if n not in ("self", "kwargs")]
        hint = did_you_mean(sorted(kwargs)[0], known) if known else ""
        raise TypeError(f"{what} got unexpected arguments {sorted(kwargs)}.{hint}" if hint else
                        f"{what} got unexpected arguments {sorted(kwargs)}")


__all__ += ["MatConn", "IJConn", "CSRConn", "SparseMatConn", "GridFour", "GridEight", "GridN"]
