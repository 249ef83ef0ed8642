"""A sweep plan is pure data: experiment, grid, seeds, steps, runs and their batches."""
from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .experiment import Experiment
from .specs import cast_value, parse_param, parse_seeds

__all__ = ["Run", "SweepPlan", "make_plan"]


@dataclass(frozen=True)
class Run:
    """One run: its seed and the values of the swept parameters (its coordinates)."""

    seed: int
    params: tuple[tuple[str, Any], ...]

    @property
    def coords(self) -> dict[str, Any]:
        return {"seed": self.seed, **dict(self.params)}

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.coords.items())


@dataclass
class SweepPlan:
    """Everything a sweep will do, decided before anything runs (``--dry-run`` prints it)."""

    experiment: Experiment
    axes: dict[str, list]
    seeds: list[int]
    duration: float
    dt: float
    n_steps: int
    out: str
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def runs(self) -> list[Run]:
        names = list(self.axes)
        runs = []
        for seed in self.seeds:
            for values in itertools.product(*self.axes.values()):
                runs.append(Run(seed, tuple(zip(names, values))))
        return runs

    @property
    def n_runs(self) -> int:
        return len(self.seeds) * math.prod(len(v) for v in self.axes.values())


def _default_out(exp: Experiment, axes: dict) -> str:
    name = "-".join(axes) if axes else "seeds"
    return os.path.join("results", exp.name, f"{name}.zarr")


def make_plan(exp: Experiment, seeds: Any = None, params: dict | None = None, out: str | None = None,
              duration: float | None = None, dt: float | None = None) -> SweepPlan:
    """Combine the module's defaults with the user's seeds and parameter values.

    ``params`` maps names to a list of values (strings are parsed like the CLI's ``-p``), or to one value.
    """
    seeds = parse_seeds(1 if seeds is None else seeds)
    axes: dict[str, list] = {k: list(v) for k, v in exp.sweep.items()}
    for name, values in (params or {}).items():
        exp.check_param(name)
        if isinstance(values, str):
            _, values = parse_param(f"{name}={values}")
        if not isinstance(values, (list, tuple)):
            values = [values]
        if len(values) == 0:
            raise UsageError(f"parameter {name!r} has no values: the grid would be empty")
        cast = [cast_value(v, exp.params.get(name), name) for v in values]
        if len(set(map(repr, cast))) != len(cast):
            raise UsageError(f"parameter {name!r} lists a value twice: {values!r}")
        axes[name] = cast
    for name, values in axes.items():
        if not values:
            raise UsageError(f"sweep axis {name!r} has no values: the grid would be empty")
    from .specs import MAX_RUNS

    n_runs = len(seeds) * math.prod(len(v) for v in axes.values())
    if n_runs > MAX_RUNS:  # before any run is listed: a dry run of a huge grid must answer at once
        grid = " x ".join([f"{len(seeds)} seeds"] + [f"{len(v)} {k}" for k, v in axes.items()])
        raise UsageError(f"{grid} = {n_runs} runs, more than one store holds ({MAX_RUNS}); "
                         "split the sweep into several stores (each with its own --out)")
    from ..core.context import _check_dt
    from ..run.engine import steps_for

    try:  # the runner's own rules, so a plan accepts exactly what a run accepts
        dt = _check_dt(exp.dt if dt is None else dt)
        duration = exp.duration if duration is None else duration
        n_steps = steps_for(duration, dt)
        duration = float(duration)
    except ValueError as err:
        raise UsageError(str(err)) from None
    return SweepPlan(experiment=exp, axes=axes, seeds=seeds, duration=duration, dt=dt, n_steps=n_steps,
                     out=os.fspath(out) if out is not None else _default_out(exp, axes))
