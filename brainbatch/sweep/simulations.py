"""The compiled ``Simulation`` of each experiment and group of static values, kept per process.

A key (``SimulationKey``) names everything a compiled program depends on; the last
``MAX_SIMULATIONS`` are kept, the least recently used dropped first (a dask worker serves many
sweeps). ``TRACE_LOCK`` is held while a program is traced or compiled (the step context is one per
process), never while one runs, so the devices of ``--devices cpu:N`` compute in parallel.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..run import Simulation

__all__ = ["MAX_SIMULATIONS", "SimulationKey", "TRACE_LOCK", "traced_dtype", "build_arguments", "simulation_for"]


def traced_dtype() -> str:
    """The dtype a traced (vmapped) swept value reaches the model in: float32, or float64 with JAX's 64-bit
    mode on, which is the dtype a fixed or ``static`` value (a Python float) computes in there, so a label
    means one number whichever way it is compiled. Every ``jnp.asarray`` of traced values uses it, and
    ``limits.check_traced_values`` refuses values it cannot hold apart, so the check and the runs never
    disagree. (The mode is part of a store's identity, docs/store.md "Precision": one store, one dtype.)

    >>> traced_dtype()
    'float32'
    """
    import jax

    return "float64" if jax.config.read("jax_enable_x64") else "float32"

#: The compiled programs a process keeps (one ``Simulation`` per experiment and static parameter values).
MAX_SIMULATIONS = 16
# The step context (``share``) is one per process, so two threads must never trace at the same time.
TRACE_LOCK = threading.RLock()


@dataclass(frozen=True)
class SimulationKey:
    """What one cached ``Simulation`` is specific to."""

    experiment: str                      # path of the experiment file
    source_hash: str
    fixed: tuple[tuple[str, Any], ...]   # the group's static build arguments
    traced: tuple[str, ...]              # parameters passed as traced values
    dt: float
    helpers: tuple[tuple[str, str], ...]  # (module, sha256) of each local module the experiment imports
    kernels: str                         # the event path: "jax" and "native" compile apart
    quantities: tuple[tuple[str, str], ...] = ()  # swept values build takes as quantities (SweepPlan.quantities)


_SIMULATIONS: OrderedDict[SimulationKey, Simulation] = OrderedDict()
#: what the module gave this process when each simulation's experiment loaded (``provenance.setup_of``)
_SETUPS: dict[SimulationKey, tuple[tuple[str, str], ...]] = {}


def simulation_for(experiment_path: str, source_hash: str, fixed: tuple, traced: tuple, dt: float,
                   helpers: tuple[tuple[str, str], ...] = (),
                   quantities: tuple[tuple[str, str], ...] = (),
                   setup: tuple[tuple[str, str], ...] = ()) -> Simulation:
    """The (cached) ``Simulation`` of an experiment for one group of static parameter values; the
    experiment runs only if it (and each local module it imports, ``helpers``) is the planned source.
    ``quantities``: ``(name, unit)`` of the swept values ``build`` receives as quantities in that unit
    (``SweepPlan.quantities``), besides those whose default has a unit. ``setup``: what the module gave the sweep's
    own process (``provenance.setup_of``); a process that loads it otherwise (a dask worker in another environment)
    raises ``ExperimentError`` instead of computing the store's runs with other defaults, monitors or inputs."""
    from ..kernels import kernel_choice

    key = SimulationKey(experiment_path, source_hash, fixed, traced, dt, helpers, kernel_choice(), quantities)
    with TRACE_LOCK:
        sim = _simulation(key)
        if setup and _SETUPS.get(key) not in (None, setup):  # built from an earlier load of the module: load it again
            _SIMULATIONS.pop(key, None)
            sim = _simulation(key)
        _check_setup(key, _SETUPS.get(key), setup)
        return sim


def build_arguments(defaults: dict, fixed: tuple, params: dict, units: dict | None = None) -> dict[str, Any]:
    """The keyword arguments ``build`` receives for a run: the module's defaults, then the batch's
    static values (``fixed``: not swept, or swept but compiled per value), then the run's traced values;
    quantities for the parameters whose default has a unit (``units``, docs/units.md).

    >>> build_arguments({"we": 0.6, "n": 10}, (("n", 20),), {"we": 0.4})
    {'we': 0.4, 'n': 20}
    """
    arguments = {**defaults, **dict(fixed), **params}
    if not units:
        return arguments
    from .quantities import with_units

    return with_units(arguments, units)


def _simulation(key: SimulationKey) -> Simulation:
    from ..run import Simulation, normalize_inputs, normalize_monitors
    from .errors import ExperimentError
    from .experiment import load_experiment
    from .provenance import setup_of
    from .sources import data_files_now, data_files_written

    sim = _SIMULATIONS.get(key)
    if sim is None:
        from .experiment import SourceMismatchError

        try:  # refused before a changed file or helper runs (a dask worker may hold an older helper)
            exp = load_experiment(key.experiment, expected_hash=key.source_hash, expected_helpers=dict(key.helpers))
        except SourceMismatchError as err:
            raise ExperimentError(
                f"{key.experiment} changed while the sweep was running (source hash differs: {err}); "
                "re-run the sweep") from None

        units = exp.param_units
        if key.quantities:
            from ..core.units import parse_unit

            units = {**units, **{name: parse_unit(text) for name, text in key.quantities}}

        def factory(params: dict, build: Any = exp.build, defaults: dict = exp.params, units: dict = units,
                    fixed: tuple = key.fixed, helpers: dict = exp.helpers) -> Any:
            # a build reads its data files itself (a connectome loader): they must hold the bytes the store's
            # source hash names before it, and be left alone while it runs
            changed, signatures = data_files_now(helpers)
            if changed:
                raise ExperimentError(
                    f"data file(s) {', '.join(changed)} of {key.experiment} changed while the sweep was running (they "
                    "are not the files the store's source hash names); re-run the sweep once they are final")
            model = _built(key.experiment, build, build_arguments(defaults, fixed, params, units), helpers)
            written = data_files_written(signatures)
            if written:
                raise ExperimentError(
                    f"data file(s) {', '.join(written)} of {key.experiment} were written while a model was built from "
                    "them (it may hold other data than the store's source hash names); re-run the sweep once they "
                    "are final")
            return model

        sim = Simulation(factory, normalize_monitors(exp.monitors), normalize_inputs(exp.inputs), dt=key.dt)
        _SIMULATIONS[key] = sim
        _SETUPS[key] = setup_of(exp)
        while len(_SIMULATIONS) > MAX_SIMULATIONS:  # a long-lived process (a dask worker) serves many sweeps
            _SETUPS.pop(_SIMULATIONS.popitem(last=False)[0], None)
    else:
        _SIMULATIONS.move_to_end(key)
    return sim


def _built(path: str, build: Any, arguments: dict, helpers: dict) -> Any:
    """``build(**arguments)``, refusing a local module it imports that is not among the experiment's hashed helpers
    (``sources.imports_checked``): its code would be no part of the store's source hash."""
    from .errors import ExperimentError
    from .sources import HelperMismatch, imports_checked

    expected = {name: sha for name, (_, sha) in helpers.items() if not name.startswith("data:")}
    try:
        with imports_checked(expected):
            return build(**arguments)
    except HelperMismatch as err:
        if err.listed:  # imported at the top too, and its file changed since the experiment loaded
            raise ExperimentError(f"{err.origin} ({err.module!r}, a local module of {path}) changed while the sweep "
                                  "was running (it is not the file the store's source hash names); re-run the "
                                  "sweep") from None
        raise ExperimentError(
            f"build() of {path} imports the local module {err.module!r} ({err.origin}), which the file does not import "
            "as it loads: its code would be no part of the store's source hash, so an edit of it would go unseen "
            f"and its runs join the store's; import it at the top of {path}") from None


def _check_setup(key: SimulationKey, here: tuple | None, want: tuple) -> None:
    """Refuse a module that loaded with other values here (``here``) than in the sweep's process (``want``): the same
    source reads an environment variable as it loads (a default, a monitor, an input, a number its model reads), and
    a dask worker started in another environment computed the store's runs otherwise and marked them done under the
    store's provenance."""
    if not want or here is None:  # the planner's own call, or a task made by hand
        return
    from ..store import Owner
    from .errors import ExperimentError

    mine, theirs = dict(here), dict(want)
    differ = [name for name in theirs if mine.get(name) != theirs[name]]
    if differ:
        shown = "; ".join(f"{name}: {_cut(mine.get(name))} here, {_cut(theirs[name])} in the sweep" for name in differ)
        raise ExperimentError(
            f"{key.experiment} loads with other {', '.join(differ)} in this process ({Owner.me()}) than in the sweep's "
            f"({shown}): a value the module reads as it loads, such as an environment variable, differs here; start "
            "the workers with the sweep's environment, then run the sweep again")


def _cut(text: str | None, limit: int = 120) -> str:
    text = "none" if text is None else text
    return text if len(text) <= limit else text[:limit - 3] + "..."
