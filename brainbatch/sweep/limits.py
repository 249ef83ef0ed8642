"""Swept values against the model's own limits, before anything compiles.

A traced (vmapped) parameter reaches the model as a JAX tracer, and a model cannot check a tracer
(``tau_w > 0``): ``bb.AdEx(10, tau_w=-5.0)`` is refused, but the same value swept as ``-p tau_w=-5``
would run. So each swept value is built once with the value itself, a plain number, under
``jax.eval_shape`` (no array is computed: a few milliseconds per build), and the model's checks
refuse it with their own message.
"""
from __future__ import annotations

import math

from typing import Any

import numpy as np

from ..store import value_key
from .errors import UsageError
from .plan import PlannedRun, SweepPlan
from .simulations import build_arguments, traced_dtype

__all__ = ["check_swept_values", "check_convention_units", "check_traced_values", "MAX_CHECKED_VALUES"]

#: Values of one parameter built one by one; a longer list (a fine grid, many samples) is checked at
#: its smallest and largest values and this many spread between (model limits are ranges).
MAX_CHECKED_VALUES = 64


def check_swept_values(plan: SweepPlan, groups: dict[tuple, list[PlannedRun]], traced: tuple[str, ...]) -> None:
    """Build each group's model once per value of each traced parameter (the others at their defaults);
    a ``ValueError``/``TypeError`` of the model becomes a ``UsageError`` naming the value.

    >>> check_swept_values(plan, groups, ("tau_w",))  # doctest: +SKIP
    UsageError: -p tau_w=-5.0 is refused by the model: tau_w must be > 0, got -5.0
    """
    if not traced:
        return
    exp = plan.experiment
    units = plan.build_units
    for key, members in groups.items():
        if _build_error(plan, build_arguments(exp.params, key, {}, units)) is not None:
            # the group's static values (or defaults) are refused whatever the traced values: its runs fail
            # one by one with the model's own error (a static value is built as it is), not blamed on these
            continue
        # each traced value alone, the other traced parameters at their defaults, so a refusal names the
        # value that caused it; combinations the model refuses fail their runs when they run
        for name in traced:
            for value in _spread(sorted({dict(r.values)[name] for r in members})):
                err = _build_error(plan, build_arguments(exp.params, key, {name: value}, units))
                if err is not None:
                    raise UsageError(f"-p {name}={value!r} is refused by the model: {err}") from None


def check_convention_units(plan: SweepPlan) -> dict[str, str]:
    """A value given with a unit onto a parameter whose default is a plain number (``-p rate=10mV``) is
    stored in the convention's unit of its dimension (ms, mV, Hz: docs/units.md), and only the model knows
    which dimension it takes. So ``build`` is run once (under ``jax.eval_shape``) with the quantity itself.

    - A model that refuses that dimension (``UnitMismatch``: ``PoissonInput(freq=10 * u.mV)``) refuses the
      value by name, before the store is made and labels it in mV.
    - A ``build`` that takes the quantity gets quantities in every run (the returned ``{name: unit}``,
      ``SweepPlan.quantities``): the model converts them to its own reading of a plain number, which is not
      always the convention's (``Izhikevich(a=20 * u.Hz)`` is a = 0.02 per ms; a plain 20 would be 20 per ms).
    - A ``build`` that cannot take a quantity at all (arithmetic with plain numbers), or whose model cannot
      step with it (it keeps ``drive`` and adds it to a unitless V: its init and first step are traced once),
      gets the convention's plain numbers, as documented.
    """
    exp = plan.experiment
    named = {n: text for n, text in plan.units.items() if exp.param_units.get(n) is None}
    if not named or not plan.runs:
        return {}
    from ..core.units import UnitMismatch, parse_unit

    values = dict(plan.runs[0].values)
    fixed = tuple(sorted(plan.fixed.items()))
    taken: dict[str, str] = {}
    for name, text in named.items():
        if name not in values:
            continue
        args = build_arguments(exp.params, fixed, {n: v for n, v in values.items() if n != name}, exp.param_units)
        plain = {**args, name: values[name]}
        args[name] = values[name] * parse_unit(text)
        failure = _build_failure(plan, args)
        err = failure if isinstance(failure, (ValueError, TypeError)) else None
        if failure is None:
            # a model may keep the quantity as it is and meet it only in its step (`V + self.drive` onto a
            # unitless V): every run would fail there, after the store is made. Such a model gets plain numbers
            if _step_failure(plan, {**values, **dict(plan.fixed)}, ((name, text),)) is None:
                taken[name] = text
        # blamed on the unit only if the plain number builds (strict units refuse every plain value alike)
        elif isinstance(err, UnitMismatch) and not isinstance(_build_error(plan, plain), UnitMismatch):
            raise UsageError(f"-p {name}={values[name]!r} {text}: the model does not take {name} in {text} ({err}); "
                             f"give the unit it takes, a plain number, or declare the unit in build's default "
                             f"(docs/units.md)") from None
    return taken


def _build_error(plan: SweepPlan, args: dict) -> Exception | None:
    """The ``ValueError``/``TypeError`` ``build(**args)`` raises under ``jax.eval_shape``, else None
    (any other failure fails its runs when they run)."""
    err = _build_failure(plan, args)
    return err if isinstance(err, (ValueError, TypeError)) else None


def _build_failure(plan: SweepPlan, args: dict) -> BaseException | None:
    """Whatever ``build(**args)`` raises under ``jax.eval_shape``, else None."""
    import jax

    from ..core.context import environment

    def probe(k: Any) -> int:
        with environment(dt=plan.dt, t0=0.0, key=k):
            plan.experiment.build(**args)
        return 0

    try:
        jax.eval_shape(probe, jax.random.key(0))
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the experiment's own code
        return err
    return None


def _step_failure(plan: SweepPlan, values: dict, quantities: tuple) -> BaseException | None:
    """Whatever tracing the model's init and first step raises (under ``jax.eval_shape``, nothing runs)
    with these build values, ``quantities`` (``(name, unit)``) given as quantities; else None."""
    from .batching import helper_hashes
    from .simulations import simulation_for

    exp = plan.experiment
    try:
        sim = simulation_for(exp.path, exp.source_hash, tuple(sorted(values.items())), (), plan.dt,
                             helper_hashes(exp), quantities)
        sim.shared_paths({})
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the experiment's own code
        return err
    return None


def _spread(values: list[Any]) -> list[Any]:
    if len(values) <= MAX_CHECKED_VALUES:
        return values
    step = (len(values) - 1) / (MAX_CHECKED_VALUES - 1)
    return [values[round(k * step)] for k in range(MAX_CHECKED_VALUES)]


def check_traced_values(plan: SweepPlan, traced: tuple[str, ...], stored: dict[str, list] | None = None) -> None:
    """Refuse a traced value the runs cannot take as it is labelled: the model gets it as ``traced_dtype()``
    (float32; float64 with JAX's 64-bit mode on), where ``1e39`` is inf, ``1e-50`` is 0 (as is a subnormal
    such as ``1e-40``: XLA flushes those to 0) and ``1.2`` and ``1.2000000001`` are one number, so two labels
    would hold the same run. ``stored``: the values the store at ``plan.out`` already holds per parameter,
    which this sweep's values join.

    >>> check_traced_values(plan, ("drive",))  # doctest: +SKIP
    UsageError: -p drive=1e+39 cannot be swept: ... it overflows to inf ...
    """
    dtype = np.dtype(traced_dtype())
    info = np.finfo(dtype)
    why = f"the runs take a swept value as {dtype.name}"
    for name in traced:
        sampled = name in plan.samples
        values = list(plan.samples[name] if sampled else plan.axes.get(name, []))
        seen: dict[float, tuple[Any, str]] = {}
        with np.errstate(over="ignore", under="ignore"):
            for v in (stored or {}).get(name, []):  # already in the store: a new value must differ from these too
                seen.setdefault(float(dtype.type(v)), (v, f"{v!r}, already in the store"))
            for k, v in enumerate(values):
                what = f"sample {k} of {name!r} ({v!r})" if sampled else f"-p {name}={v!r}"
                if isinstance(v, (int, float, np.number)) and not math.isfinite(float(v)):
                    # given as NaN or inf (Python, a module's sweep dict): not an overflow of the cast below
                    raise UsageError(f"parameter {name!r} must be finite, got {v!r}")
                cast = dtype.type(v)
                if not np.isfinite(cast):
                    raise UsageError(f"{what} cannot be swept: {why}, where it overflows to {str(cast)} ({dtype.name} "
                                     f"holds magnitudes up to {float(info.max):.4g}); give "
                                     + ("a range" if sampled else "values") + " within that range")
                if v != 0 and abs(float(cast)) < float(info.smallest_normal):
                    raise UsageError(f"{what} cannot be swept: {why}, where it computes as 0 ({dtype.name} holds "
                                     f"magnitudes down to {float(info.smallest_normal):.4g}; smaller ones are 0); give "
                                     + ("a range of magnitudes at least that large" if sampled else
                                        "0 or a value at least that large"))
                other = seen.get(float(cast))
                if other is not None and value_key(other[0]) != value_key(v):
                    fix = ("widen its range or draw fewer samples" if sampled else
                           f"give values that differ in {dtype.name} (about {info.precision} significant digits)")
                    raise UsageError(f"{what} cannot be swept: {why}, where it is the same number ({str(cast)}) as "
                                     f"{other[1]}, so two labels would hold one run; {fix}")
                seen.setdefault(float(cast), (v, f"sample {k} ({v!r})" if sampled else repr(v)))
