"""Reconciling a sweep with the store it writes into: what the store already holds, and what is left to run.

The store decides what an existing store holds and whether a sweep may merge into it
(``ResultStore.merge_note``, ``ResultStore.create``: one set of merge rules, in ``store/_create.py``);
this file turns its answers into the sweep's pending runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .batching import coord_key, label
from .errors import UsageError
from .plan import PlannedRun, SweepPlan
from .prepared import Refusal
from .task import held_here

if TYPE_CHECKING:
    from ..store import ResultStore, StoreSpec

__all__ = ["Refusal", "existing_runs", "pending_after_checks"]


def existing_runs(plan: SweepPlan, spec: StoreSpec, force: bool) -> tuple[str, set, Refusal | None]:
    """For a dry run: what the store at ``plan.out`` already holds (opened read-only, never changed), its runs
    done, and why the sweep would be refused (``None``: it would run)."""
    from ..store import ResultStore
    from ..store import StoreError as _StoreError
    from ..store import location_exists as exists
    from ..store import location_scheme as scheme

    if scheme(plan.out) is not None:  # a dry run contacts no server
        return "behind a URL: not contacted on a dry run", set(), None
    if not exists(plan.out):
        return "new", set(), None
    try:
        store = ResultStore.open(plan.out, mode="r")
        note, extends_time = store.merge_note(spec, force)
        # refused without force exactly where force would change what create does: the store's merge rules decide
        # (ResultStore.merge_note), its words are only shown
        refused = not force and not extends_time and store.merge_note(spec, True) != (note, extends_time)
    except _StoreError as err:
        raise UsageError(str(err)) from None
    if extends_time:  # every run continues, done ones too
        return note, set(), None
    refusal = None
    if refused:
        old = store.spec
        refusal = Refusal(why=note.rpartition(" (")[0] or note, shorter=spec.n_steps < old.n_steps,
                          store_steps=old.n_steps, store_dt=old.dt)
    return note, done_runs(store), refusal


def done_runs(store: ResultStore) -> set:
    """The ``coord_key`` of each run the store holds as done and undamaged by the cheap check (the damaged ones
    the sweep redoes: pending_after_checks)."""
    status = store.status()
    damaged = store.verify(full=False, status=status)
    return {coord_key(r.coords) for r in store.runs() if status[r.index] == "done" and r.index not in damaged}


def pending_after_checks(store: ResultStore, runs: list[PlannedRun], verify: bool) -> tuple[dict, int, dict, dict]:
    """Queue again the done runs whose data are damaged, restart from step 0 the runs whose saved state
    is damaged and the failed ones, leave to others the runs they hold, and list the pending runs
    with the step each resumes from.

    Returns ``({run: resume step}, runs held elsewhere, {run label: why damaged}, {run label: why its
    saved state is not used})``.
    """
    damaged = {}
    for idx, why in store.verify(full=verify).items():  # damaged done runs are run again, from the start
        store.set_status(idx, "pending", error=f"redone: its data were damaged ({why})")
        store.forget_progress(idx)
        damaged[label(store.coords_of(idx))] = why
    restarted = {}
    # runs a live process holds, this one's batches too (another sweep of the store in this process: the lease
    # of a run is a process's, so held_elsewhere does not list them)
    held = {**{idx: None for idx in held_here(store.path)}, **store.held_elsewhere()}
    for idx, why in store.verify_resume(full=verify).items():  # never resume from fill values or bad chunks
        if idx not in held:
            store.forget_progress(idx)
            restarted[label(store.coords_of(idx))] = why
    steps = store.resume_steps()
    for idx in zip(*(store.status() == "failed").nonzero()):  # from step 0: its checkpoints may hold the failure
        if steps[idx] > 0:
            store.forget_progress(tuple(int(i) for i in idx))
    elsewhere = held
    resume = store.resume_steps()
    pending_coords = {coord_key(c.coords): int(resume[c.index]) for c in store.pending_runs()
                      if c.index not in elsewhere}
    pending = {r: pending_coords[coord_key(r.coords)] for r in runs if coord_key(r.coords) in pending_coords}
    # only this sweep's runs: another sweep's runs in the same store are none of its count ("-1 already done")
    planned = {coord_key(r.coords) for r in runs}
    mine = sum(1 for idx in elsewhere if coord_key(store.coords_of(idx)) in planned)
    return pending, mine, damaged, restarted
