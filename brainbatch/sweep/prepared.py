"""``Prepared``: a sweep planned and reconciled with its store, ready to run (or to describe on a dry run)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .plan import PlannedRun, SweepPlan
from .task import BatchTask

__all__ = ["Prepared", "Refusal"]


@dataclass(frozen=True)
class Refusal:
    """Why ``ResultStore.create`` would refuse the sweep a dry run planned into the existing store (no ``force``)."""

    why: str           # the store's words: "exists, written with a different dt, n_steps"
    shorter: bool      # this sweep is shorter than the store's runs (a longer duration would extend them instead)
    store_steps: int   # the store's run length, in steps of store_dt ms
    store_dt: float

    @property
    def store_duration(self) -> float:
        return self.store_steps * self.store_dt


@dataclass
class Prepared:
    plan: SweepPlan
    store_path: str
    tasks: list[BatchTask]
    pending: list[PlannedRun]
    traced: tuple[str, ...]
    groups: int
    store_bytes: int
    batch_size: int
    devices: list[str] = field(default_factory=list)
    state_bytes: int = 0                        # one run's state (the largest group): decides how lanes run
    existing: str = "new"                       # dry run: "new", "exists", or the store's note on merging into it
    refused: Refusal | None = None              # dry run: why the existing store would refuse this sweep, else None
    done_before: set = field(default_factory=set)  # dry run: coordinates of runs the store already has done
    damaged: dict = field(default_factory=dict)    # runs found damaged and queued again: {label: why}
    restarted: dict = field(default_factory=dict)  # runs whose saved state is damaged: from step 0, {label: why}
    elsewhere: int = 0                             # runs a live process (another sweep) is running now
    warning: str = ""                              # about the store's size (sweep/paths.py::size_check)
    extended_from: int | None = None               # the steps of the store's runs before this sweep extended it in time
    resume: dict = field(default_factory=dict)     # the step each pending run continues from (0: its start)
    memory: Any = None                             # MemoryPlan (sweep/memory.py) of a local CPU sweep, else None
    executor: str = "local"                        # "local" or "dask" (SweepOptions.executor)
    workers: int | None = None                     # dask: the local cluster's workers (None: its default)
    scheduler: str | None = None                   # dask: the address of a running scheduler
    dashboard: str = "127.0.0.1:0"                 # dask: where the local cluster's dashboard listens
    generation: str | None = None                  # the store's generation the runs were planned under
