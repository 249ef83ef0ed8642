"""A sweep plan is pure data: experiment, grid, sampled design, seeds, steps, runs and their batches."""
from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass, field
from typing import Any

from ..store import MAX_STEPS, SAMPLE_DIM, value_key
from .design import DEFAULT_SAMPLER, Design
from .quantities import range_in_unit, values_in_unit
from ..core.units import is_quantity, unit_text
from .errors import UsageError
from ..errors import on_command_line, option_name, option_text
from .experiment import Experiment, plain_values
from .ranges import Range, check_range_fits, grid_values, looks_like_range, parse_range
from .specs import cast_value, check_kinds, parse_param, parse_seeds

__all__ = ["PlannedRun", "SweepPlan", "make_plan"]


@dataclass(frozen=True)
class PlannedRun:
    """One run: its seed, its coordinates in the store (grid values, and its ``sample`` in a sampled
    design) and the values of the ranged parameters at that sample."""

    seed: int
    params: tuple[tuple[str, Any], ...]
    sampled: tuple[tuple[str, Any], ...] = ()

    @property
    def coords(self) -> dict[str, Any]:
        """Where the run lives in the store: ``{"seed": ..., <grid params>, "sample": i}``."""
        return {"seed": self.seed, **dict(self.params)}

    @property
    def values(self) -> tuple[tuple[str, Any], ...]:
        """The swept values ``build`` receives: grid values and the ranged parameters' values."""
        grid = tuple((k, v) for k, v in self.params if not (self.sampled and k == SAMPLE_DIM))
        return grid + self.sampled

    @property
    def lane(self) -> tuple[tuple[str, Any], ...]:
        """The run as a batch lane (``BatchTask.runs``): its coordinates, then its sampled values."""
        return self.params + self.sampled

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in (*self.coords.items(), *self.sampled))


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
    design: Design | None = None
    samples: dict[str, list] = field(default_factory=dict)  # each ranged parameter's value per sample
    units: dict[str, str] = field(default_factory=dict)  # each swept parameter's unit, if it has one
    #: swept parameters with a plain default whose values were given in a unit, which ``build`` takes as
    #: quantities (limits.check_convention_units): the model converts them to its own reading
    quantities: dict[str, str] = field(default_factory=dict)
    #: the grid axes the user gave (``-p``, ``params=``), the module's own values included
    given: tuple[str, ...] = ()

    @property
    def build_units(self) -> dict[str, Any]:
        """The unit of each parameter ``build`` receives as a quantity: its default's, or the one it was
        swept in when ``build`` takes that (``quantities``)."""
        from ..core.units import parse_unit

        return {**self.experiment.param_units, **{n: parse_unit(t) for n, t in self.quantities.items()}}

    @property
    def n_samples(self) -> int:
        return self.design.n if self.design is not None else 1

    @property
    def store_params(self) -> dict[str, list]:
        """The store's swept axes: the grid, then ``sample`` (0..N-1) for a sampled design."""
        if self.design is None:
            return {k: list(v) for k, v in self.axes.items()}
        return {**{k: list(v) for k, v in self.axes.items()}, SAMPLE_DIM: list(range(self.design.n))}

    @property
    def runs(self) -> list[PlannedRun]:
        names = list(self.axes)
        runs = []
        for seed in self.seeds:
            for values in itertools.product(*self.axes.values()):
                grid = tuple(zip(names, values))
                if self.design is None:
                    runs.append(PlannedRun(seed, grid))
                    continue
                for i in range(self.design.n):
                    sampled = tuple((k, v[i]) for k, v in self.samples.items())
                    runs.append(PlannedRun(seed, (*grid, (SAMPLE_DIM, i)), sampled))
        return runs

    @property
    def n_runs(self) -> int:
        return len(self.seeds) * math.prod(len(v) for v in self.axes.values()) * self.n_samples


def _default_out(exp: Experiment, axes: dict, design: Design | None) -> str:
    names = [*axes, *(design.names if design else [])]
    name = "-".join(names) if names else "seeds"
    if design is not None:  # the sample count is left out: a larger --samples extends the same store
        name += f"-{design.sampler}"
    return os.path.join("results", exp.name, f"{name}.zarr")


def _as_range(exp: Experiment, name: str, values: Any) -> Range | None:
    """The range ``values`` stands for (a ``Range``, or a ``LOW:HIGH`` string), else None (grid values)."""
    if isinstance(values, Range):
        rng = values
    else:
        items = values if isinstance(values, (list, tuple)) else [values]
        text = isinstance(exp.params.get(name), str)  # a text parameter may hold ':' (a path)
        ranged = [v for v in items if isinstance(v, Range) or (looks_like_range(v) and not text)]
        if not ranged:
            return None
        if len(items) != 1:
            raise UsageError(f"parameter {name!r} mixes a range with other values ({values!r}): give either a "
                             f"range ({name}=LOW:HIGH) or a list of values ({name}=V1,V2)")
        rng = ranged[0] if isinstance(ranged[0], Range) else parse_range(name, ranged[0])
    check_range_fits(name, rng, exp.params.get(name), name in exp.static)
    return rng


def _design(ranges: dict[str, Range], samples: Any, sampler: Any, sample_seed: Any,
            own: frozenset[str] = frozenset(), typed: dict[str, str] | None = None) -> Design | None:
    """The sampled design of ``ranges`` (``own``: those the module's ``sweep`` gives; ``typed``: each given range as
    the user wrote it, ``5ms:20ms`` for what reads ``5:20`` in the parameter's unit), or None for a grid."""
    if not ranges:
        given = [option_text(name, v) for name, v in (("samples", samples), ("sampler", sampler),
                                                        ("sample_seed", sample_seed)) if v is not None]
        if given:
            how = ("write -p NAME=LOW:HIGH (e.g. -p we=0.4:0.8); values V1,V2 make a grid" if on_command_line()
                   else "give a range, e.g. params={'we': bb.Range(0.4, 0.8)}; a list of values makes a grid")
            raise UsageError(f"{given[0]} needs a parameter range to sample: {how}")
        return None
    if samples is None:
        name, rng = next(iter(ranges.items()))
        what = (f"the experiment's sweep gives {name!r} a range ({rng.text()})" if name in own
                else f"-p {name}={(typed or {}).get(name, rng.text())} is a range")
        raise UsageError(f"{what}: give --samples N, the number of points to draw (e.g. --samples 64; sobol is "
                         "balanced at powers of 2)")
    return Design(tuple(ranges.items()), n=samples, sampler=DEFAULT_SAMPLER if sampler is None else sampler,
                  seed=0 if sample_seed is None else sample_seed)


def make_plan(exp: Experiment, seeds: Any = None, params: dict | None = None, out: str | None = None,
              duration: float | None = None, dt: float | None = None, samples: int | None = None,
              sampler: str | None = None, sample_seed: int | None = None) -> SweepPlan:
    """Combine the module's defaults with the user's seeds, parameter values and ranges.

    ``params`` maps names to a list of values (strings are parsed like the CLI's ``-p``), to one value,
    or to a range (``Range(0.4, 0.8)`` or ``"0.4:0.8"``); ranged parameters get ``samples`` points of
    ``sampler`` (default sobol) drawn with ``sample_seed`` (default 0), on one ``sample`` dim.

    >>> plan = make_plan(load_experiment("experiments/coba.py"), params={"we": Range(0.4, 0.8)},
    ...                  samples=16)  # doctest: +SKIP
    """
    seeds = parse_seeds(1 if seeds is None else seeds)
    units: dict[str, Any] = {}
    axes: dict[str, list] = {}
    for name, values in exp.sweep.items():  # the module's own axes may hold quantities too
        axes[name], units[name] = values_in_unit(name, list(values), exp.param_units.get(name))
        # typed like the default, as -p values are (an int default's 10.0 is 10; a text default's 1 is refused)
        axes[name] = [cast_value(value, exp.params.get(name), name) for value in axes[name]]
        check_kinds(name, axes[name])
    slots: dict[str, Range | None] = {}
    typed: dict[str, str] = {}  # each range given, as written
    for name, rng in exp.ranges.items():  # the module's own ranges: -p for the same name replaces them
        if name in (params or {}):
            # its slot is kept (None until -p fills it): the design's order decides every point, and -p of the same
            # range moved it last, so `-p we=0.3:0.9` drew other points than the module's own we = Range(0.3, 0.9)
            slots[name] = None
            continue
        values, units[name] = _in_unit(exp, name, rng)
        slots[name] = _as_range(exp, name, values) or rng  # a Range is always one
    for name, values in (params or {}).items():
        exp.check_param(name)
        given = values
        if is_quantity(values) and getattr(values.mantissa, "ndim", 0) == 1:  # np.array([10., 20.]) * u.ms
            values = [values[i] for i in range(values.shape[0])]
        elif not isinstance(values, (str, Range)) and not is_quantity(values):
            values = plain_values(values, f"parameter {name!r}")  # an array, a range: plain numbers
        values, units[name] = _in_unit(exp, name, values)
        if not isinstance(exp.params.get(name), str):  # a text parameter may hold ':' (a path)
            values = grid_values(name, values)  # LOW:HIGH:STEP is an evenly spaced grid, not a range
        rng = _as_range(exp, name, values)
        if rng is not None:
            axes.pop(name, None)  # a range replaces the module's grid values of that parameter
            slots[name] = rng
            typed[name] = _as_typed(given) or rng.text()
            continue
        if isinstance(values, str):
            _, values = parse_param(f"{name}={values}")
        if not isinstance(values, (list, tuple)):
            values = [values]
        if len(values) == 0:
            raise UsageError(f"parameter {name!r} has no values: the grid would be empty")
        cast = [cast_value(v, exp.params.get(name), name) for v in values]
        check_kinds(name, cast)
        if len({value_key(v) for v in cast}) != len(cast):  # the store's own rule: 1 and 1.0 are one value
            raise UsageError(f"parameter {name!r} lists a value twice: {values!r}")
        axes[name] = cast
    for name, values in axes.items():
        if not values:
            raise UsageError(f"sweep axis {name!r} has no values: the grid would be empty")
    ranges = {k: v for k, v in slots.items() if v is not None}  # a module range -p made a grid leaves its slot empty
    design = _design(ranges, samples, sampler, sample_seed, own=frozenset(exp.ranges) - set(params or {}), typed=typed)
    if design is not None and (SAMPLE_DIM in axes or SAMPLE_DIM in ranges):
        raise UsageError(f"parameter {SAMPLE_DIM!r} clashes with the dim {SAMPLE_DIM!r} of a sampled design; "
                         f"sweep it as a grid without ranges, or rename it in the experiment")
    from .specs import MAX_RUNS

    n_runs = len(seeds) * math.prod(len(v) for v in axes.values()) * (design.n if design else 1)
    if n_runs > MAX_RUNS:  # before any run is listed (or any point drawn): a dry run must answer at once
        grid = " x ".join([f"{len(seeds)} seeds"] + [f"{len(v)} {k}" for k, v in axes.items()]
                          + ([f"{design.n} samples"] if design else []))
        raise UsageError(f"{grid} = {n_runs} runs, more than one store holds ({MAX_RUNS}); "
                         "split the sweep into several stores (each with its own --out)")
    from ..core.context import _check_dt
    from ..core.units import to_convention
    from ..run.engine import steps_for

    from .quantities import milliseconds

    # text as the CLI takes it (duration="2ms", "0.5 s", "200": ms), its refusal in the same words
    given_times = {"dt": dt, "duration": duration}
    dt, duration = (milliseconds(option_name(name), value) if isinstance(value, str) else value
                    for name, value in given_times.items())
    try:  # the runner's own rules, so a plan accepts exactly what a run accepts
        dt = _check_dt(exp.dt if dt is None else dt)
        duration = exp.duration if duration is None else duration
        n_steps = steps_for(duration, dt)
        duration = float(to_convention("duration", duration, "ms", strict=False))  # ``duration=1 * u.second``
    except ValueError as err:
        text = str(err)
        slip = next((v for name, v in given_times.items() if text.startswith(name) and v is not None
                     and not isinstance(v, (str, bool, int, float)) and not is_quantity(v)), None)
        if slip is not None:  # [200] or None-like objects: say what else is taken
            text += " (or a quantity such as 2 * u.second, or text such as '2ms')"
        raise UsageError(text) from None
    if n_steps > MAX_STEPS:  # before any time axis is built: it would not fit in memory or on disk
        raise UsageError(f"{option_name('duration')} {duration:g} ms at dt {dt:g} ms is {n_steps:.3g} steps, more than a store's "
                         f"time axis holds ({MAX_STEPS:.3g} steps); give a shorter duration or a larger dt")
    _check_inputs_and_monitors(exp, n_steps, duration, dt)
    sampled = {}
    if design is not None:
        sampled = {k: [cast_value(v, exp.params.get(k), k) for v in vals] for k, vals in design.values().items()}
    named = {k: unit_text(v) for k, v in units.items() if v is not None and (k in axes or k in ranges)}
    return SweepPlan(experiment=exp, axes=axes, seeds=seeds, duration=duration, dt=dt, n_steps=n_steps,
                     out=os.fspath(out) if out is not None else _default_out(exp, axes, design),
                     design=design, samples=sampled, units=named,
                     given=tuple(k for k in (params or {}) if k in axes))


def _as_typed(given: Any) -> str | None:
    """A range as the user gave it (``"5ms:20ms"``, ``["5ms:20ms"]``, ``Range(5 * u.ms, 20 * u.ms)``), else None."""
    if isinstance(given, (list, tuple)) and len(given) == 1:
        given = given[0]
    if isinstance(given, Range):
        return given.text()
    return given.strip() if isinstance(given, str) else None


def _check_inputs_and_monitors(exp: Experiment, n_steps: int, duration: float, dt: float) -> None:
    """The module's ``inputs`` and ``monitors`` are well formed, and each 'iter' input has a row for every step of
    the sweep (the first failed every run after the store was made, the others reached the CLI as a traceback);
    an experiment that records nothing is warned about."""
    import numpy as np

    from ..run import normalize_inputs, normalize_monitors

    try:
        inputs = normalize_inputs(exp.inputs)
    except (TypeError, ValueError) as err:
        raise UsageError(f"{exp.name}: module attribute 'inputs': {err}") from None
    try:  # their form only (the paths are checked against the model when it is built)
        monitors = normalize_monitors(exp.monitors)
    except (TypeError, ValueError, KeyError) as err:
        raise UsageError(f"{exp.name}: module attribute 'monitors': {err}") from None
    if not monitors:
        import warnings

        from .errors import NearMissWarning

        warnings.warn(f"{exp.name} records nothing (its 'monitors' is empty or missing): the store will hold only "
                      "each run's status; name what to record, e.g. monitors = {'V': 'E.V'}", NearMissWarning,
                      stacklevel=3)
    for m in monitors:
        index = m.monitor.index
        if isinstance(index, (list, range, np.ndarray)):  # a tuple indexes axes, not elements
            picked = np.asarray(index)
            if picked.ndim == 1 and np.issubdtype(picked.dtype, np.integer):
                values, counts = np.unique(picked, return_counts=True)
                if (counts > 1).any():
                    raise UsageError(f"{exp.name}: monitor {m.name!r} lists element {int(values[counts > 1][0])} of "
                                     f"{m.monitor.target!r} twice; the store labels each recorded element by its "
                                     "index, so each may be listed once")
    for inp in inputs:
        if inp.type == "iter" and np.ndim(inp.value) > 0 and np.shape(inp.value)[0] < n_steps:
            raise UsageError(f"{exp.name}: 'iter' input for {inp.path!r} has {np.shape(inp.value)[0]} time steps; "
                             f"the sweep runs {n_steps} ({duration:g} ms at dt {dt:g} ms), one row per step")


def _in_unit(exp: Experiment, name: str, values: Any) -> tuple[Any, Any]:
    """``values`` (a list, one value, ``"V1,V2"`` or range text, a ``Range``) in the parameter's unit."""
    out = _in_unit_of_default(exp, name, values)
    default = exp.params.get(name)
    if (out[1] is not None and exp.param_units.get(name) is None and isinstance(default, int)
            and not isinstance(default, bool)):
        # an integer default without a unit is a count (neurons, inputs): a value with a unit is a slip
        shown = ",".join(map(str, values)) if isinstance(values, (list, tuple)) else str(values)
        raise UsageError(f"parameter {name!r} is a count (default {default}, no unit), got {name}={shown} in "
                         f"{unit_text(out[1])}; give whole numbers, or declare the unit in the experiment "
                         f"(def build({name}=... * u.{unit_text(out[1])}))")
    return out


def _in_unit_of_default(exp: Experiment, name: str, values: Any) -> tuple[Any, Any]:
    default_unit = exp.param_units.get(name)
    if isinstance(values, Range) and values.unit is not None:  # Range(10 * u.ms, 30 * u.ms): as -p tau=10ms:30ms
        return range_in_unit(name, values.text(), default_unit)
    if isinstance(values, Range) or isinstance(exp.params.get(name), str):
        return values, default_unit
    if isinstance(values, str):
        if ":" in values and "," not in values:
            return range_in_unit(name, values, default_unit)
        _, values = parse_param(f"{name}={values}")
    items = list(values) if isinstance(values, (list, tuple)) else [values]
    if len(items) == 1 and isinstance(items[0], str) and ":" in items[0]:
        text, unit = range_in_unit(name, items[0], default_unit)
        return [text], unit
    default = exp.params.get(name)
    numeric = default_unit is not None or (isinstance(default, (int, float)) and not isinstance(default, bool))
    return values_in_unit(name, items, default_unit, strict=numeric)
