"""The sparse layout every connector returns, and the base class of connectors.

Layout (ELL, rows by presynaptic neuron): ``targets[i, :]`` lists the postsynaptic neurons of
presynaptic neuron ``i``, padded with the value ``n_post`` (a dummy neuron that propagation drops).
The width ``K`` is a static bound that depends only on the sizes and the connector's parameters, so
every seed gives arrays of the same shape and a vmapped batch of runs differs only in values.
"""
from __future__ import annotations

import abc
import dataclasses
import functools
import inspect
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from ...core.checks import check_int, is_traced
from ...errors import BrainbatchError, NamedKeywords, keywords_named

__all__ = ["AbstractConnector", "Connectivity", "ConnectivityOverflowError", "binomial_bound", "check_overflow"]

# Float32 cumulative sums of whole numbers stay exact below 2**24 (the samplers rely on it).
MAX_NEURONS = 2**24


class ConnectivityOverflowError(BrainbatchError, RuntimeError):
    """A presynaptic neuron drew more targets than the static bound ``K`` holds."""


@jax.tree_util.register_dataclass
@keywords_named
@dataclasses.dataclass(frozen=True)
class Connectivity:
    """Synapses of one projection as padded rows by presynaptic neuron.

    Attributes:
        targets: ``int32 (n_pre, K)``; postsynaptic indices, padding ``n_post``.
        overflow: ``bool ()``; True when some row needed more than ``K`` entries (its extra synapses
            are missing, so the graph is wrong and the run must not be trusted).
        n_post: number of postsynaptic neurons (static).

    >>> import jax
    >>> from brainbatch.models.connectivity import FixedProb
    >>> c = FixedProb(0.1)(jax.random.key(0), 50, 40)
    >>> c.targets.shape == (50, c.fan_out), c.dense().shape
    (True, (50, 40))
    """

    targets: jax.Array
    overflow: jax.Array
    n_post: int = dataclasses.field(metadata=dict(static=True))

    @property
    def n_pre(self) -> int:
        return self.targets.shape[-2]

    @property
    def fan_out(self) -> int:
        """The static row width ``K``."""
        return self.targets.shape[-1]

    def num_synapses(self) -> jax.Array:
        """Number of synapses (padding excluded)."""
        return jnp.sum(self.targets < self.n_post)

    def dense(self) -> jax.Array:
        """Synapse counts as a dense ``(n_pre, n_post)`` int32 matrix: for tests and small groups only."""
        if self.targets.ndim == 2 and not is_traced(self.targets):
            # on the host: a compiled scatter per shape cost more than the count itself
            targets = np.asarray(self.targets)
            out = np.zeros((targets.shape[0], self.n_post), np.int32)
            rows = np.broadcast_to(np.arange(targets.shape[0])[:, None], targets.shape)
            kept = targets < self.n_post  # padding (== n_post) is dropped, as the scatter's mode="drop" does
            np.add.at(out, (rows[kept], targets[kept]), 1)
            return jnp.asarray(out)
        return _dense(self.targets, self.n_post)


@functools.partial(jax.jit, static_argnums=1)
def _dense(targets: jax.Array, n_post: int) -> jax.Array:
    rows = jnp.broadcast_to(jnp.arange(targets.shape[-2])[:, None], targets.shape)
    out = jnp.zeros(targets.shape[:-1] + (n_post,), jnp.int32)
    return out.at[rows, targets].add(1, mode="drop")


def binomial_bound(n: int, p: float) -> int:
    """A row width that a Binomial(n, p) count exceeds with negligible probability.

    ``mean + 10 sd + 10``, capped at ``n``: even for a Poisson count with mean 80 the tail beyond the
    bound has probability below 1e-17 per row, and overflow is detected anyway.

    >>> binomial_bound(4000, 0.02)
    179
    """
    mean = n * p
    sd = math.sqrt(max(n * p * (1.0 - p), 0.0))
    return max(1, min(n, math.ceil(mean + 10.0 * sd + 10.0)))


def check_overflow(conn: Connectivity | jax.Array, what: str = "connectivity") -> None:
    """Raise ``ConnectivityOverflowError`` if any lane of ``conn.overflow`` is set (concrete values)."""
    flag = conn.overflow if isinstance(conn, Connectivity) else conn
    flag = np.asarray(flag)
    if np.any(flag):
        lanes = np.flatnonzero(flag.ravel()).tolist()
        raise ConnectivityOverflowError(
            f"{what}: a presynaptic neuron drew more synapses than the static bound holds "
            f"(lanes {lanes[:10]}); some synapses are missing. This should be astronomically rare: "
            "check the connector's parameters, or report it with the seed"
        )


def _check_size(name: str, n: Any) -> int:
    check_int(name, n, minimum=1)
    if n >= MAX_NEURONS:
        raise ValueError(f"{name} must be below {MAX_NEURONS} neurons, got {n!r}")
    return int(n)


class AbstractConnector(abc.ABC, NamedKeywords):
    """Draws a ``Connectivity`` from a key: ``conn(key, n_pre, n_post, same_group=False)``.

    Connectors hold parameters only; the graph is drawn by the projection in ``reset_state`` from its
    init key, so it comes from the run key (docs/random.md). ``same_group`` says that pre and post are the
    same neuron group, which is when ``allow_self_conn=False`` removes the ``i -> i`` synapses.
    Subclasses implement ``fan_out`` (the static ``K``) and ``build``.
    """

    #: whether ``i -> i`` synapses are kept when pre and post are the same group
    allow_self_conn: bool = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # BrainPy's keywords for the same connectors name brainbatch's (allow_multi_conn was answered
        # "Did you mean 'allow_self_conn'?", the opposite setting); keywords_named reads them at the error
        init = cls.__dict__.get("__init__")
        if inspect.isfunction(init):
            init.elsewhere = _brainpy_keywords(cls.__name__, _init_parameters(init))  # type: ignore[attr-defined]
        super().__init_subclass__(**kwargs)

    def excludes_self(self, n_pre: int, n_post: int, same_group: bool) -> bool:
        return bool(same_group) and not self.allow_self_conn and n_pre == n_post

    @abc.abstractmethod
    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        """The static row width ``K`` for these sizes."""

    @abc.abstractmethod
    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        """Draw the synapses (sizes already checked)."""

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        """Mean and variance of a pre neuron's number of synapses (sizes the rows of ``Pathways``).

        The default, ``(K, 0)``, is the static bound itself: safe, but wasteful where rows are padded.
        """
        return float(self.fan_out(n_pre, n_post, same_group)), 0.0

    @classmethod
    def table(cls, matrix: Any, **kwargs: Any) -> list[list["AbstractConnector | None"]]:
        """One connector per entry of ``matrix`` (rows: targets, columns: sources, NEST's order), ``None``
        where the entry is 0: the ``conn`` of ``Pathways``.

        >>> from brainbatch.models.connectivity import FixedProb
        >>> FixedProb.table([[0.1, 0.0]])
        [[FixedProb(prob=0.1, allow_self_conn=True), None]]
        """
        arr = np.asarray(matrix)
        if arr.ndim != 2:
            raise ValueError(f"{cls.__name__}.table needs a 2-D matrix (targets x sources), got shape {arr.shape}")
        make: Any = cls  # a concrete connector whose first argument is the entry (FixedProb's prob, ...)
        return [[None if float(v) == 0 else make(v.item() if hasattr(v, "item") else v, **kwargs) for v in row]
                for row in arr]

    def __call__(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool = False) -> Connectivity:
        n_pre, n_post = _check_size("n_pre", n_pre), _check_size("n_post", n_post)
        # Compiled as one program (eager op-by-op dispatch is far slower); inlined inside other traces.
        # A user connector with unhashable parameters (arrays) is built without the cache.
        try:
            hash(self)
        except TypeError:
            conn = self.build(key, n_pre, n_post, bool(same_group))
        else:
            conn = _build(self, key, n_pre, n_post, bool(same_group))
        expected = (n_pre, self.fan_out(n_pre, n_post, same_group))
        if conn.targets.shape != expected:  # a bug in a connector class, not in the user's model
            raise RuntimeError(
                f"{type(self).__name__}.build returned targets of shape {conn.targets.shape}, but its fan_out "
                f"promises {expected}: build and fan_out must agree"
            )
        return conn

    # Connectors are parameters only: equal parameters mean equal connectors (and one compiled build).
    # JAX's cache of compiled builds compares them (static arguments), so equality must be a plain bool:
    # arrays compare by contents, other objects (a Variable's == is element-wise) by identity. Private
    # attributes are caches, not parameters (BrainPy's conn keeps its drawn matrix in `_mat`, set after a
    # build put the connector in that cache: compared as a parameter, it broke a later lookup there).
    def _params(self) -> tuple:
        return (type(self),) + tuple(sorted((k, _canonical(v)) for k, v in vars(self).items()
                                            if not k.startswith("_")))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AbstractConnector) and self._params() == other._params()

    def __hash__(self) -> int:
        return hash(self._params())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


def _init_parameters(init: Any) -> set[str]:
    return set(inspect.signature(init).parameters)


def _brainpy_keywords(name: str, params: set[str]) -> dict[str, str]:
    """What BrainPy's keywords of a connector are called here (``{keyword: the sentence saying so}``)."""
    out = {"seed": "The graph's seed is the projection's: Projection(..., graph_seed=...) (docs/random.md)."}
    if "allow_self_conn" in params:
        out["include_self"] = ("BrainPy's include_self is allow_self_conn here (False: no i -> i synapses when "
                               "pre and post are the same group).")
    if "allow_multapses" in params:
        out["allow_multi_conn"] = "BrainPy's allow_multi_conn is allow_multapses here."
    else:
        out["allow_multi_conn"] = (f"{name} makes at most one synapse per pair (BrainPy's allow_multi_conn is "
                                   "allow_multapses= of FixedInDegree, FixedOutDegree and FixedTotalNumber).")
    return out


def _canonical(value: Any) -> Any:
    """A hashable stand-in for a connector parameter whose ``==`` is a plain bool.

    >>> _canonical([1, (2.0, "a")]) == _canonical([1, (2.0, "a")]), _canonical(np.arange(3))[:3]
    (True, ('array', (3,), 'int64'))
    """
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, type)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, *(_canonical(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *sorted((repr(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, np.ndarray) or (isinstance(value, jax.Array) and not is_traced(value)
                                         and not jnp.issubdtype(value.dtype, jax.dtypes.prng_key)):
        arr = np.asarray(value)
        return ("array", arr.shape, str(arr.dtype), arr.tobytes())
    if type(value).__eq__ is object.__eq__ and type(value).__hash__ is object.__hash__:
        return value  # compared by identity anyway (an initializer, a function)
    return ("object", type(value).__qualname__, id(value))  # kept alive by the connector that holds it


@functools.partial(jax.jit, static_argnums=(0, 2, 3, 4))
def _build(conn: AbstractConnector, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
    return conn.build(key, n_pre, n_post, same_group)


def padded(targets: jax.Array, valid: jax.Array, n_post: int) -> jax.Array:
    """``targets`` where ``valid``, the padding value ``n_post`` elsewhere, as int32."""
    return jnp.where(valid, targets, n_post).astype(jnp.int32)


def skip_diagonal(candidates: jax.Array, rows: jax.Array) -> jax.Array:
    """Map draws from ``n - 1`` candidates onto ``0..n-1`` without the row's own index."""
    return candidates + (candidates >= rows).astype(candidates.dtype)
