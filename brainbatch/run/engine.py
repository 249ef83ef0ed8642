"""The simulation engine: one compiled, vmapped ``lax.scan`` over time chunks.

A ``Simulation`` is built from a *factory* that makes the model from (possibly traced) parameter
values. Per lane (one run = one seed and one parameter point) it:
1. builds the model inside the trace, so swept parameters flow into it as traced values;
2. initialises every variable with ``reset()`` under the run key (initial values, connectivity);
3. scans ``step_run`` over a chunk of steps, recording monitors.
The lanes of a batch are ``jax.vmap``-ed, so a batch is one compiled call per chunk. Chunks are
handed to a sink as they finish, so memory does not grow with the duration.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from ..core._checks import init_checks
from ..core.base import DynamicalSystem
from ..core.context import environment, share
from ..core.random import run_key
from ..core.transforms import assign_paths, functional
from .inputs import RunnerInput, apply_input, check_input_paths
from .monitors import ResolvedMonitor, block_size, check_paths, lcm_every

__all__ = ["Simulation", "MonitorInfo", "StateInfo", "steps_for"]

#: Target size of one chunk's recordings for the whole batch (bytes).
CHUNK_BYTES = 64 * 2**20


def steps_for(duration: float, dt: float) -> int:
    """``duration/dt`` as an integer number of steps; an error names values that do not divide."""
    try:
        duration = float(duration)
    except (TypeError, ValueError):
        raise ValueError(f"duration must be a number of milliseconds, got {duration!r}") from None
    if not duration > 0 or not math.isfinite(duration):
        raise ValueError(f"duration must be a positive number of milliseconds, got {duration!r}")
    steps = duration / dt
    n = int(round(steps))
    if abs(steps - n) > 1e-6 * max(1.0, steps) or n < 1:
        raise ValueError(f"duration {duration!r} ms is not a whole number of steps of dt={dt} ms")
    return n


@dataclass(frozen=True)
class MonitorInfo:
    """Shape (per run, without time), dtype, dims, units and stride of a recorded quantity."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    dims: tuple[str, ...]
    units: str = ""
    description: str = ""
    every: int = 1


@dataclass(frozen=True)
class StateInfo:
    path: str
    shape: tuple[int, ...]
    dtype: str
    dims: tuple[str, ...]
    units: str = ""
    description: str = ""


@dataclass
class Simulation:
    """A compiled program for one model structure.

    Args:
        factory: ``factory(params) -> DynamicalSystem``; ``params`` is a dict of (traced) values.
        monitors: resolved monitors (``normalize_monitors``).
        inputs: runner inputs (``normalize_inputs``).
        dt, t0: step size and start time (ms).
        batch_size: ``None`` for a non-batching model, else the model's own batch (BatchingMode).
    """

    factory: Callable[[dict], DynamicalSystem]
    monitors: list[ResolvedMonitor]
    inputs: list[RunnerInput] = field(default_factory=list)
    dt: float = 0.1
    t0: float = 0.0
    reset: bool = True
    _cache: dict = field(default_factory=dict, repr=False)

    # -- tracing helpers ---------------------------------------------------------------------------
    def _model(self, params: dict) -> tuple[DynamicalSystem, dict]:
        net = self.factory(params)
        if not isinstance(net, DynamicalSystem):
            raise TypeError(f"the model factory must return a DynamicalSystem, got {type(net).__name__}")
        assign_paths(net)
        self._cache["init_checks"] = init_checks(net)  # declared by the nodes; read after init
        variables = dict(net.vars())
        check_paths(self.monitors, variables)
        check_input_paths(self.inputs, variables)
        return net, variables

    def _init_lane(self, key, params):
        with environment(dt=self.dt, t0=self.t0, key=key, i=0, t=self.t0):
            net, variables = self._model(params)
            if not self.reset:
                return {p: v.value for p, v in variables.items()}
            f = functional(lambda: net.reset(), variables)
            state, _ = f.pure({p: v.value for p, v in variables.items()}, {"key": key})
        return state

    def _record(self, net, variables) -> dict:
        out = {}
        for m in self.monitors:
            target = m.monitor.target
            if isinstance(target, str):
                value = variables[target].value
            else:
                value = target(share) if m.monitor.takes_share else target()
            value = jnp.asarray(value)
            if m.monitor.index is not None:
                # the index selects within the variable's own shape, after any batch axis
                index = m.monitor.index
                index = np.asarray(index) if isinstance(index, list) else index
                value = value[:, index] if _batched(variables, target) else value[index]
            out[m.name] = value
        return out

    def _chunk_lane(self, state, key, params, i0, xs, n_blocks: int, block: int):
        """Run ``n_blocks * block`` steps from step ``i0``; record after the first step of each block."""
        with environment(dt=self.dt, t0=self.t0, key=key):
            net, variables = self._model(params)

            def one_step(i, x):
                share.save(i=i, t=self.t0 + i * self.dt)
                for k, inp in enumerate(self.inputs):
                    if inp.type == "fix":
                        apply_input(variables, inp, inp.value)
                    elif inp.type == "iter":
                        apply_input(variables, inp, x[k])
                    else:
                        apply_input(variables, inp, inp.value(share.t))
                net.step_run(i)

            def first(i, x):
                one_step(i, x)
                return self._record(net, variables)

            f_first = functional(first, variables)
            f_rest = functional(one_step, variables)
            ctx = {"key": key, "t0": self.t0}

            def body(st, blk):
                j, x = blk
                st, rec = f_first.pure(st, ctx, i0 + j * block, _row(x, 0))
                for r in range(1, block):
                    st, _ = f_rest.pure(st, ctx, i0 + j * block + r, _row(x, r))
                return st, rec

            xs_blocks = None if xs is None else [a.reshape((n_blocks, block) + a.shape[1:]) for a in xs]
            state, recs = jax.lax.scan(body, state, (jnp.arange(n_blocks), xs_blocks))
        return state, recs

    # -- compiled entry points ---------------------------------------------------------------------
    def _compiled(self, kind: str, n_blocks: int = 0, block: int = 1):
        key = (kind, n_blocks, block)
        fn = self._cache.get(key)
        if fn is None:
            if kind == "init":
                fn = jax.jit(jax.vmap(self._init_lane))
            else:
                def lane(state, k, params, i0, xs):
                    return self._chunk_lane(state, k, params, i0, xs, n_blocks, block)

                fn = jax.jit(jax.vmap(lane, in_axes=(0, 0, 0, None, None)), donate_argnums=(0,))
            self._cache[key] = fn
        return fn

    def init(self, keys: jax.Array, params: dict) -> dict:
        """Initial states of a batch of runs (one key and one parameter point per lane).

        The init program runs once per batch, so it is compiled without LLVM's optimisations:
        that halves its compile time (connectivity sampling is most of it) and costs little.
        """
        key = ("init-compiled", jax.tree.structure((keys, params)),
               tuple((x.shape, str(x.dtype), tuple(sorted(map(str, x.devices()))))
                     for x in jax.tree.leaves((keys, params))))
        fn = self._cache.get(key)
        if fn is None:
            lowered = self._compiled("init").lower(keys, params)
            try:
                fn = lowered.compile(compiler_options={"xla_backend_optimization_level": 0})
            except Exception:  # a backend without that option: compile as usual
                fn = lowered.compile()
            self._cache[key] = fn
        state = fn(keys, params)
        _check_flags(state, self._cache.get("init_checks", {}))
        return state

    def describe(self, params_example: dict) -> tuple[list[MonitorInfo], list[StateInfo]]:
        """Shapes, dtypes, dims and units of the monitors and states, without running anything."""
        key = jax.random.key(0)
        holder: dict = {}

        def probe(k, params):
            with environment(dt=self.dt, t0=self.t0, key=k):
                net, variables = self._model(params)
                holder["vars"] = variables
                state = {p: v.value for p, v in variables.items()}
                rec = functional(lambda: self._record(net, variables), variables).pure(state, {"key": k})[1]
            return state, rec

        state_shapes, rec_shapes = jax.eval_shape(probe, key, params_example)
        variables = holder["vars"]
        monitors = []
        for m in self.monitors:
            shape = tuple(rec_shapes[m.name].shape)
            target = m.monitor.target
            if isinstance(target, str) and m.monitor.index is None:
                var = variables[target]
                dims = _var_dims(target, var, shape)
                units, desc = var.units, var.description
            else:
                dims = tuple(f"{m.name}_d{k}".replace(".", "_") for k in range(len(shape)))
                units, desc = "", ""
                if isinstance(target, str):
                    units, desc = variables[target].units, variables[target].description
            monitors.append(MonitorInfo(m.name, shape, str(np.dtype(rec_shapes[m.name].dtype)), dims, units or "",
                                        desc or "", m.every))
        states = []
        for path, sds in state_shapes.items():
            var = variables[path]
            shape = tuple(sds.shape)
            states.append(StateInfo(path, shape, str(np.dtype(sds.dtype)) if not _is_key(sds) else "key",
                                    _var_dims(path, var, shape), var.units or "", var.description or ""))
        return monitors, states

    # -- the host loop ------------------------------------------------------------------------------
    def run(self, seeds_or_keys, params: dict, n_steps: int, *, sink: Callable | None = None,
            chunk_steps: int | None = None, device: Any = None, progress: Callable[[int], None] | None = None,
            keep: bool = True, initial_state: dict | None = None, start_step: int = 0):
        """Simulate a batch for ``n_steps``; returns ``(final_state, records)``.

        ``records`` maps monitor names to arrays ``(batch, samples, ...)`` (if ``keep``). ``sink(records,
        starts)`` receives each chunk as numpy arrays, with ``starts[name]`` the index of its first sample.
        """
        keys = _keys(seeds_or_keys)
        batch = keys.shape[0]
        params = {k: jnp.asarray(v) for k, v in params.items()}
        if device is not None:
            keys, params = jax.device_put((keys, params), device)
        state = initial_state if initial_state is not None else self.init(keys, params)
        block = block_size(self.monitors)
        chunk = self._chunk_length(n_steps, batch, chunk_steps, params)
        records: dict[str, list] = {m.name: [] for m in self.monitors}
        pending = None
        i = start_step
        end = start_step + n_steps
        while i < end:
            length = min(chunk, end - i)
            if length % block:
                length = length - length % block if length > block else length
            blk = block if length % block == 0 else 1
            n_blocks = length // blk
            xs = self._iter_inputs(i, length)
            fn = self._compiled("chunk", n_blocks, blk)
            state, recs = fn(state, keys, params, jnp.asarray(i, jnp.int32), xs)
            if pending is not None:
                self._deliver(*pending, sink, records, keep, progress)
            pending = (recs, i, blk, n_blocks)
            i += length
        if pending is not None:
            self._deliver(*pending, sink, records, keep, progress)
        out = {name: np.concatenate(parts, axis=1) if parts else None for name, parts in records.items()} if keep else {}
        return state, out

    def _deliver(self, recs, i0, blk, n_blocks, sink, records, keep, progress):
        steps = i0 + blk * np.arange(n_blocks)
        chunk_out, starts = {}, {}
        for m in self.monitors:
            take = steps % m.every == 0
            if not take.any():
                continue
            arr = np.asarray(recs[m.name])
            if not take.all():  # thinning copies; most monitors record every block and need no copy
                arr = arr[:, take]
            chunk_out[m.name] = arr
            starts[m.name] = int(-(-steps[take][0] // m.every))
            if keep:
                records[m.name].append(arr)
        if sink is not None:
            sink(chunk_out, starts)
        if progress is not None:
            progress(int(blk * n_blocks))

    def _chunk_length(self, n_steps: int, batch: int, chunk_steps: int | None, params) -> int:
        unit = lcm_every(self.monitors)
        if chunk_steps is None:
            per_step = self._record_bytes_per_step(params)
            per_step = max(per_step * batch, 1)
            chunk_steps = int(min(n_steps, max(unit, CHUNK_BYTES // per_step)))
        elif isinstance(chunk_steps, bool) or not isinstance(chunk_steps, int) or chunk_steps < 1:
            raise ValueError(f"chunk_steps must be an integer >= 1, got {chunk_steps!r}")
        chunk_steps = max(unit, chunk_steps - chunk_steps % unit)
        # equal chunks reuse one compiled program: prefer a divisor of n_steps close to the target
        if n_steps % chunk_steps:
            for c in range(chunk_steps, max(unit, chunk_steps // 2) - 1, -unit):
                if n_steps % c == 0:
                    return c
        return chunk_steps

    def _record_bytes_per_step(self, params) -> float:
        """Bytes one lane records per step (cached: describing the model means tracing it)."""
        if not self.monitors:
            return 0.0
        key = ("record_bytes", tuple(sorted((k, tuple(np.shape(v)[1:])) for k, v in params.items())))
        if key not in self._cache:
            infos, _ = self.describe({k: v[0] for k, v in params.items()})
            self._cache[key] = sum(math.prod(i.shape) * np.dtype(i.dtype).itemsize / i.every for i in infos)
        return self._cache[key]

    def _iter_inputs(self, i0: int, length: int):
        arrays = []
        for inp in self.inputs:
            if inp.type == "iter":
                arr = jnp.asarray(inp.value)
                if arr.shape[0] < i0 + length:
                    raise ValueError(
                        f"'iter' input for {inp.path!r} has {arr.shape[0]} time steps; the run needs {i0 + length}"
                    )
                arrays.append(arr[i0:i0 + length])
            else:
                arrays.append(jnp.zeros((length,), jnp.float32))
        return arrays or None


def _check_flags(state: dict, checks: dict[str, str]) -> None:
    """Stop rather than simulate an invalid model: a flag a node declared with ``declare_init_check``
    (e.g. a projection's ``overflow``) is set after init in some lane."""
    for path, message in checks.items():
        value = state.get(path)
        if value is None:
            continue
        flags = np.asarray(value).reshape(value.shape[0], -1).any(axis=1)
        if flags.any():
            raise RuntimeError(f"{path} is set in lane(s) {np.flatnonzero(flags).tolist()}: {message}")


def _row(xs, r):
    if xs is None:
        return None
    return [a[r] for a in xs]


def _keys(seeds_or_keys) -> jax.Array:
    arr = seeds_or_keys
    if isinstance(arr, jax.Array) and jnp.issubdtype(arr.dtype, jax.dtypes.prng_key):
        return arr if arr.ndim == 1 else arr.reshape((1,))
    seeds = np.atleast_1d(np.asarray(arr))
    if seeds.dtype.kind not in "iu" or np.any(seeds < 0):
        raise ValueError(f"seeds must be non-negative integers, got {seeds_or_keys!r}")
    return jax.vmap(run_key)(jnp.asarray(seeds, jnp.uint32)) if seeds.size else jnp.zeros((0,))


def _batched(variables, target) -> bool:
    return isinstance(target, str) and variables[target].batch_axis is not None


def _is_key(sds) -> bool:
    return jnp.issubdtype(sds.dtype, jax.dtypes.prng_key)


def _var_dims(path: str, var, shape: tuple) -> tuple[str, ...]:
    owner = path.rpartition(".")[0] or "root"
    prefix = owner.replace(".", "_")
    own = tuple(var.dims) if var.dims is not None else None
    if own is not None and len(own) == len(shape):
        return tuple(f"{prefix}_{d}" for d in own)
    if own is not None and len(own) == len(shape) - 1:  # a batching-mode variable
        return (f"{prefix}_batch",) + tuple(f"{prefix}_{d}" for d in own)
    leaf = path.replace(".", "_")
    return tuple(f"{leaf}_d{k}" for k in range(len(shape)))
