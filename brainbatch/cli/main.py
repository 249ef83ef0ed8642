"""``brainbatch`` commands. Each one parses, calls the Python API, prints, and sets the exit code:
0 success, 1 some runs failed, 2 bad usage or input."""
from __future__ import annotations

import contextlib
import os
import sys

import click

from .options import BadInput, library_errors, parse_params, run_options

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("brainbatch")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


@click.group(context_settings=CONTEXT)
@click.version_option(_version(), "-V", "--version", prog_name="brainbatch")
def main() -> None:
    """Batches of brain-dynamics simulations on JAX.

    \b
    Example:
      brainbatch sweep experiments/coba.py --seeds 4 -p we=0.4,0.6 --duration 1000
      brainbatch show results/coba/we.zarr

    Shell completion (bash): eval "$(_BRAINBATCH_COMPLETE=bash_source brainbatch)"
    """


def _echo_summary(result, quiet: bool) -> None:
    failed = result.failed
    click.echo(f"{result.done} run(s) done, {len(failed)} failed, {result.skipped} already done -> {result}")
    if failed:
        click.echo("failures:", err=True)
        for coords, message in failed[:20]:
            label = ", ".join(f"{k}={v}" for k, v in coords.items())
            click.echo(f"  {label}: {message.splitlines()[0] if message else ''}", err=True)
        if len(failed) > 20:
            click.echo(f"  ... and {len(failed) - 20} more", err=True)
        click.echo(f"details: brainbatch status {result}; re-running the command retries the failed runs", err=True)


def _prepare_devices(devices: str) -> None:
    from ..sweep.devices import request_host_devices

    request_host_devices(devices)  # before JAX starts its backend


@main.command(context_settings=CONTEXT)
@run_options
@click.option("--seeds", default="1", show_default=True, metavar="N | A-B | S1,S2,...",
              help="Seeds: a count (8 = 0..7), a range (3-10) or a list (1,5,9).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Connect to a running dask scheduler.")
@click.option("--workers", type=int, default=None, help="Worker processes of the local dask cluster.")
@click.option("--retries", type=int, default=0, show_default=True, help="Retries of a failed dask task.")
@click.option("--dry-run", is_flag=True, help="Print the plan (runs, batches, store, size) and write nothing.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failed run.")
@library_errors
def sweep(experiment, params, out, duration, dt, devices, batch_size, checkpoint_every, force, quiet, verbose, seeds,
          executor, scheduler, workers, retries, dry_run, fail_fast):
    """Run EXPERIMENT over seeds x a parameter grid into one Zarr store.

    The grid is the module's `sweep` axes plus one axis per -p: -p on a new name adds an axis (the
    grid multiplies), -p on a module axis replaces its values (-p g=5 pins it). --dry-run shows each
    axis and where it came from.

    Finished runs are never redone: re-run the same command after a crash (unfinished runs continue
    from their last checkpoint), widen --seeds / -p values to extend the store, or give a longer
    --duration to extend every run in time.

    \b
    Examples:
      brainbatch sweep experiments/coba.py --seeds 8 -p we=0.4,0.6,0.8
      brainbatch sweep experiments/coba.py --seeds 0-31 --devices cpu:2 --dry-run
      brainbatch sweep experiments/coba.py --executor dask --workers 4
    """
    _prepare_devices(devices)
    from ..sweep import api

    parsed = parse_params(params)
    command = "brainbatch " + " ".join(sys.argv[1:])
    if dry_run:
        from ..sweep.devices import select_devices

        device_list = select_devices(devices) if executor == "local" else ["cpu:0"]
        prep = api.prepare(experiment, seeds=seeds, params=parsed, out=out, duration=duration, dt=dt,
                           batch_size=batch_size, devices=device_list, force=force, dry_run=True,
                           **_checkpoint(checkpoint_every))
        click.echo(api.describe_plan(prep))
        if verbose and executor == "local":
            click.echo(api.describe_batches(prep))
        click.echo("dry run: nothing was written")
        return
    echo = (lambda s: None) if quiet else (lambda s: click.echo(s, err=True))
    with _interrupt_note():
        result = api.sweep(experiment, seeds=seeds, params=parsed, out=out, executor=executor, devices=devices,
                           batch_size=batch_size, duration=duration, dt=dt, workers=workers, scheduler=scheduler,
                           retries=retries, fail_fast=fail_fast, force=force, progress=not quiet, echo=echo,
                           command=command, verbose=verbose and not quiet, **_checkpoint(checkpoint_every))
    _echo_summary(result, quiet)
    sys.exit(1 if result.failed else 0)


def _checkpoint(seconds: float | None) -> dict:
    return {} if seconds is None else {"checkpoint_every": seconds}


@contextlib.contextmanager
def _interrupt_note():
    """Ctrl-C: finished runs are safe in the store; say how to finish the rest (exit 130, as shells do)."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo("\ninterrupted: every finished run is kept in the store; run the same command again to "
                   "finish the rest", err=True)
        sys.exit(130)


@main.command(context_settings=CONTEXT)
@run_options
@click.option("--seed", type=int, default=0, show_default=True, help="The run's seed (>= 0).")
@library_errors
def run(experiment, params, out, duration, dt, devices, batch_size, checkpoint_every, force, quiet, verbose, seed):
    """One run of EXPERIMENT, written in the same store format as a sweep.

    The run uses the module's defaults (`params`) and ignores its `sweep` axes; -p NAME=V sets one value.

    \b
    Example:
      brainbatch run experiments/coba.py --seed 3 -p we=0.5 --duration 200
    """
    _prepare_devices(devices)
    from ..sweep import api

    if seed < 0:
        raise BadInput(f"--seed must be >= 0, got {seed}")
    parsed = parse_params(params)
    echo = (lambda s: None) if quiet else (lambda s: click.echo(s, err=True))
    with _interrupt_note():
        result = api.run(experiment, seed=seed, params=parsed, out=out, duration=duration, dt=dt, devices=devices,
                         force=force, progress=not quiet, echo=echo, verbose=verbose and not quiet,
                         command="brainbatch " + " ".join(sys.argv[1:]), **_checkpoint(checkpoint_every))
    _echo_summary(result, quiet)
    sys.exit(1 if result.failed else 0)


def _open_store(path: str):
    from ..store import ResultStore

    if not os.path.exists(path) and "://" not in path:
        raise BadInput(f"no store at {path!r}")
    return ResultStore.open(path, mode="r")


@main.command(context_settings=CONTEXT)
@click.argument("store", type=str)
@click.option("-v", "--verbose", is_flag=True, help="Show each failure's whole error text (traceback).")
@library_errors
def status(store, verbose):
    """Runs of STORE by state (pending / running / done / failed), progress, and each failure's error.

    Runs under way or interrupted show their steps done / total and the step they continue from.

    Exits with 1 when some runs failed.

    \b
    Example:
      brainbatch status results/coba/we.zarr
    """
    rs = _open_store(store)
    counts = rs.counts()
    total = sum(counts.values())
    axes = ", ".join(f"{k} ({len(v)})" for k, v in rs.spec.params.items())
    click.echo(f"{store}: {total} runs of {rs.spec.experiment!r} over seed ({len(rs.spec.seeds)})"
               + (f", {axes}" if axes else ""))
    click.echo(f"  {'state':8s} {'runs':>6s}")
    for name in ("done", "failed", "running", "pending"):
        click.echo(f"  {name:8s} {counts.get(name, 0):6d}")
    if counts.get("running"):
        click.echo("  (running runs whose process has stopped continue from their last checkpoint in the next sweep)")
    _echo_progress(rs, verbose)
    failed = rs.failed_runs()
    if failed:
        click.echo("failures:")
        for run_ in failed:
            label = ", ".join(f"{k}={v}" for k, v in run_.items() if k not in ("index", "error"))
            click.echo(f"  {label}")
            lines = (run_["error"] or "(no message)").splitlines()
            shown = lines if verbose else [ln for ln in lines[:2] if not ln.startswith("Traceback")]
            for line in shown:
                click.echo(f"      {line}")
    sys.exit(1 if failed else 0)


def _echo_progress(rs, verbose: bool) -> None:
    """Steps done / total over all runs, and per run for runs that started but are not done."""
    steps, status, resume = rs.steps_done(), rs.status(), rs.resume_steps()
    total = rs.spec.n_steps
    click.echo(f"  steps    {int(steps.sum())} / {total * steps.size} ({100.0 * steps.sum() / max(total * steps.size, 1):.1f}%)")
    started = [r for r in rs.runs() if status[r["index"]] != "done" and steps[r["index"]] > 0]
    if not started:
        return
    click.echo("progress (steps done / total, continues from step):")
    shown = started if verbose else started[:20]
    for run_ in shown:
        idx = run_["index"]
        label = ", ".join(f"{k}={v}" for k, v in run_.items() if k != "index")
        click.echo(f"  {label}: {status[idx]}, {int(steps[idx])} / {total} steps "
                   f"({100.0 * steps[idx] / total:.0f}%), continues from step {int(resume[idx])}")
    if len(started) > len(shown):
        click.echo(f"  ... and {len(started) - len(shown)} more (-v lists all)")


@main.command(context_settings=CONTEXT)
@click.argument("store", type=str)
@library_errors
def show(store):
    """Dims, variables, provenance of STORE, and the experiment's analyse() summary.

    \b
    Example:
      brainbatch show results/coba/we.zarr
    """
    from ..store import open_results

    _open_store(store)
    ds = open_results(store)
    click.echo(f"store {store}")
    click.echo("dims:  " + ", ".join(f"{k}={v}" for k, v in ds.sizes.items()))
    for name in ("seed", *ds.attrs.get("spec", {}).get("params", {})):
        if name in ds.coords:
            click.echo(f"  {name}: {list(ds[name].values.tolist())}")
    click.echo("variables:")
    for name, var in ds.data_vars.items():
        units = var.attrs.get("units", "")
        click.echo(f"  {name:20s} {str(var.dtype):8s} ({', '.join(var.dims)}) {units}")
    prov = ds.attrs.get("provenance", {})
    click.echo("provenance:")
    for key in ("experiment_path", "source_hash", "git_commit", "git_dirty", "command", "jax_version",
                "sweep_devices", "event_kernels", "started"):
        if key in prov:
            click.echo(f"  {key}: {prov[key]}")
    for key in ("created", "finished"):
        if key in ds.attrs:
            click.echo(f"  {key}: {ds.attrs[key]}")
    summary = _analyse(ds, prov)
    if summary is not None:
        click.echo("analysis:")
        click.echo(_format_summary(summary))


def _analyse(ds, prov):
    path = prov.get("experiment_path")
    if not path or not os.path.exists(path):
        click.echo("analysis: skipped (the experiment file is not here)")
        return None
    from ..sweep.experiment import load_experiment

    exp = load_experiment(path)
    if exp.analyse is None:
        return None
    if exp.source_hash != prov.get("source_hash"):
        click.echo("note: the experiment file changed since the sweep; analysing with the current analyse()")
    try:
        return exp.analyse(ds)
    except Exception as err:  # noqa: BLE001 - the user's analysis failing must not hide the rest
        click.echo(f"analysis: analyse(ds) of {path} raised {type(err).__name__}: {err}", err=True)
        return None


def _format_summary(summary) -> str:
    if isinstance(summary, dict):
        return "\n".join(f"  {k}: {v}" for k, v in summary.items())
    return "  " + str(summary).replace("\n", "\n  ")


@main.command(context_settings=CONTEXT)
@click.argument("store", type=str)
@click.option("--out-dir", default=None, help="Folder for the PNGs (default: a plots/ folder beside the store).")
@click.option("--seed", type=int, default=None, help="Seed of the run to draw (default: the first done run).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=V", help="Select a run by parameter value.")
@click.option("--var", default=None, help="Spike variable to draw (default: the only one).")
@click.option("--bin-ms", type=float, default=5.0, show_default=True, help="Bin of the population rate.")
@library_errors
def plot(store, out_dir, seed, params, var, bin_ms):
    """Raster and population-rate PNGs of one run of STORE.

    \b
    Example:
      brainbatch plot results/coba/we.zarr --seed 0 -p we=0.6
    """
    from .plots import plot_store

    _open_store(store)
    for path in plot_store(store, out_dir=out_dir, seed=seed, params=parse_params(params), var=var, bin_ms=bin_ms):
        click.echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
