"""The memory a sweep's runs need, against the memory the machine has (docs/large-models.md).

A run holds its state once: the init program's scratch is a fraction of the state it draws
(``tests/models/test_pathways.py`` bounds it by 0.5x) and the compiled steps update the state in place.
So a sweep needs about ``PEAK_OVER_STATE`` x one run's state x the runs in memory at once (a batch's
lanes, times the CPU devices running batches side by side), where the part of the state that a batch's
runs share (a graph drawn from a ``graph_seed``: ``Simulation.shared_paths``) counts once per batch.
A run that makes several calls and keeps checkpoints holds more while it steps: at each call boundary
the chunk loop hands the writer thread a copy of the batch's unshared state (the next call updates the
state in place: ``run/chunk_loop.py``), and one copy may still be with the writer when the next is made,
so up to ``CHECKPOINT_COPIES`` copies besides the state (peak RSS over the process's own: 2.1-2.3x the state
for the microcircuit at full scale, one run of 200 ms or 1 s; 3.5x for two runs at scale 0.05; 1.5x was counted).
``--dry-run`` prints the figure with the bytes per synapse of the model's connectivity; a sweep that cannot fit
is refused before it starts, with the number it needs (``BRAINBATCH_MEMORY_LIMIT`` overrides what is available,
``off`` never refuses).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..settings import get as setting
from .errors import UsageError

__all__ = ["PEAK_OVER_STATE", "CHECKPOINT_COPIES", "MemoryPlan", "available_memory", "memory_plan", "check_memory",
           "describe_memory", "group_synapse_stats", "synapse_stats"]

#: a run's peak memory over its state (the bound the init program keeps; the steps work in place)
PEAK_OVER_STATE = 1.5
#: copies of a run's unshared state alive at once, besides the state, while a run of several calls keeps
#: checkpoints: the one the writer thread holds and the one made at the next call boundary (run/chunk_loop.py)
CHECKPOINT_COPIES = 2


@dataclass(frozen=True)
class MemoryPlan:
    """What the runs of a sweep hold in memory, and what the machine has.

    ``state_bytes``: one run's state; ``runs_at_once``: runs whose state is in memory together;
    ``needed``: ``over_state`` x the unshared state x ``runs_at_once`` + ``PEAK_OVER_STATE`` x ``shared_bytes``
    x ``batches``; ``available``: bytes (``None``: unknown, ``inf``: no limit); ``synapses`` and
    ``connectivity_bytes``: of the model's projections (``None`` without any); ``shared_bytes``: the part of one run's state that every run of a batch
    shares (held once per batch), ``batches``: the batches in memory at once; ``copies``: copies of a run's
    unshared state held besides it while it steps (``CHECKPOINT_COPIES`` for runs of several calls that keep
    checkpoints, else 0); ``copied_bytes``: what each copy holds (``None``: all the unshared state, which is
    what the chunk loop copies; a loop that copied only what a checkpoint keeps would copy less).

    >>> MemoryPlan(10**9, 2, None).needed / 1e9, MemoryPlan(10**9, 2, None, copies=2).needed / 1e9
    (3.0, 6.0)
    """

    state_bytes: int
    runs_at_once: int
    available: float | None
    synapses: float | None = None
    connectivity_bytes: int | None = None
    shared_bytes: int = 0
    batches: int = 1
    copies: int = 0
    copied_bytes: int | None = None

    @property
    def over_state(self) -> float:
        """The peak over the unshared state: the init program's ``PEAK_OVER_STATE``, or while the runs step
        the state and its checkpoint copies, whichever is more (a shared part is never copied)."""
        own = self.state_bytes - self.shared_bytes
        copied = own if self.copied_bytes is None else min(self.copied_bytes, own)
        return max(PEAK_OVER_STATE, 1.0 + self.copies * copied / own) if own > 0 else PEAK_OVER_STATE

    @property
    def needed(self) -> float:
        own = self.state_bytes - self.shared_bytes
        return self.over_state * own * self.runs_at_once + PEAK_OVER_STATE * self.shared_bytes * self.batches

    @property
    def fits(self) -> bool:
        return self.available is None or self.needed <= self.available


def available_memory() -> float | None:
    """``BRAINBATCH_MEMORY_LIMIT`` if set, else the memory available now (Linux ``MemAvailable``, lowered
    to what a cgroup limit leaves), else ``None``."""
    limit = setting("BRAINBATCH_MEMORY_LIMIT")
    if limit is not None:
        return float(limit)
    out = None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    out = float(line.split()[1]) * 1024
    except OSError:
        return None
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as f:
            cap = f.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as f:
            used = float(f.read().strip())
        if cap != "max":
            left = float(cap) - used
            out = left if out is None else min(out, left)
    except (OSError, ValueError):
        pass
    return out


def memory_plan(state_bytes: int, lanes: int, n_runs: int, devices: list[str],
                stats: tuple[float, int] | None, shared_bytes: int = 0, checkpoints: bool = False,
                copied_bytes: int | None = None) -> MemoryPlan:
    """The ``MemoryPlan`` of ``n_runs`` runs in batches of up to ``lanes`` on ``devices`` (CPU devices
    share the host's memory: as many batches run side by side as there are devices); ``shared_bytes``
    of a run's state are one copy per batch. ``checkpoints``: the runs make several calls and keep
    checkpoints (a sweep's ``checkpoint_every`` is not ``None`` and its calls are shorter than a run), so
    each holds ``CHECKPOINT_COPIES`` copies of its unshared state (or of ``copied_bytes`` of it) besides it
    while it steps.

    >>> p = memory_plan(10**9, 2, 8, ["cpu:0", "cpu:1"], None, shared_bytes=9 * 10**8)
    >>> p.runs_at_once, p.batches, p.needed / 1e9  # 1.5 x (0.1 GB x 4 runs + 0.9 GB x 2 batches)
    (4, 2, 3.3)
    >>> p = memory_plan(10**9, 2, 8, ["cpu:0", "cpu:1"], None, 9 * 10**8, checkpoints=True)
    >>> p.needed / 1e9  # 3 x 0.1 GB x 4 runs (the state and 2 copies) + 1.5 x 0.9 GB x 2 batches
    3.9
    """
    lanes = max(1, min(lanes, n_runs))
    side_by_side = max(1, min(len(set(devices)), -(-n_runs // lanes)))
    synapses, conn = stats if stats is not None else (None, None)
    return MemoryPlan(int(state_bytes), lanes * side_by_side, available_memory(), synapses, conn,
                      int(min(shared_bytes, state_bytes)), side_by_side, CHECKPOINT_COPIES if checkpoints else 0,
                      None if copied_bytes is None else int(copied_bytes))


def check_memory(plan: MemoryPlan, fewer: str = "--batch-size 1, --devices cpu:1") -> None:
    """Refuse, in one line with the numbers, a sweep whose runs cannot fit in the memory available; ``fewer``: the
    options that run fewer at once (a local dask cluster's are ``--workers``)."""
    if plan.fits:
        return
    shared = (f", {_gb(plan.shared_bytes)} of it shared by a batch's runs and held once per batch"
              if plan.shared_bytes else "")
    copies = (f": the state and {plan.copies} checkpoint copies{_of(plan)} while it steps"
              if plan.over_state > PEAK_OVER_STATE else "")
    raise UsageError(
        f"this sweep needs about {_gb(plan.needed)} of memory ({plan.runs_at_once} run(s) at once x "
        f"{_gb(plan.state_bytes)} of state{shared} x {plan.over_state:.3g}{copies}) but {_gb(plan.available or 0)} is "
        f"available; run fewer at once ({fewer}) or a smaller model, or set "
        "BRAINBATCH_MEMORY_LIMIT (e.g. 12G, or off) to override")


def describe_memory(plan: MemoryPlan) -> str:
    """The ``memory`` line of ``--dry-run``.

    >>> describe_memory(MemoryPlan(4_500_000_000, 1, 14e9, 2.99e8, 4_480_000_000))
    'memory      4.19 GiB of state per run (connectivity 4.17 GiB: 2.99e+08 synapses, 15.0 bytes per synapse); needs about 6.29 GiB (1 run(s) at once); 13.04 GiB available'
    """
    text = f"{_gb(plan.state_bytes)} of state per run"
    if plan.synapses:
        text += (f" (connectivity {_gb(plan.connectivity_bytes or 0)}: {plan.synapses:.3g} synapses, "
                 f"{(plan.connectivity_bytes or 0) / plan.synapses:.1f} bytes per synapse)")
    if plan.shared_bytes:
        text += f", {_gb(plan.shared_bytes)} of it shared: one copy per batch"
    copies = (f", each with {plan.copies} checkpoint copies{_of(plan) or ' of its state'}"
              if plan.over_state > PEAK_OVER_STATE else "")
    text += f"; needs about {_gb(plan.needed)} ({plan.runs_at_once} run(s) at once{copies})"
    if plan.available is not None and math.isfinite(plan.available):
        text += f"; {_gb(plan.available)} available" + ("" if plan.fits else ": the sweep would be refused")
    return f"memory      {text}"


def group_synapse_stats(plan: Any, key: tuple, traced: tuple[str, ...], members: list | None) -> tuple[float, int] | None:
    """``synapse_stats`` of the model of one group of a sweep plan (its first run's values); ``None`` if
    its build fails (its runs then fail when they run, as ``prepare`` already says)."""
    if not members:
        return None
    from .task import build_arguments

    exp = plan.experiment
    first = dict(members[0].values)
    args = build_arguments(exp.params, key, {n: first[n] for n in traced}, plan.build_units)
    try:
        return synapse_stats(lambda: exp.build(**args), plan.dt)
    except (Exception, SystemExit):  # noqa: BLE001 - the experiment's own code: reported where it runs
        return None


def synapse_stats(build: Any, dt: float) -> tuple[float, int] | None:
    """``(synapses, connectivity bytes)`` of the model ``build()`` makes, from its projections'
    ``expected_synapses`` and ``connectivity_bytes``, built abstractly (nothing is drawn); ``None``
    without any projection."""
    import jax

    from ..core.context import environment

    holder: dict = {}

    def probe(k: Any) -> Any:
        with environment(dt=dt, t0=0.0, key=k):
            net = build()
        found = [n for n in net.nodes().values() if hasattr(n, "expected_synapses")]
        if found:
            holder["stats"] = (sum(float(n.expected_synapses()) for n in found),
                               sum(int(n.connectivity_bytes()) for n in found))
        return 0

    jax.eval_shape(probe, jax.random.key(0))
    return holder.get("stats")


def _of(plan: MemoryPlan) -> str:
    """What a checkpoint copy holds, where it is not all of a run's unshared state."""
    return "" if plan.copied_bytes is None else f" of {_gb(plan.copied_bytes)}"


def _gb(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):  # powers of 1024, named as such (2.23 GiB is 2.39 GB)
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.{2 if unit == 'GiB' else 1}f} {unit}"
        n /= 1024
    return f"{n} B"

