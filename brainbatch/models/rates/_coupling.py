"""Delay couplings between the nodes of a rate network (BrainPy's ``DiffusiveCoupling``, ``AdditiveCoupling``).

Delays are per pair of nodes, in steps, from a delay matrix (e.g. fibre lengths / signal speed / dt).
The coupling keeps its own ring of the coupled variable's past values (the delay rule below, which is
docs/step-order.md's rule for delay buffers) and runs in the deliver phase, before the nodes.
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem, Variable
from ...core.checks import is_bool, is_traced
from ...core.delays import MAX_DELAY_STEPS
from ...core.modes import Mode
from ..neurons._base import check_initializer

__all__ = ["DelayCoupling", "DiffusiveCoupling", "AdditiveCoupling"]


def _check_var(role: str, var: Any) -> Variable:
    if not isinstance(var, Variable):
        raise TypeError(f"{role} must be a Variable (e.g. fhn.x), got {type(var).__name__}: {var!r}")
    if len(_unbatched_shape(var)) != 1:
        raise ValueError(f"{role} must be a 1-d Variable (one value per node), got shape {_unbatched_shape(var)}")
    return var


def _unbatched_shape(var: Variable) -> tuple[int, ...]:
    shape = tuple(var.shape)
    return shape if var.batch_axis is None else shape[:var.batch_axis] + shape[var.batch_axis + 1:]


def _check_delay_steps(delay_steps: Any, shape: tuple[int, ...]) -> Any:
    """``None``, an int, or an int ``(n_pre, n_post)`` matrix of whole steps >= 0 (concrete)."""
    if delay_steps is None:
        return None
    if callable(delay_steps):
        delay_steps = delay_steps(shape)
    if is_traced(delay_steps):
        raise TypeError("delay_steps size the coupling's history buffer: they must be concrete integers, not traced")
    if is_bool(delay_steps):
        raise TypeError(f"delay_steps must be an integer or an integer matrix of steps, got {delay_steps!r}")
    arr = np.asarray(delay_steps)
    if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.rint(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"delay_steps must be whole numbers of steps (integer dtype), got dtype {arr.dtype}; "
                        "round them, e.g. np.round(dist / speed / dt).astype(int)")
    if np.any(arr < 0):
        raise ValueError(f"delay_steps must be >= 0, got a minimum of {int(arr.min())}")
    if arr.size and int(arr.max()) > MAX_DELAY_STEPS:  # the history ring holds that many steps of every region
        raise ValueError(f"delay_steps must be at most {MAX_DELAY_STEPS} (a delay buffer's length), got a maximum of "
                         f"{int(arr.max())}")
    if arr.ndim == 0:
        return int(arr)
    if arr.shape != shape:
        raise ValueError(f"delay_steps must be a scalar or have shape (n_pre, n_post) = {shape}, got {arr.shape}")
    return arr.astype(np.int32)


class DelayCoupling(DynamicalSystem):
    """What the couplings share: the connection matrix, the delays and the history ring.

    Delay rule (BrainPy 2.8.2's for delays of 2 steps or more): with ``d`` steps, the coupling in step ``i``
    reads the value recorded at the end of step ``i - d``, i.e. ``d - 1`` steps before the current value;
    ``d`` = 0 or 1 read the current value. Values from before the run come from ``initial_delay_data``
    (``None``: zeros, as in BrainPy; an initializer is drawn per slot and node from the run key).
    (BrainPy 2.8.2 itself reads the initial data for the whole run, as if the delay were endless, wherever a
    pair's delay is 0 or 1 step: when the largest delay is 1 step (its ring of one slot; a run of it shows the
    same trace as with a delay of 20 steps), and as well for the pairs of 0 or 1 step inside a matrix of longer
    delays (they read a slot its ring never writes), while its pairs of 2 steps or more follow the rule above.
    That fault is not copied; building a ``bp.dyn`` coupling whose connected pairs have such delays warns,
    ``BrainPyDifferenceWarning``, naming them.)
    """

    # made by reset_state (init_variable): declared for the type checker only
    idx: Variable
    history: Variable

    update_phase = "deliver"

    def __init__(self, delay_var: Variable, var_to_output: Variable | Sequence[Variable], conn_mat: Any,
                 required_shape: tuple[int, int], delay_steps: Any = None, initial_delay_data: Any = None,
                 name: str | None = None, mode: Mode | None = None):
        super().__init__(name=name, mode=mode)
        self._delay_var = delay_var
        outs = [var_to_output] if isinstance(var_to_output, Variable) else list(var_to_output)
        for k, var in enumerate(outs):
            if not isinstance(var, Variable):
                raise TypeError(f"var_to_output[{k}] must be a Variable (e.g. fhn.input), got {var!r}")
        if not outs:
            raise ValueError("var_to_output must name at least one Variable (e.g. fhn.input)")
        self._outputs = outs
        if is_bool(conn_mat) or isinstance(conn_mat, str):
            raise TypeError(f"conn_mat must be a (n_pre, n_post) matrix of numbers, got {conn_mat!r}")
        if tuple(jnp.shape(conn_mat)) != tuple(required_shape):
            raise ValueError(f"conn_mat must have shape (n_pre, n_post) = {tuple(required_shape)}, "
                             f"got {tuple(jnp.shape(conn_mat))}")
        if not is_traced(conn_mat) and not np.all(np.isfinite(np.asarray(conn_mat, dtype=np.float64))):
            raise ValueError("conn_mat must be finite")
        self.conn_mat = conn_mat  # may be traced: a sweep over the global coupling scales it
        self.delay_steps = _check_delay_steps(delay_steps, tuple(required_shape))
        self._initial = None if initial_delay_data is None else check_initializer("initial_delay_data",
                                                                                  initial_delay_data)
        if self.delay_steps is None:
            self._lag, self._length = None, 0
        else:
            self._lag = np.maximum(np.asarray(self.delay_steps) - 1, 0)
            self._length = int(self._lag.max()) + 1
            if self._lag.ndim == 0:
                self._lag = int(self._lag)
        self.reset_state()

    @property
    def n_pre(self) -> int:
        return _unbatched_shape(self._delay_var)[0]

    def reset_state(self, batch_size: int | None = None) -> None:
        if self._length == 0:
            return
        init = 0.0 if self._initial is None else self._initial
        self.init_variable("history", init, shape=(self._length, self.n_pre), batch_size=batch_size,
                           dims=("delay_step", "node"), description="past values of the delayed variable (ring)")
        self.init_variable("idx", 0, shape=(), dtype=jnp.int32, batched=False, dims=(),
                           description="ring slot of the current value")

    def delayed(self) -> jax.Array:
        """The delayed variable: ``(..., n_pre)`` for one delay for all pairs, else ``(..., n_pre, n_post)``.

        Call once per step: it records the current value into the ring.
        """
        x = self._delay_var.value
        if self._length == 0:
            return x
        idx = self.idx.value
        hist = jax.lax.dynamic_update_index_in_dim(self.history.value, x.astype(self.history.dtype), idx, -2)
        self.history.value = hist
        self.idx.value = (idx + 1) % self._length
        if isinstance(self._lag, int):
            return jax.lax.dynamic_index_in_dim(hist, (idx - self._lag) % self._length, -2, keepdims=False)
        slots = (idx - jnp.asarray(self._lag)) % self._length                    # (n_pre, n_post)
        return hist[..., slots, jnp.arange(self.n_pre)[:, None]]                  # (..., n_pre, n_post)

    def weighted_sum(self, delayed: jax.Array) -> jax.Array:
        """``sum_i C[i, j] * delayed[..., i(, j)]`` -> ``(..., n_post)``."""
        conn = jnp.asarray(self.conn_mat, jnp.float32)
        if self._lag is not None and not isinstance(self._lag, int):  # per-pair delays
            return (conn * delayed).sum(-2)
        return delayed @ conn

    def emit(self, value: jax.Array) -> jax.Array:
        for target in self._outputs:
            target.value = target.value + value.astype(target.dtype)
        return value


class DiffusiveCoupling(DelayCoupling):
    """``target_j += sum_i C[i, j] * (x1_i(t - delay_ij) - x2_j(t))`` each step (BrainPy's ``DiffusiveCoupling``).

    Args:
        coupling_var1: the delayed variable (e.g. ``fhn.x``), 1-d.
        coupling_var2: the undelayed one (usually the same).
        var_to_output: a Variable or a list of them that receive the coupling (e.g. ``fhn.input``).
        conn_mat: ``(n_pre, n_post)`` weights; may be a JAX value (a swept global coupling times the
            structural connectivity).
        delay_steps: ``None``, an int, or an int ``(n_pre, n_post)`` matrix (or a callable returning
            one): the delay rule is ``DelayCoupling``'s.
        initial_delay_data: the values read before the run started (``None``: 0).

    Pre and post variables are references: add their groups to the Network too.

    >>> import brainbatch as bb, numpy as np
    >>> fhn = bb.FHN(3)
    >>> c = DiffusiveCoupling(fhn.x, fhn.x, fhn.input, conn_mat=np.ones((3, 3)), delay_steps=np.full((3, 3), 4))
    >>> c.history.shape   # d = 4 steps reads 3 steps back from the current value
    (4, 3)
    """

    def __init__(self, coupling_var1: Variable, coupling_var2: Variable,
                 var_to_output: Variable | Sequence[Variable], conn_mat: Any, delay_steps: Any = None,
                 initial_delay_data: Any = None, name: str | None = None, mode: Mode | None = None):
        _check_var("coupling_var1", coupling_var1)
        self._var2 = _check_var("coupling_var2", coupling_var2)
        super().__init__(coupling_var1, var_to_output, conn_mat,
                         (_unbatched_shape(coupling_var1)[0], _unbatched_shape(coupling_var2)[0]),
                         delay_steps, initial_delay_data, name=name, mode=mode)

    def update(self, *args: Any) -> jax.Array:
        delayed = self.delayed()
        conn = jnp.asarray(self.conn_mat, jnp.float32)
        return self.emit(self.weighted_sum(delayed) - self._var2.value * conn.sum(0))


class AdditiveCoupling(DelayCoupling):
    """``target_j += sum_i C[i, j] * x_i(t - delay_ij)`` each step (BrainPy's ``AdditiveCoupling``).

    >>> import brainbatch as bb, numpy as np
    >>> fhn = bb.FHN(2)
    >>> AdditiveCoupling(fhn.x, fhn.input, conn_mat=np.eye(2), delay_steps=3).history.shape
    (3, 2)
    """

    def __init__(self, coupling_var: Variable, var_to_output: Variable | Sequence[Variable], conn_mat: Any,
                 delay_steps: Any = None, initial_delay_data: Any = None, name: str | None = None,
                 mode: Mode | None = None):
        n = _unbatched_shape(_check_var("coupling_var", coupling_var))[0]
        super().__init__(coupling_var, var_to_output, conn_mat, (n, n), delay_steps, initial_delay_data,
                         name=name, mode=mode)

    def update(self, *args: Any) -> jax.Array:
        return self.emit(self.weighted_sum(self.delayed()))
