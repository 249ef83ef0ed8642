"""``brainbatch.brainpy.running`` (``bp.running``): BrainPy's maps of a simulation function over parameters.

``jax_vectorize_map``, ``jax_parallelize_map``, ``cpu_ordered_parallel``, ``cpu_unordered_parallel``,
``process_pool`` and ``process_pool_lock`` take BrainPy's arguments and give BrainPy's results (stacked arrays
for the JAX maps, a list in the order of the tasks for the others), so a BrainPy parameter-exploration script
runs by its imports. Here each task is one call of ``func`` in this process, one after another: a model built
and run inside ``func`` is a host-side program (its runner compiles, loops over chunks, reads monitors back),
which neither ``jax.vmap`` nor a forked worker can hold, and the programs of a task are reused by the next one
of the same shape. The numbers are the same as one call per task. For many runs of one model, a brainbatch
sweep (``brainbatch sweep experiment.py``) is the fast path: one vmapped compiled program per device, its
results in a store (docs/executors.md).

>>> import brainbatch.brainpy as bp
>>> import brainbatch.brainpy.math as bm
>>> bp.running.jax_vectorize_map(lambda a, b: a * b, [bm.arange(4.), bm.ones(4) * 2], num_parallel=2).tolist()
[0.0, 2.0, 4.0, 6.0]
>>> bp.running.cpu_ordered_parallel(lambda x: x + 1, {'x': [1, 2, 3]}, num_process=2, disable=True)
[2, 3, 4]
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..core.checks import check_int
from ..core.variable import Variable, unwrap
from ..run.progress import step_progress

__all__ = ["jax_vectorize_map", "jax_parallelize_map", "cpu_ordered_parallel", "cpu_unordered_parallel",
           "process_pool", "process_pool_lock", "TRAIN_PHASE", "FIT_PHASE", "TEST_PHASE", "PREDICT_PHASE",
           "RUN_PHASE", "LOSS_PHASE"]

TRAIN_PHASE, FIT_PHASE, TEST_PHASE, PREDICT_PHASE, RUN_PHASE, LOSS_PHASE = (
    "train", "fit", "test", "predict", "predict", "loss")


def _is_array(x: Any) -> bool:
    return isinstance(x, (np.ndarray, jax.Array, Variable))


def _check_num(what: str, name: str, value: Any, floats: bool = False) -> None:
    if floats and isinstance(value, float) and value > 0.0 and np.isfinite(value):
        return  # BrainPy's share of the CPU count
    check_int(f"{what}: {name}", value, minimum=1,
              allowed="an integer >= 1 or a share of the CPU count (a float > 0)" if floats else None)


def _vector_map(what: str, func: Callable, arguments: Any, num_parallel: int, clear_buffer: bool) -> Any:
    if not callable(func):
        raise TypeError(f"{what}: func must be a function, got {func!r}")
    if not isinstance(arguments, (dict, tuple, list)):
        raise TypeError(f'{what}: "arguments" must be a sequence or a dict of arrays, got {type(arguments).__name__}')
    _check_num(what, "num_parallel", num_parallel)
    leaves, tree = jax.tree_util.tree_flatten(arguments, is_leaf=_is_array)
    # jax arrays either way (float32 as BrainPy's tasks see them); clear_buffer only makes the results NumPy's
    leaves = [jnp.asarray(unwrap(x)) for x in leaves]
    if any(x.ndim == 0 for x in leaves):
        raise ValueError(f"{what}: every argument must be an array of one value per task, got a scalar in "
                         f"{arguments!r}")
    if not leaves:
        raise ValueError(f"{what}: arguments holds no array; give one array of one value per task for each "
                         "argument of func")
    lengths = {len(x) for x in leaves}
    if len(lengths) > 1:
        raise ValueError(f"{what}: all arguments must have the same length (one value per task), got "
                         f"{jax.tree_util.tree_unflatten(tree, [len(x) for x in leaves])}")
    outs = []
    for i in range(lengths.pop() if lengths else 0):
        task = jax.tree_util.tree_unflatten(tree, [x[i] for x in leaves])
        outs.append(func(**task) if isinstance(arguments, dict) else func(*task))
    if not outs:
        return None
    stack = np.stack if clear_buffer else jnp.stack
    shapes = [jax.tree_util.tree_map(np.shape, out, is_leaf=_is_array) for out in outs]
    for i, shape in enumerate(shapes):
        if shape != shapes[0]:
            raise ValueError(f"{what}: every task must return outputs of one shape to be stacked; task 0 returned "
                             f"{shapes[0]}, task {i} returned {shape}")
    return jax.tree_util.tree_map(lambda *xs: stack([np.asarray(x) if clear_buffer else x for x in xs]), *outs,
                                  is_leaf=_is_array)


def jax_vectorize_map(func: Callable, arguments: dict[str, Any] | Sequence[Any], num_parallel: int,
                      clear_buffer: bool = False) -> Any:
    """BrainPy's ``jax_vectorize_map``: ``func`` on element ``i`` of every argument array, for each ``i``;
    the outputs stacked along a first axis (NumPy arrays with ``clear_buffer``). ``num_parallel`` is checked
    and otherwise without effect: the tasks run one after another (see the module's docstring).

    >>> import brainbatch.brainpy as bp, numpy as np
    >>> bp.running.jax_vectorize_map(lambda x: {'twice': 2 * x}, [np.arange(3.)], 3)['twice'].tolist()
    [0.0, 2.0, 4.0]
    """
    return _vector_map("jax_vectorize_map", func, arguments, num_parallel, clear_buffer)


def jax_parallelize_map(func: Callable, arguments: dict[str, Any] | Sequence[Any], num_parallel: int,
                        clear_buffer: bool = False) -> Any:
    """BrainPy's ``jax_parallelize_map`` (a ``pmap`` there): the same tasks and results as ``jax_vectorize_map``.

    >>> import brainbatch.brainpy as bp, numpy as np
    >>> bp.running.jax_parallelize_map(lambda x: x ** 2, [np.arange(3.)], num_parallel=1).tolist()
    [0.0, 1.0, 4.0]
    """
    return _vector_map("jax_parallelize_map", func, arguments, num_parallel, clear_buffer)


def _tasks(what: str, func: Callable, arguments: Any, num_process: Any,
           num_task: Any) -> tuple[Callable, Iterable, int | None]:
    if not callable(func):
        raise TypeError(f"{what}: func must be a function, got {func!r}")
    if num_process is not None:
        _check_num(what, "num_process", num_process, floats=True)
    if num_task is not None:
        _check_num(what, "num_task", num_task)
    if isinstance(arguments, dict):
        keys, columns = list(arguments), list(arguments.values())

        def call(*args: Any) -> Any:
            return func(**dict(zip(keys, args)))
    elif isinstance(arguments, (tuple, list)):
        columns, call = list(arguments), func
    else:
        raise TypeError(f'{what}: "arguments" must be a sequence of iterables or a dict of iterables, got '
                        f"{type(arguments).__name__}")
    for column in columns:
        if not isinstance(column, Iterable):
            raise TypeError(f"{what}: every argument must be an iterable of one value per task, got {column!r}")
    lengths = [len(c) for c in columns if isinstance(c, Sized)]
    total = num_task or (min(lengths) if lengths else None)
    return call, zip(*columns), total


def _run_all(what: str, func: Callable, arguments: Any, num_process: Any, num_task: Any,
             tqdm_kwargs: dict[str, Any]) -> list[Any]:
    call, tasks, total = _tasks(what, func, arguments, num_process, num_task)
    results = []
    # BrainPy draws a tqdm bar: here brainbatch's bar (on a terminal); tqdm's other settings have no use
    with step_progress(total or 0, enabled=not tqdm_kwargs.get("disable", False) and bool(total),
                       description=str(tqdm_kwargs.get("desc", "tasks"))) as advance:
        for args in tasks:
            results.append(call(*args))
            advance(1)
    return results


def cpu_ordered_parallel(func: Callable, arguments: dict[str, Any] | Sequence[Iterable[Any]],
                         num_process: int | float | None = None, num_task: int | None = None,
                         **tqdm_kwargs: Any) -> list[Any]:
    """BrainPy's ``cpu_ordered_parallel``: ``func`` on each task (element ``i`` of every iterable, by position
    or by name for a dict), the results in task order. ``num_process`` is checked; the tasks run one after
    another in this process (see the module's docstring).

    >>> import brainbatch.brainpy as bp
    >>> bp.running.cpu_ordered_parallel(lambda a, b: a - b, [[5, 6], [1, 1]], disable=True)
    [4, 5]
    """
    return _run_all("cpu_ordered_parallel", func, arguments, num_process, num_task, tqdm_kwargs)


def cpu_unordered_parallel(func: Callable, arguments: dict[str, Any] | Sequence[Iterable[Any]],
                           num_process: int | float | None = None, num_task: int | None = None,
                           **tqdm_kwargs: Any) -> list[Any]:
    """BrainPy's ``cpu_unordered_parallel``: as ``cpu_ordered_parallel`` (BrainPy gives any order; here the
    order of the tasks).

    >>> import brainbatch.brainpy as bp
    >>> bp.running.cpu_unordered_parallel(abs, [[-1, 2]], disable=True)
    [1, 2]
    """
    return _run_all("cpu_unordered_parallel", func, arguments, num_process, num_task, tqdm_kwargs)


def _pool(what: str, func: Callable, all_params: Any, num_process: Any, lock: Any = None) -> list[Any]:
    if not callable(func):
        raise TypeError(f"{what}: func must be a function, got {func!r}")
    if num_process is not None:  # None: BrainPy's pool takes the CPU count
        _check_num(what, "num_process", num_process)
    if not isinstance(all_params, (list, tuple)):
        raise TypeError(f"{what}: all_params must be a list of argument tuples or dicts, got "
                        f"{type(all_params).__name__}")
    for params in all_params:  # all checked before the first task runs
        if not isinstance(params, (list, tuple, dict)):
            raise ValueError(f"{what}: each task's parameters must be a tuple (positional) or a dict (by name), "
                             f"got {params!r}")
    print(f"{len(all_params)} jobs total.")  # BrainPy's line
    extra = () if lock is None else (lock,)
    return [func(**params, **({} if lock is None else {"lock": lock})) if isinstance(params, dict)
            else func(*params, *extra) for params in all_params]


def process_pool(func: Callable, all_params: Sequence[Any], num_process: int | None) -> list[Any]:
    """BrainPy's ``process_pool``: ``func(*params)`` (a tuple) or ``func(**params)`` (a dict) for each entry of
    ``all_params``, the results in that order (run one after another in this process).

    >>> import brainbatch.brainpy as bp
    >>> bp.running.process_pool(pow, [(2, 3), {'base': 3, 'exp': 2}], num_process=2)
    2 jobs total.
    [8, 9]
    """
    return _pool("process_pool", func, all_params, num_process)


def process_pool_lock(func: Callable, all_params: Sequence[Any], num_process: int | None) -> list[Any]:
    """BrainPy's ``process_pool_lock``: as ``process_pool``, with a ``lock`` (``acquire()``/``release()``) given
    last (a tuple) or as ``lock=`` (a dict), as BrainPy's processes share one.

    >>> import brainbatch.brainpy as bp
    >>> def add(a, b, lock):
    ...     with lock:
    ...         return a + b
    >>> bp.running.process_pool_lock(add, [(1, 2), {'a': 3, 'b': 4}], num_process=2)
    2 jobs total.
    [3, 7]
    """
    return _pool("process_pool_lock", func, all_params, num_process, lock=threading.Lock())
