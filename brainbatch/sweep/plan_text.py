"""Plans in words, for ``--dry-run`` and ``-v``: text only, computed from a ``Prepared`` sweep."""
from __future__ import annotations

from typing import Any

from .plan import SweepPlan
from .prepared import Prepared

__all__ = ["describe_plan", "describe_batches", "duration_note"]


def describe_plan(prep: Prepared) -> str:
    """The text ``--dry-run`` prints."""
    plan = prep.plan
    axes = ", ".join(f"{k} = {_listed(v)}{_unit_text(plan, k)} ({_axis_origin(plan, k)})"
                     for k, v in plan.axes.items()) or "(no parameter axes)"
    axes += _replaced_by_ranges(plan)
    traced = ", ".join(prep.traced) or "none"
    lines = [
        f"experiment  {plan.experiment.path}",
        f"source      sha256 {plan.experiment.source_hash[:16]}…{_helpers_text(plan)}",
        f"seeds       {_seed_text(plan.seeds)}",
        f"grid        {axes}",
        *_design_lines(plan),
        f"runs        {plan.n_runs} ({len(prep.pending)} to run)",
        f"duration    {plan.duration:g} ms at dt {plan.dt:g} ms = {plan.n_steps} steps",
        f"batches     {len(prep.tasks)} (batch size up to {prep.batch_size}; {prep.groups} compiled group(s); "
        f"vmapped parameters: {traced})",
        f"devices     {', '.join(prep.devices)} ({_lanes_text(prep)})" if prep.executor != "dask" else
        f"executor    dask: {_dask_text(prep)}; each worker takes its own device, batches planned for "
        f"{', '.join(prep.devices)} ({_lanes_text(prep)})",
        f"store       {plan.out}{_existing_text(prep)}",
        f"size        about {_bytes(prep.store_bytes)} before compression",
    ]
    if prep.memory is not None:
        from .memory import describe_memory

        lines.append(describe_memory(prep.memory))
    if prep.warning:
        lines.append(f"warning     {prep.warning}")
    return "\n".join(lines)


def duration_note(prep: Prepared, typed: str | None) -> str | None:
    """A note where ``--duration`` was ``typed`` as a plain number (ms) that looks like seconds meant: fewer than 10
    steps, or 1/100 of the experiment's own duration or less (``--duration 0.5`` ran 0.5 ms without a word)."""
    plan = prep.plan
    own = plan.experiment.duration
    if typed is None or (plan.n_steps >= 10 and own < 100 * plan.duration):
        return None
    return (f"--duration {typed} is {plan.duration:g} ms ({plan.n_steps} step(s) of {plan.dt:g} ms; the experiment's "
            f"own duration is {own:g} ms): a plain number is milliseconds; write --duration {typed}s for seconds")


def _dask_text(prep: Prepared) -> str:
    """Where a dask sweep runs: the scheduler it joins, or the local cluster it starts (executors/dask.py)."""
    if prep.scheduler:
        from ..errors import option_text
        from .options import SweepOptions

        # as the sweep says (executors/dask.py): both shape only the local cluster brainbatch starts without it
        unused = ([option_text("workers", prep.workers)] if prep.workers else []) + (
            [option_text("dashboard", prep.dashboard)] if prep.dashboard != SweepOptions.dashboard else [])
        ignored = (f" ({' and '.join(unused)} {'is' if len(unused) == 1 else 'are'} ignored: that cluster has its own)"
                   if unused else "")
        return f"the scheduler at {prep.scheduler} and its workers{ignored}"
    from .executors.dask import DEFAULT_WORKERS, local_workers

    asked = prep.workers or DEFAULT_WORKERS
    started = local_workers(prep.workers, len(prep.tasks))
    if not prep.tasks:
        return f"a local cluster of {asked} worker process(es), not started: no batch to run"
    if started < asked:  # a worker with no batch would be a JAX process started for nothing
        from ..errors import option_text

        given = option_text("workers", asked) if prep.workers else f"{asked} by default"
        return (f"a local cluster of {started} worker process(es), one per batch ({given}, capped at the "
                f"{len(prep.tasks)} batch(es))")
    return f"a local cluster of {started} worker process(es)"


def _helpers_text(plan: SweepPlan) -> str:
    """The local modules the source hash covers besides the file (docs/experiments.md)."""
    names = sorted(plan.experiment.helpers)
    return f" (the file and {len(names)} local module(s): {', '.join(names)})" if names else ""


def _design_lines(plan: SweepPlan) -> list[str]:
    """The sampled design: sampler and ranges, notes, and its first points (``sample i: name=value``)."""
    design = plan.design
    if design is None:
        return []
    from .design import SHOWN_POINTS

    coords = ", ".join(f"{n}(sample)" for n in design.names)
    # design.text() with each range's unit (the plan's: -p tau=10ms:30ms or bb.Range(10 * u.ms, ...) in ms)
    ranges = ", ".join(f"{name} in {rng.text()}{_unit_text(plan, name)}" for name, rng in design.ranges)
    text = f"{design.sampler}, {design.n} samples, sample seed {design.seed}: {ranges}"
    lines = [f"design      {text} (dim 'sample'; coordinates {coords})"]
    lines += [f"            note: {note}" for note in design.notes()]
    shown = min(design.n, SHOWN_POINTS)
    for i in range(shown):
        point = ", ".join(f"{k}={_value(v[i])}{_unit_text(plan, k)}" for k, v in plan.samples.items())
        lines.append(f"{'points' if i == 0 else '':12s}sample {i}: {point}")
    if design.n > shown:
        lines.append(f"{'':12s}... ({design.n - shown} more)")
    return lines


def _value(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _lanes_text(prep: Prepared) -> str:
    from ..run.engine import choose_lanes
    from .device_choice import on_accelerator

    size = max((len(t.runs) for t in prep.tasks), default=1)
    how = choose_lanes("gpu" if on_accelerator(prep.devices) else "cpu", size, prep.state_bytes)
    if size <= 1:
        return "one run per call"
    if how == "loop":
        return f"a batch's runs one after the other in one compiled call: {_bytes(prep.state_bytes)} of state per run"
    return "a batch's runs vmapped side by side in one compiled call"


def _axis_origin(plan: SweepPlan, name: str) -> str:
    """Where a grid axis came from: the module's ``sweep``, or ``-p`` (added to it, or replacing one of its axes)."""
    module = plan.experiment.sweep
    if name not in module:
        return "-p, added to the module's sweep axes" if module else "-p"
    from .quantities import values_in_unit

    try:  # the module's values as the plan holds them: quantities ([10 * u.ms, ...]) in the axis's unit
        own = values_in_unit(name, list(module[name]), plan.experiment.param_units.get(name), strict=False)[0]
    except Exception:  # noqa: BLE001 - values the plan refused would not have reached here
        own = list(module[name])
    if list(own) != list(plan.axes[name]):
        return "-p, replaces the module's values"
    return "-p, the module's own values" if name in plan.given else "module sweep"


def _unit_text(plan: SweepPlan, name: str) -> str:
    unit = plan.units.get(name)
    return f" {unit}" if unit else ""


def _replaced_by_ranges(plan: SweepPlan) -> str:
    replaced = [k for k in plan.samples if k in plan.experiment.sweep]
    return f" (the module's {', '.join(replaced)} axis replaced by a range)" if replaced else ""


def _existing_text(prep: Prepared) -> str:
    if prep.existing == "new":
        return " (new)"
    done = len(prep.done_before)
    in_plan = prep.plan.n_runs - len(prep.pending)
    return f" ({prep.existing}; {done} run(s) done in it, {in_plan} of them in this sweep)"


def describe_batches(prep: Prepared) -> str:
    """One line per batch (``-v``): its runs and its device."""
    lines = []
    for k, task in enumerate(prep.tasks):
        labels = "; ".join(", ".join(f"{n}={v}" for n, v in (("seed", s), *p)) for s, p in task.runs[:3])
        more = f"; ... ({len(task.runs)} runs)" if len(task.runs) > 3 else ""
        lines.append(f"batch {k + 1}/{len(prep.tasks)} on {task.device}: {labels}{more}")
    return "\n".join(lines)


#: Values of one axis (or seeds) a plan shows in full; a longer list shows its first and last few and its length
LISTED = 12


def _listed(values: list) -> str:
    """An axis's values as a list, ``[1.0, 1.001, ..., 2.0] (1001 values)`` past ``LISTED`` of them: a grid of a
    thousand values was one line of 7 kB that hid the rest of the plan."""
    if len(values) <= LISTED:
        return str(values)
    return f"[{', '.join(map(repr, values[:6]))}, ..., {', '.join(map(repr, values[-3:]))}] ({len(values)} values)"


def _seed_text(seeds: list[int]) -> str:
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))) and len(seeds) > 2:
        return f"{seeds[0]}-{seeds[-1]} ({len(seeds)})"
    if len(seeds) > LISTED:
        return f"{', '.join(map(str, seeds[:6]))}, ..., {', '.join(map(str, seeds[-3:]))} ({len(seeds)} seeds)"
    return ", ".join(map(str, seeds))


def _bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):  # powers of 1024, named as such
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
