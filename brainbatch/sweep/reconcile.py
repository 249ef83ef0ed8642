"""Reconciling a sweep with the store it writes into: what the store already holds, and what is left to run.

The store decides what an existing store holds and whether a sweep may merge into it
(``ResultStore.merge_note``, ``ResultStore.create``: one set of merge rules, in ``store/_create.py``);
this file turns its answers into the sweep's pending runs.
"""
from __future__ import annotations

from .batching import coord_key, label
from .errors import UsageError
from .plan import Run, SweepPlan

__all__ = ["existing_runs", "pending_after_checks"]


def existing_runs(plan: SweepPlan, spec, force: bool) -> tuple[str, set]:
    """For a dry run: what the store at ``plan.out`` already holds (opened read-only, never changed)."""
    from ..store import ResultStore
    from ..store import StoreError as _StoreError
    from ..store._location import exists, scheme

    if scheme(plan.out) is not None:  # a dry run contacts no server
        return "behind a URL: not contacted on a dry run", set()
    if not exists(plan.out):
        return "new", set()
    try:
        store = ResultStore.open(plan.out, mode="r")
        note, extends_time = store.merge_note(spec, force)
    except _StoreError as err:
        raise UsageError(str(err)) from None
    if extends_time:  # every run continues, done ones too
        return note, set()
    status = store.status()
    done = {coord_key(r) for r in store.runs() if status[r["index"]] == "done"}
    return note, done


def pending_after_checks(store, runs: list[Run], verify: bool) -> tuple[dict, int, dict]:
    """Queue again the done runs whose data are damaged, leave to others the runs they hold, and list
    the pending runs with the step each resumes from.

    Returns ``({run: resume step}, runs held elsewhere, {run label: why damaged})``.
    """
    damaged = {}
    for idx, why in store.verify(full=verify).items():  # damaged done runs are run again, from the start
        store.set_status(idx, "pending", error=f"redone: its data were damaged ({why})")
        store.forget_progress(idx)
        damaged[label(store.coords_of(idx))] = why
    elsewhere = store.held_elsewhere()
    resume = store.resume_steps()
    pending_coords = {coord_key(c): int(resume[c["index"]]) for c in store.pending_runs()
                      if c["index"] not in elsewhere}
    pending = {r: pending_coords[coord_key(r.coords)] for r in runs if coord_key(r.coords) in pending_coords}
    return pending, len(elsewhere), damaged
