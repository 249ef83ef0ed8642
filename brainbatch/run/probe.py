"""The model probe: what a ``Simulation``'s model records and holds, found by tracing it without running.

``probe_model`` gives the shape, dtype, dims and units of every monitor and state variable (the store's
layout comes from it), ``seeded_paths`` the variables a resumed run draws again from its seed, and
``record_bytes_per_step`` what one lane records per step (chunk sizes follow it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..core.context import environment
from ..core.transforms import functional
from ..core.variable import is_seeded, is_step_index
from .monitors import first_step
from .stride import stride_plan

__all__ = ["MonitorInfo", "StateInfo", "probe_model", "record_bytes_per_step", "seeded_paths"]


@dataclass(frozen=True)
class MonitorInfo:
    """Shape (per run, without time), dtype, dims, units and stride of a recorded quantity; its ``kind``
    (``"spikes"`` or ``""``, ``Variable.record_kind``) and ``coords``: labels of dims that are not
    0..n-1 (a monitor of chosen neurons keeps their indices in the group)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    dims: tuple[str, ...]
    units: str = ""
    description: str = ""
    every: int = 1
    kind: str = ""
    coords: dict = field(default_factory=dict)
    #: a record over synapses (plastic weights): ``{"k", "n_post", "targets"}`` (``Projection.synapse_layout``)
    synapses: dict = field(default_factory=dict)
    #: the first step recorded (``Monitor.start``; a multiple of ``every``): samples are steps first, first + every, ...
    first: int = 0


def owner(net: Any, path: str) -> tuple[Any, str]:
    """``(node, attribute)`` of a variable path (``"E2E.w"`` -> the projection, ``"w"``)."""
    node_path, _, attr = path.rpartition(".")
    return net.nodes().get(node_path), attr


@dataclass(frozen=True)
class StateInfo:
    path: str
    shape: tuple[int, ...]
    dtype: str
    dims: tuple[str, ...]
    units: str = ""
    description: str = ""
    #: False for seeded variables (``mark_seeded``): part of the run's memory, not of its saved state
    saved: bool = True
    #: a step index of the run's clock (``mark_step_index``): saved counted from the end of the run's steps so far
    step_index: bool = False


def is_key(sds: Any) -> bool:
    """Whether an array (or shape-dtype struct) holds random keys."""
    return jnp.issubdtype(sds.dtype, jax.dtypes.prng_key)


def _chosen_dims(name: str, var: Any, path: str, full_shape: tuple, index: Any,
                 shape: tuple) -> tuple[tuple[str, ...], dict] | None:
    """Dims of a monitor of chosen elements of a one-dim variable: ``<monitor>_<dim>`` (``V_E_neuron``),
    labelled with the chosen elements' indices in the group, so ``spikes_E.sel(E_neuron=ds.V_E_neuron)``
    lines up with it. ``None`` where the selection is not a 1-d pick along that one dim."""
    full_dims = var.store_dims(path, full_shape)
    if len(full_dims) != 1 or len(shape) != 1 or not var.dims:
        return None
    try:
        labels = np.arange(full_shape[0])[np.asarray(index) if isinstance(index, list) else index]
    except (IndexError, TypeError):
        return None
    if np.ndim(labels) != 1 or len(labels) != shape[0] or len(set(labels.tolist())) != len(labels):
        return None  # (an element picked twice, 3 and -17 of 20: no label may stand for two columns)
    dim = f"{name}_{var.dims[-1]}".replace(".", "_")
    return (dim,), {dim: [int(i) for i in labels]}


# ``sim`` below is a Simulation (engine.py, which imports this module)
def seeded_paths(sim: Any, params_example: dict) -> frozenset:
    """Paths of the model's seeded variables (``mark_seeded``), found once by tracing ``build``."""
    if sim._seeded is None:
        holder: dict = {}

        def probe(k: jax.Array, params: dict) -> jax.Array:
            with environment(dt=sim.dt, t0=sim.t0, key=k):
                _, variables = sim._model(params)
            holder["paths"] = frozenset(p for p, v in variables.items() if is_seeded(v))
            return jnp.zeros(())

        jax.eval_shape(probe, jax.random.key(0), params_example)
        sim._seeded = holder["paths"]
    return sim._seeded


def record_units(monitor: Any, var: Any) -> str:
    """The unit a monitor of ``var`` records in: the Variable's; a count of spikes (``reduce="sum"`` of a bool)
    is ``"1"``. The store's labels and a Runner's ``RunResult.units`` both read it."""
    return "1" if monitor.reduce == "sum" and var.dtype == jnp.bool_ else (var.units or "")


def probe_model(sim: Any, params_example: dict) -> tuple[list[MonitorInfo], list[StateInfo]]:
    """Shapes, dtypes, dims and units of the monitors and states, without running anything."""
    key = jax.random.key(0)
    holder: dict = {}

    def probe(k: jax.Array, params: dict) -> tuple[dict, dict]:
        with environment(dt=sim.dt, t0=sim.t0, key=k):
            net, variables = sim._model(params)
            holder["vars"], holder["net"] = variables, net
            state = {p: v.value for p, v in variables.items()}
            rec = functional(lambda: sim._record(net, variables), variables).pure(state, {"key": k})[1]
        return state, rec

    state_shapes, rec_shapes = jax.eval_shape(probe, key, params_example)
    variables = holder["vars"]
    monitors = []
    for m in sim.monitors:
        shape = tuple(rec_shapes[m.name].shape)
        target = m.monitor.target
        dims = tuple(f"{m.name}_d{k}".replace(".", "_") for k in range(len(shape)))
        units, desc, kind = "", "", m.monitor.kind or ""
        coords: dict[str, Any] = {}
        if isinstance(target, str):
            var = variables[target]
            units, desc, kind = record_units(m.monitor, var), var.description, var.record_kind(target)
            if m.monitor.reduce is not None:  # a count or mean over the group: not a raster any more
                kind = ""
                desc = f"{m.monitor.reduce} over the group of: {desc or target}"
                # one number per step, per batch row of a model in BatchingMode (its batch dim, as a record of
                # the whole variable names it)
                full = var.store_dims(target, tuple(state_shapes[target].shape))
                axis = var.batch_axis
                dims = (full[axis],) if len(shape) == 1 and axis is not None and axis < len(full) else \
                    tuple(f"{m.name}_d{k}".replace(".", "_") for k in range(len(shape)))
            elif m.monitor.index is None:
                dims = var.store_dims(target, shape)
            else:
                dims, coords = _chosen_dims(m.name, var, target, tuple(state_shapes[target].shape),
                                            m.monitor.index, shape) or (dims, coords)
        monitors.append(MonitorInfo(m.name, shape, str(np.dtype(rec_shapes[m.name].dtype)), dims, units or "",
                                    desc or "", m.every, kind, coords, _synapses(holder["net"], target, m),
                                    first_step(m, sim.dt, sim.t0)))
    states = []
    for path, sds in state_shapes.items():
        var = variables[path]
        shape = tuple(sds.shape)
        states.append(StateInfo(path, shape, str(np.dtype(sds.dtype)) if not is_key(sds) else "key",
                                var.store_dims(path, shape), var.units or "", var.description or "",
                                saved=not is_seeded(var),  # seeded: redrawn from the seed on resume
                                step_index=is_step_index(var)))
    return monitors, states


def _synapses(net: Any, target: Any, m: Any) -> dict:
    """The synapse layout of a whole-variable or index monitor of plastic weights, else ``{}``."""
    if not isinstance(target, str) or m.monitor.reduce is not None:
        return {}
    node, attr = owner(net, target)
    layout = getattr(node, "synapse_layout", None)
    out = layout(attr) if layout is not None else None
    if not out:
        return {}
    prefix = target.rpartition(".")[0]
    return {**out, "targets": f"{prefix}.targets" if prefix else "targets"}


def record_bytes_per_step(sim: Any, params: dict) -> float:
    """Bytes one lane records per step (cached: describing the model means tracing it)."""
    if not sim.monitors:
        return 0.0
    key = tuple(sorted((k, tuple(np.shape(v)[1:])) for k, v in params.items()))
    if key not in sim._record_bytes:
        infos, _ = probe_model(sim, {k: v[0] for k, v in params.items()})
        # a stride off the chain (25 beside 10) is recorded on the device at the chain's stride (5) and thinned on
        # the host: the chunk holds what that stride records, up to every/stride times more than ``every`` says
        plan = stride_plan([i.every for i in infos])
        sim._record_bytes[key] = sum(math.prod(i.shape) * np.dtype(i.dtype).itemsize / plan.stride(k)
                                     for k, i in enumerate(infos))
    return sim._record_bytes[key]
