"""``brainbatch`` commands. Each one parses, calls the Python API, prints, and sets the exit code:
0 success, 1 some runs failed, 2 bad usage or input."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from .options import (BadInput, Choice, Terminated, Time, library_errors, one_run_options, parse_params, run_options,
                      typed_plain)
from .text import echo, label, one_line, safe

if TYPE_CHECKING:
    from ..store import ResultStore
    from ..sweep.options import ExecutorName

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_STORE = "brainbatch.store"  # ctx.meta key: the store a command writes, for a disk-full note
_PHASE = "brainbatch.phase"  # ctx.meta key: "finished" once a sweep's work is done (for the signal note)
# Exit code of a command stopped by Ctrl-C, as shells report it (128 + SIGINT); other signals: 128 + theirs.
EXIT_INTERRUPT = 130


#: Signals ``_on_signal`` received during the command: Python drops an exception raised in a signal handler
#: that runs inside a gc callback (JAX installs one), and the command then ran on to exit 0 after a SIGTERM.
_RECEIVED: list[int] = []


def _on_signal(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    raise Terminated(signum)


def _word_and_code(err: KeyboardInterrupt) -> tuple[str, int]:
    if isinstance(err, Terminated):
        return err.word, err.exit_code
    from ..sweep.live import stop_signal  # a sweep that stopped on request: the signal that asked

    signum = stop_signal()
    if signum is not None and signum != signal.SIGINT:
        return _word_and_code(Terminated(signum))
    return "interrupted", EXIT_INTERRUPT


@contextlib.contextmanager
def _one_line_warnings() -> Any:
    """brainbatch's own warnings as one line on stderr ("warning: ..."), not Python's file:line and source."""
    shown = warnings.formatwarning

    def one_line(message: Any, category: type, filename: str, lineno: int, line: str | None = None) -> str:
        if category.__module__.split(".")[0] == "brainbatch":
            text = str(message)
            if lineno and filename and text.startswith(f"{filename} "):  # a warning at a line of the user's file
                text = f"{filename}:{lineno}:{text[len(filename):]}"
            return f"warning: {text}\n"
        return shown(message, category, filename, lineno, line)

    warnings.formatwarning = one_line
    try:
        yield
    finally:
        warnings.formatwarning = shown


class _Command(click.Command):
    """A command whose "No such option" names the closest option by the project's rule (``did_you_mean``: Click's
    own offered ``--dt`` for ``sweep --seed``), and the other commands that take the option as typed
    (``sweep --seed``: ``--seed`` is an option of run and plot)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        typed = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.MissingParameter as err:  # sweep --allow-nan exp.py: the option took the file as its value
            taken = _taken_by_optional_value(typed, err.param)
            if taken is None:
                raise
            option, value = taken
            name = err.param.human_readable_name if err.param is not None else "the argument"
            raise click.UsageError(
                f"Missing argument '{name}': {option} took {value!r} as its value ({option}'s value is optional: "
                f"'all' when none follows). Put {name} first (brainbatch {self.name} {value} {option} ...), or write "
                f"{option}=all", ctx=ctx) from None
        except click.NoSuchOption as err:
            name = err.option_name
            mine = [o for p in self.get_params(ctx) for o in (*p.opts, *p.secondary_opts) if o.startswith("-")]
            group = ctx.parent.command if ctx.parent is not None else None
            others = sorted(n for n, c in (getattr(group, "commands", None) or {}).items() if n != self.name
                            and any(name in (*p.opts, *p.secondary_opts) for p in c.params))
            elsewhere = f" {name} is an option of {', '.join(others)}." if others else ""
            raise click.NoSuchOption(name, message=f"No such option {name!r} for {self.name}."
                                     f"{_short_guess(name, mine)}{elsewhere}",
                                     ctx=ctx) from None
        except click.UsageError as err:  # sweep exp.py we=0.5: a parameter typed without its -p
            extras = [a for a in typed if _PARAM_LIKE.match(a) and a in err.message]
            if "unexpected extra argument" not in err.message or not extras or \
                    not any(p.name == "params" for p in self.get_params(ctx)):
                raise
            raise click.UsageError(f"{err.message}: a parameter's value is given with -p, as in "
                                   f"{' '.join('-p ' + a for a in extras)}", ctx=ctx) from None


def _short_guess(name: str, options: list[str]) -> str:
    """The options an unknown one is close to. For a one-letter option (``-o``) the long options it abbreviates
    (``--out``), or none: by edit distance every other one-letter option is as close, and ``-o`` read as ``-v``."""
    from ..errors import did_you_mean

    if not re.fullmatch(r"-[A-Za-z]", name):
        return did_you_mean(name, options)
    longs = sorted({o for o in options if o.lower().startswith("--" + name[1].lower())})
    if not longs:
        return ""
    return f" Did you mean {longs[0]!r}?" if len(longs) == 1 else \
        f" Did you mean one of {', '.join(map(repr, longs))}?"


#: an argument that looks like a parameter's value (``we=0.5``), typed without its ``-p``
_PARAM_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")

#: options whose value may be left out (``--allow-nan`` alone is ``all``): one given before the command's argument
#: takes that argument as its value
_OPTIONAL_VALUE = ("--allow-nan",)


def _taken_by_optional_value(args: list[str], missing: click.Parameter | None) -> tuple[str, str] | None:
    """``("--allow-nan", "exp.py")`` where the missing ``missing`` argument was typed right after an option whose value
    is optional, and so taken as that option's value; else None."""
    if not isinstance(missing, click.Argument):
        return None
    for option, value in zip(args, args[1:]):
        # the argument's look: a .py file, or a path that is there (--allow-nan V with no experiment at all is not it)
        if option in _OPTIONAL_VALUE and not value.startswith("-") and (value.endswith(".py") or os.path.exists(value)):
            return option, value
    return None


class _Commands(click.Group):
    """The command group: SIGTERM and SIGHUP are handled like Ctrl-C, and any of them, at any moment
    (start-up included), ends the command with 130 (Ctrl-C), 143 (SIGTERM) or 129 (SIGHUP) and an
    honest note."""

    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import BrainbatchError, command_line
        from .watchdog import arm, grace_seconds

        from ..settings import check_all

        try:
            grace_s = grace_seconds()
            check_all()  # every BRAINBATCH_* variable: a malformed one is refused before any work, not mid-sweep
        except BrainbatchError as err:  # one line, before anything runs
            raise BadInput(safe(err)) from None
        caught, previous = [], {}
        for name in ("SIGTERM", "SIGHUP"):  # SIGHUP: a closed terminal would otherwise kill the sweep mid-write
            if hasattr(signal, name):
                with contextlib.suppress(ValueError):  # not the main thread (an embedding app): leave it alone
                    previous[name] = signal.signal(getattr(signal, name), _on_signal)
                    caught.append(int(getattr(signal, name)))
        disarm = arm(tuple(caught), grace_s) if caught else (lambda: None)  # ends the process even if Python cannot
        try:
            _RECEIVED.clear()
            try:
                with command_line(), _one_line_warnings():  # options as typed here (--batch-size), warnings as notes
                    result = super().invoke(ctx)
            except (click.exceptions.Exit, SystemExit):
                if _RECEIVED:  # its exception was dropped (see _RECEIVED): the command still ends as terminated
                    raise Terminated(_RECEIVED[0]) from None
                raise
            if _RECEIVED:
                raise Terminated(_RECEIVED[0])
            return result
        except Exception as err:
            full = _disk_full(err)
            if full is None:
                raise
            where = full.filename or ctx.meta.get(_STORE) or "the store"
            raise click.ClickException(f"the disk is full ({full.strerror or full}) writing {where}: the runs being "
                                       "written were not marked done and every run marked done is whole; free some "
                                       "space and run the same command again: it redoes only the runs not done") from None
        except KeyboardInterrupt as err:
            word, code = _word_and_code(err)
            phase = ctx.meta.get(_PHASE)
            if phase == "finished":
                note = " after the command had finished its work (see above)"
            elif ctx.invoked_subcommand in ("sweep", "run"):
                note = " before the store was created or changed: nothing was written"
            else:
                note = ""
            click.echo(f"\n{word}{note}", err=True)
            raise click.exceptions.Exit(code) from None
        finally:
            disarm()
            for name, handler in previous.items():  # a caller embedding the command gets its own back
                signal.signal(getattr(signal, name), handler)


def _disk_full(err: BaseException) -> OSError | None:
    """The "no space left" (or quota) error behind ``err``, through its causes and contexts, else None."""
    import errno

    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return e
        todo += [e.__cause__, e.__context__]
    return None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("brainbatch")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(_version(), "-V", "--version", prog_name="brainbatch")
def main() -> None:
    """Batches of brain-dynamics simulations on JAX.

    \b
    Example:
      brainbatch sweep experiments/coba.py --seeds 4 -p we=0.4,0.6 --duration 1000
      brainbatch show results/coba/we.zarr

    Shell completion (bash): eval "$(_BRAINBATCH_COMPLETE=bash_source brainbatch)"
    """
    from ..settings import misspelled

    for warning in misspelled():  # a misspelled setting is otherwise ignored, silently
        click.echo(f"warning: {warning}", err=True)


def _echo_summary(result: Any, quiet: bool) -> None:
    failed = result.failed
    elsewhere = getattr(result, "elsewhere", 0)
    shared = f", {elsewhere} run by another live process" if elsewhere else ""
    if getattr(result, "unfinished", 0):  # the store grew in time under the sweep: not done, pending
        shared += f", {result.unfinished} left pending (run the command again)"
    echo(f"{result.done} run(s) done, {len(failed)} failed, {result.skipped} already done{shared} -> {safe(result)}")
    if failed:
        echo("failures:", err=True)
        for coords, message in failed[:20]:
            echo(f"  {label(coords)}: {one_line(message) if message else ''}", err=True)
        if len(failed) > 20:
            echo(f"  ... and {len(failed) - 20} more", err=True)
        echo(f"details: brainbatch status {safe(result)}; re-running the command retries the failed runs", err=True)


def _check_out_early(out: str | None) -> None:
    """A bad --out is refused before JAX or the experiment load (the sweep checks it fully again)."""
    if out is not None:
        from ..store import check_location

        check_location(out, write=True, what="output path")


def _check_experiment_early(experiment: str) -> None:
    """An experiment file that does not exist is refused before JAX starts, with the closest file beside where it
    was looked for (``my_experiment`` for ``my_experiment.py``, a misspelled name), the file of that name in a folder
    beside it (``coba.py``: ``experiments/coba.py``) or the folder that is missing; a folder given as the experiment
    gets the experiment files in it, a store the experiment it was written from."""
    if os.path.isdir(experiment):  # a folder of experiments, or a store typed where its experiment goes
        from .nearby import folder_experiment_text

        ctx = click.get_current_context(silent=True)
        command = ctx.info_name if ctx is not None and ctx.info_name else "sweep"
        raise BadInput(folder_experiment_text(experiment, experiment, command))
    if os.path.lexists(experiment) or not experiment.strip():
        return  # the sweep judges what is there (a file not ending in .py, ...)
    from .nearby import missing_experiment_text

    raise BadInput(missing_experiment_text(experiment))


def _prepare_devices(devices: str) -> None:
    from ..sweep.device_choice import request_host_devices

    request_host_devices(devices)  # before JAX starts its backend


@main.command(context_settings=CONTEXT)
@run_options
@click.option("--seeds", default="1", show_default=True, metavar="N | A-B | S1,S2,...",
              help="Seeds: a count (8 = 0..7), a range (3-10) or a list (1,5,9).")
@click.option("--executor", type=Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Connect to a running dask scheduler.")
@click.option("--workers", type=int, default=None, help="Worker processes of the local dask cluster (default 2; at most 4 per CPU core, and "
                   "one per batch: the plan says when fewer start).")
@click.option("--retries", type=int, default=0, show_default=True, help="Retries of a failed dask task.")
@click.option("--dry-run", is_flag=True, help="Print the plan (runs, batches, store, size) and write nothing; "
              "exits 2, as the sweep would, where the sweep would be refused.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failed run.")
@click.option("--verify", is_flag=True,
              help="Read every chunk of the done runs first (checksums) and redo the damaged ones.")
@click.option("--dashboard", default="127.0.0.1:0", show_default=True, metavar="HOST:PORT",
              help="Where the local dask cluster's dashboard listens (loopback unless you say otherwise).")
@click.option("--samples", type=int, default=None, metavar="N",
              help="Points to draw for the ranged parameters (-p NAME=LOW:HIGH); required with a range. "
                   "A larger N on an existing store adds the next points of the same design.")
@click.option("--sampler", type=Choice(["sobol", "halton", "random", "lhs"]), default=None,
              help="How ranges are sampled (default sobol; lhs cannot be extended later).")
@click.option("--sample-seed", type=int, default=None, metavar="S",
              help="Seed of the design's points (default 0); not the runs' seeds (--seeds).")
@library_errors
def sweep(experiment: str, params: tuple[str, ...], out: str | None, duration: float | None, dt: float | None,
          devices: str, batch_size: int | None, checkpoint_every: float | None, force: bool, allow_nan: str | None,
          quiet: bool, verbose: bool, seeds: str, executor: ExecutorName, scheduler: str | None, workers: int | None,
          retries: int, dry_run: bool, fail_fast: bool, verify: bool, dashboard: str, samples: int | None,
          sampler: str | None, sample_seed: int | None) -> None:
    """Run EXPERIMENT over seeds x a parameter grid (x sampled ranges) into one Zarr store.

    The grid is the module's `sweep` axes plus one axis per -p: -p on a new name adds an axis (the
    grid multiplies), -p on a module axis replaces its values (-p g=5 pins it). --dry-run shows each
    axis and where it came from.

    A range (-p we=0.4:0.8, -p rate=1:100:log, -p n=100:1000:int) is sampled instead: --samples N
    points of --sampler (sobol by default) on one `sample` dim, each ranged parameter a coordinate
    over it (ds.sortby("we") works). Float ranges run as lanes of one compiled call; parameters that
    size arrays need :int and compile once per value. --dry-run shows the design and its first points.

    Finished runs are never redone: re-run the same command after a crash (unfinished runs continue
    from their last checkpoint), widen --seeds / -p values / --samples to extend the store, or give a longer
    --duration to extend every run in time. Seeds are 0..4294967295; a store holds at most 100000
    runs. Two sweeps on one store share its runs; done runs with damaged data are redone.

    \b
    Examples:
      brainbatch sweep experiments/coba.py --seeds 8 -p we=0.4,0.6,0.8
      brainbatch sweep experiments/coba.py --seeds 0-31 --devices cpu:2 --dry-run
      brainbatch sweep experiments/coba.py --executor dask --workers 4
      brainbatch sweep experiments/coba.py -p we=0.3:0.9 -p wi=4:9 --samples 32 --dry-run
    """
    _check_experiment_early(experiment)
    _check_out_early(out)
    if out:
        click.get_current_context().meta[_STORE] = out
    _prepare_devices(devices)
    from ..sweep import api

    options = api.SweepOptions(
        seeds=seeds, params=parse_params(params), out=out, duration=duration, dt=dt, executor=executor,
        devices=devices, batch_size=batch_size, workers=workers, scheduler=scheduler, retries=retries,
        dashboard=dashboard, fail_fast=fail_fast, force=force, dry_run=dry_run, verify=verify,
        samples=samples, sampler=sampler, sample_seed=sample_seed, allow_nan=allow_nan, progress=not quiet,
        verbose=verbose and not quiet, command=_command_line(), **_checkpoint(checkpoint_every))
    if dry_run:
        api.check_executor(options)  # what the sweep would refuse, a dry run refuses too
        prep = api.prepare(experiment, options)
        click.echo(api.describe_plan(prep))
        if options.verbose and executor == "local":  # -q wins over -v, as in the real sweep
            click.echo(api.describe_batches(prep))
        note = api.duration_note(prep, typed_plain("duration"))
        if note and not quiet:
            click.echo(f"note: {note}", err=True)
        click.echo("dry run: nothing was written")
        refusal = api.dry_run_refusal(prep)
        if refusal:  # the exit code the sweep would have: a script using --dry-run as a check is not misled
            raise BadInput(refusal)
        return
    echo = (lambda s: None) if quiet else (lambda s: click.echo(safe(s, newlines=True), err=True))
    with _interrupt_note(in_process=executor == "local"), api.duration_as_typed(typed_plain("duration")):
        result = api.run_sweep(experiment, options, echo)
    _echo_summary(result, quiet)
    sys.exit(1 if result.failed or result.unfinished else 0)


def _command_line() -> str:
    """The command as typed, for the store's provenance: each argument shell-quoted, so the line pasted into a
    shell runs the same command (``--out 'my results/a.zarr'`` was recorded as ``--out my results/a.zarr``)."""
    import shlex

    return shlex.join(["brainbatch", *sys.argv[1:]])


def _checkpoint(seconds: float | None) -> dict:
    return {} if seconds is None else {"checkpoint_every": seconds}


@contextlib.contextmanager
def _interrupt_note(in_process: bool = True) -> Iterator[None]:
    """Ctrl-C, SIGTERM or SIGHUP: say what is kept and how to finish the rest (exit 130 / 143 / 129,
    as shells do)."""
    try:
        yield
        click.get_current_context().meta[_PHASE] = "finished"
    except KeyboardInterrupt as err:
        word, code = _word_and_code(err)
        info = getattr(err, "brainbatch", {}) or {}
        store = info.get("store")
        if store and info.get("rebuilt"):
            click.echo(f"\n{word}: {store} was rebuilt (or removed) by another process while this sweep ran, so "
                       "none of the runs this sweep finished is in it; run the same command again to run them there",
                       err=True)
        elif store:
            click.echo(f"\n{word}: every finished run is kept in {store} ({info.get('done', 0)} finished in this "
                       "session; the runs under way are pending again, each continuing from its last checkpoint); "
                       "run the same command again to finish the rest", err=True)
        else:
            click.echo(f"\n{word} before the store was created or changed: nothing was written", err=True)
        if store and in_process:
            # after an abort (a second Ctrl-C) a batch's threads may still wait inside a compiled call; their runs
            # are marked pending already, and an interpreter shutting down around them aborts the process
            # ("terminate called ..."), so the process ends here, its output flushed
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)


@main.command(context_settings=CONTEXT)
@one_run_options
@click.option("--seed", type=int, default=0, show_default=True, help="The run's seed (>= 0).")
@library_errors
def run(experiment: str, params: tuple[str, ...], out: str | None, duration: float | None, dt: float | None,
        devices: str, batch_size: int | None, checkpoint_every: float | None, force: bool, allow_nan: str | None,
        quiet: bool, verbose: bool, seed: int) -> None:
    """One run of EXPERIMENT, written in the same store format as a sweep.

    The run uses the module's defaults (`params`) and ignores its `sweep` axes; -p NAME=V sets one value.
    Its store is results/<experiment>/run.zarr, or run-<names>.zarr named after the -p names (as a sweep
    names its store after its axes): a run of another seed or value of the same names is added to it. The store
    is a grid of seeds x values: status counts the combinations no run made yet as pending.

    \b
    Example:
      brainbatch run experiments/coba.py --seed 3 -p we=0.5 --duration 200
    """
    _check_experiment_early(experiment)
    _check_out_early(out)
    _prepare_devices(devices)
    from ..sweep import api

    from ..sweep.specs import MAX_SEED

    if not 0 <= seed <= MAX_SEED:
        raise BadInput(f"--seed must be an integer 0..{MAX_SEED} (the run key takes a 32-bit seed), got {seed}")
    if batch_size is not None and batch_size < 1:  # one run is one lane; a bad value is refused as by sweep
        raise BadInput(f"--batch-size must be an integer >= 1, got {batch_size}")
    parsed = parse_params(params, one_run=True)
    echo = (lambda s: None) if quiet else (lambda s: click.echo(safe(s, newlines=True), err=True))
    with _interrupt_note(), api.duration_as_typed(typed_plain("duration")):
        result = api.run(experiment, seed=seed, params=parsed, out=out, duration=duration, dt=dt, devices=devices,
                         force=force, allow_nan=allow_nan, progress=not quiet, echo=echo, verbose=verbose and not quiet,
                         command=_command_line(), **_checkpoint(checkpoint_every))
    _echo_summary(result, quiet)
    sys.exit(1 if result.failed or result.unfinished else 0)


def _nan_rule_text(rule: object) -> str:
    """A store's NaN allowance in words (``sweep/nan_rule.py``; absent in older stores: none)."""
    if rule == "all":
        return "all variables (a run with NaN is done)"
    if isinstance(rule, list) and rule:
        return ", ".join(map(str, rule)) + " (a run with NaN there is done)"
    return "none (a run with NaN fails)"


def _open_store(path: str) -> ResultStore:
    from ..store import ResultStore
    from ..store import check_location, local_path

    check_location(path, write=False, what="store path")  # never connects; names a missing package
    from .nearby import folder_of_stores_text, missing_text

    local = local_path(path)
    if local is not None and not os.path.exists(local):  # where it was looked for, and the stores beside it
        raise BadInput(missing_text(path, local))
    if local is not None and os.path.isdir(local):  # results/coba: a folder of stores, never one to remove
        folder = folder_of_stores_text(path, local)
        if folder is not None:
            raise BadInput(folder)
    return ResultStore.open(path, mode="r")


@main.command(context_settings=CONTEXT)
@click.argument("store", type=str)
@click.option("-v", "--verbose", is_flag=True, help="Show each failure's whole error text (traceback).")
@click.option("--verify", is_flag=True, help="Read every chunk of every done run, and the saved state each unfinished "
              "run would resume from, and list damaged runs.")
@library_errors
def status(store: str, verbose: bool, verify: bool) -> None:
    """Runs of STORE by state (pending / running / done / failed), progress, and each failure's error.

    Runs under way or interrupted show their steps done / total and the step they continue from.

    Exits with 1 when some runs failed or some done runs are damaged (a chunk or an array's metadata
    missing; with --verify also every chunk read and checked, and the saved states of unfinished runs).
    Only reads.

    \b
    Example:
      brainbatch status results/coba/we.zarr
      brainbatch status results/coba/we.zarr --verify
    """
    rs = _open_store(store)
    # one read of the status array: the counts, damaged runs, owners, progress and failures below all derive from
    # it, so a live sweep that marks a run between two reads never makes the counts disagree with the runs listed
    status_codes = rs.status()
    counts = rs.counts(status_codes)
    total = sum(counts.values())
    axes = ", ".join(f"{safe(k)} ({len(v)})" for k, v in rs.spec.params.items())
    echo(f"{safe(store)}: {total} runs of {safe(repr(rs.spec.experiment))} over seed ({len(rs.spec.seeds)})"
         + (f", {axes}" if axes else ""))
    # a done run with a chunk or an array's metadata gone is not done: even without --verify, a listing
    # (no chunk read) finds it; --verify also reads every chunk (checksums)
    damaged = rs.verify(full=verify, status=status_codes)
    if not verify:  # a run whose status cannot be read counts as pending (said below), not as a damaged done run
        damaged = {idx: why for idx, why in damaged.items() if idx not in rs.unreadable}
    damaged_done = sum(1 for idx in damaged if status_codes[idx] == "done")
    echo(f"  {'state':8s} {'runs':>6s}")
    for name in ("done", "failed", "running", "pending"):
        echo(f"  {name:8s} {counts.get(name, 0) - (damaged_done if name == 'done' else 0):6d}")
    if damaged_done:  # marked done, but their data are not all there: never counted as done
        echo(f"  {'damaged':8s} {damaged_done:6d}")
    if not verify and counts.get("done", 0) > damaged_done:
        # the fast check lists the done runs' chunks without reading them: say what it vouches for. A store whose
        # writer did not write every chunk (no integrity "empty_chunks") has its chunks' absence mean fill values,
        # so none is listed there: only the arrays' metadata were checked
        echo("  (done: every chunk of those runs is there, none read; --verify reads each and checks its checksum)"
             if rs.writes_every_chunk else
             "  (done: the arrays' metadata checked, no chunk listed or read; --verify reads every chunk)")
    sweeps = {safe(str(lease.owner)) for lease in rs.leases.live_elsewhere() if lease.of_sweep}
    for who in sorted(sweeps):
        echo(f"  (a sweep is working on this store now: {who})")
    for where, why in rs.leases.suspect()[:20]:
        echo(f"  (lease {safe(where)} counts as stale: {safe(why)}; to clear it when no sweep works on this "
             f"store: rm -r {safe(where)})")
    if counts.get("running"):
        status_ = status_codes
        owners: dict[str, int] = {}
        gone = 0
        for run_ in rs.runs():
            if status_[run_.index] != "running":
                continue
            lease = rs.lease(run_)
            if lease is not None and lease.alive:
                key = safe(str(lease.owner))
                owners[key] = owners.get(key, 0) + 1
            else:
                gone += 1
        for who, n in owners.items():
            echo(f"  ({n} running under {who}, alive)")
        if gone:
            echo(f"  ({gone} running under a process that has stopped: the next sweep continues them from their last checkpoint)")
    _echo_progress(rs, verbose, {idx for idx in damaged if status_codes[idx] == "done"}, status_codes)
    damaged_text = 0
    if rs.unreadable:
        whys = sorted(set(rs.unreadable.values()))
        echo(f"  ({len(rs.unreadable)} run(s) have a damaged status chunk or an unknown status code "
             f"({safe(', '.join(whys[:3]))}) and count as pending: the next sweep runs them again)")
    damaged_text = len(damaged)
    coordinates = rs.verify_coordinates()  # the runs are intact, but a plain reader would label them wrongly
    damaged_text += len(coordinates)
    replaced = rs.replaced_coordinates()
    damaged_text += sum(1 for path in replaced if path not in coordinates)  # a root from another store (zarr.json)
    repairable = [why for path, why in coordinates.items() if path not in replaced]
    if replaced:
        echo(f"replaced coordinates: {len(replaced)} (the store's spec and its coordinates disagree, both whole: "
             "open_results and the sweep refuse the store):")
        for why in replaced.values():
            echo(f"  {safe(why)}")
    if repairable:
        echo(f"damaged coordinates: {len(repairable)} (the data are intact; open_results reads the labels from the "
             "store's spec, and running the sweep again rewrites them):")
        for why in repairable:
            echo(f"  {safe(why)}")
    stale = rs.verify_consolidated()  # brainbatch reads every header itself; plain xarray reads this copy
    damaged_text += len(stale)
    if stale:
        echo(f"damaged summary: {len(stale)} array(s) (the root's copy of their metadata, which plain xarray.open_zarr "
             "reads and brainbatch's readers do not, differs from their own zarr.json; running the sweep again "
             "rewrites it):")
        for why in stale.values():
            echo(f"  {safe(why)}")
    _echo_runs(rs, damaged, f"damaged: {len(damaged)} done run(s) whose data cannot be trusted; running the sweep "
               "again with --verify repairs their metadata and redoes exactly the runs still damaged:")
    if verify:
        if not damaged and not coordinates and not stale:
            if rs.writes_every_chunk:
                echo(f"verified: every chunk of the {counts.get('done', 0)} done run(s) is present and passes "
                     "its checksum" + ("; each record chunk is the one written there for its run (its digest)"
                                       if rs.keeps_digests else ""))
            else:  # a missing chunk reads as fill values, which a chunk never written (all fill) also is
                echo(f"verified: every chunk of the {counts.get('done', 0)} done run(s) that is stored decodes and "
                     "passes its checksum; this store does not record that it writes every chunk (no 'integrity' "
                     "attribute: written before it, or removed), so a missing chunk cannot be told from an empty one")
        unusable = rs.verify_resume(full=True)  # runs not done resume from their saved state: check it too
        kept = rs.kept_through_force(unusable)  # whole, but computed by an earlier source: not damage
        unusable = {idx: why for idx, why in unusable.items() if idx not in kept}
        damaged_text += len(unusable)
        _echo_runs(rs, unusable, f"damaged saved states: {len(unusable)} unfinished run(s) cannot resume from "
                   "their saved state (it, or a record kept before it, is damaged); the next sweep starts them "
                   "again from step 0:")
        _echo_runs(rs, kept, f"to run again: {len(kept)} run(s) kept through a forced new source; the next sweep "
                   "computes them again from step 0 with the current source (their final states are whole):")
    failed = rs.failed_runs(status_codes)
    if failed:
        echo("failures:")
        for run_ in failed:
            echo(f"  {label(run_.coords)}")
            lines = (run_.error or "(no message)").split("\n")  # a \r is escaped, never obeyed
            shown = lines if verbose else [ln for ln in lines[:2] if not ln.startswith("Traceback")]
            for line in shown:
                echo(f"      {safe(line)}")
    sys.exit(1 if failed or damaged_text else 0)


def _echo_runs(rs: ResultStore, whys: dict, header: str, shown: int = 50) -> None:
    """``header``, then the first ``shown`` runs of ``whys`` (``{index: why}``) labelled by their coordinates."""
    if not whys:
        return
    echo(header)
    for idx, why in list(whys.items())[:shown]:
        echo(f"  {label(rs.coords_of(idx))}: {safe(why)}")
    if len(whys) > shown:
        echo(f"  ... and {len(whys) - shown} more")


def _echo_progress(rs: ResultStore, verbose: bool, damaged: set | frozenset = frozenset(),
                   status: Any = None) -> None:
    """Steps done / total over all runs, and per run for runs that started but are not done. The steps of a
    ``damaged`` done run are not counted: its data cannot be trusted, and the next sweep computes it again.
    ``status``: the store's status as the caller read it (the runs it lists are those it counted)."""
    status = rs.status() if status is None else status
    steps, resume = rs.steps_done(status), rs.resume_steps()
    total = rs.spec.n_steps
    trusted = steps.sum() - sum(int(steps[idx]) for idx in damaged)  # a damaged run's steps said 100 % beside it
    note = f", not counting the {len(damaged)} damaged run(s)" if damaged else ""
    echo(f"  steps    {int(trusted)} / {total * steps.size} ({100.0 * trusted / max(total * steps.size, 1):.1f}%{note})")
    started = [r for r in rs.runs() if status[r.index] != "done" and steps[r.index] > 0]
    if not started:
        return
    echo("progress (steps done / total, continues from step):")
    shown = started if verbose else started[:20]
    unsaved = 0
    for run_ in shown:
        idx = run_.index
        if status[idx] == "failed":  # the next sweep forgets its progress: its checkpoints may hold the failure
            why, start = " (a failed run starts again from step 0)", 0
        else:
            start = int(resume[idx])
            why = " (no checkpoint saved yet)" if start == 0 else ""
            unsaved += start < steps[idx]  # steps it computes again
        echo(f"  {label(run_.coords)}: {status[idx]}, {int(steps[idx])} / {total} steps "
             f"({100.0 * steps[idx] / total:.0f}%), continues from step {start}{why}")
    if len(started) > len(shown):
        echo(f"  ... and {len(started) - len(shown)} more (-v lists all)")
    if unsaved:  # 22500 / 30000 steps, continues from step 0: said why, once
        echo("  (a run saves its state at most every --checkpoint-every seconds of the sweep, 60 by default, at the end "
             "of a compiled call: steps computed since its last checkpoint, or before its first, are computed again "
             "when it continues; a sweep stopped by Ctrl-C or SIGTERM saves one as it stops, a killed one cannot)")


@main.command(context_settings=CONTEXT)
@click.argument("store", type=str)
@click.option("--experiment", "experiment_file", default=None, metavar="FILE",
              help="The experiment file whose analyse(ds) to run; it runs only if its source hash matches "
                   "the store's.")
@click.option("--source", "print_source", is_flag=True,
              help="Print the experiment's source as the store keeps it; with --experiment, what differs from FILE.")
@library_errors
def show(store: str, experiment_file: str | None, print_source: bool) -> None:
    """Dims, variables and provenance of STORE; with --experiment, its analyse() summary.

    Reading a store never runs code: the experiment named in its provenance is not imported.
    Name the experiment file yourself to run its analyse(); it runs only when the file is the very
    source the store was written with (same sha256).

    \b
    Example:
      brainbatch show results/coba/we.zarr
      brainbatch show results/coba/we.zarr --experiment experiments/coba.py
    """
    from ..store import StoreDamagedWarning, open_results
    from .designs import design_lines

    _open_store(store)
    if experiment_file is not None and not os.path.isfile(experiment_file):  # before the summary, not after it
        from .nearby import experiment_meant, unexpanded_home

        # a misspelled name gets the closest file, as sweep's experiment argument does
        meant = None if os.path.lexists(experiment_file) else experiment_meant(experiment_file)
        raise BadInput(f"--experiment {safe(repr(experiment_file))} is not a file{unexpanded_home(experiment_file)}"
                       + (f". Did you mean {safe(repr(meant))}?" if meant else ""))
    if experiment_file is not None and not experiment_file.endswith(".py"):
        raise BadInput(f"--experiment {experiment_file!r} is not an experiment: give its Python file (.py)")
    with warnings.catch_warnings():  # a damaged run reads as status 'damaged', which this command reports itself
        warnings.simplefilter("ignore", StoreDamagedWarning)
        ds = open_results(store)
    if print_source:
        _show_source(ds, experiment_file)
        return
    echo(f"store {safe(store)}")
    echo("dims:  " + ", ".join(f"{safe(k)}={v}" for k, v in ds.sizes.items()))
    sampled = isinstance(ds.attrs.get("design"), dict)
    for name in ("seed", *ds.attrs.get("spec", {}).get("params", {})):
        if name == "sample" and sampled:
            echo(f"  sample: 0..{ds.sizes['sample'] - 1} (the design's points, below)")
        elif name in ds.coords:
            unit = ds[name].attrs.get("units", "")  # docs/units.md: swept values keep their unit
            echo(f"  {safe(name)}: {safe(list(ds[name].values.tolist()))}" + (f" {safe(unit)}" if unit else ""))
    for line in design_lines(ds):
        echo(safe(line))
    swept = {"seed", *ds.attrs.get("spec", {}).get("params", {}), *ds.bb.sampled}
    fixed = {k: v for k, v in _mapping(_provenance(ds).get("defaults")).items() if k not in swept}
    if fixed:  # every other parameter build() received: the module's defaults, with the unit declared for them
        units = _mapping(_provenance(ds).get("default_units"))
        # a dimensionless default (x=1.0 * u.UNITLESS) records the unit "1": "x=1.0 1" read as two numbers
        echo("fixed: " + ", ".join(f"{safe(k)}={safe(v)}" + (f" {safe(units[k])}" if units.get(k) not in (None, "", "1")
                                                              else "") for k, v in fixed.items()))
    if "n_steps" in ds.attrs and "dt" in ds.attrs:
        n_steps, dt = int(ds.attrs["n_steps"]), float(ds.attrs["dt"])
        echo(f"time:  {n_steps * dt:g} ms at dt {dt:g} ms = {n_steps} steps")
    echo("variables:")
    for name, var in ds.data_vars.items():
        units = var.attrs.get("units", "")
        echo(f"  {safe(name):20s} {str(var.dtype):8s} ({safe(', '.join(map(str, var.dims)))}) {safe(units)}")
    prov = _provenance(ds)
    echo("provenance:")
    for key in ("description", "experiment_path", "source_hash", "git_commit", "git_dirty", "command", "jax_version",
                "sweep_devices", "event_kernels", "started"):
        if key == "git_commit" and prov.get(key) == "":  # stored as "" (docs/store.md, "Schema in brief")
            echo("  git_commit: none (the experiment file is in no git repository, or git is not installed)")
        elif key == "git_dirty" and key in prov and prov[key] is None:
            echo("  git_dirty: unknown (no git commit)")
        elif key in prov:
            echo(f"  {key}: {safe(prov[key])}")
        if key == "source_hash":  # the rule its runs were checked under (docs/store.md, "When a run is done")
            echo(f"  allow_nan: {safe(_nan_rule_text(prov.get('allow_nan')))}")
            # the precision its runs were computed in (docs/store.md, "Precision"); absent: before the attribute, off
            echo(f"  x64: {'on (JAX_ENABLE_X64=1)' if prov.get('x64') is True else 'off'}")
        if key == "source_hash" and isinstance(prov.get("helpers"), dict) and prov["helpers"]:
            for name, info in prov["helpers"].items():  # local modules the source hash covers
                where = info.get("path") if isinstance(info, dict) else info
                kind, shown = ("data file", name[5:]) if name.startswith("data:") else ("local module", name)
                echo(f"    {kind} {safe(shown)}: {safe(where)}")
    seen = ds.attrs.get("versions_seen")
    if isinstance(seen, list) and seen:  # every version pair the runs were computed with (store README)
        pairs = [f"brainbatch {safe(v.get('brainbatch'))}, jax {safe(v.get('jax'))}"
                 + (f" on {safe(v['platform'])}" if v.get("platform") else "") for v in seen if isinstance(v, dict)]
        echo(f"  computed with: {'; then '.join(pairs)}")
    for key in ("created", "finished"):
        if key == "finished" and key in ds.attrs and ds.attrs[key] is None:  # it printed "finished: None"
            echo("  finished: not yet (no sweep on this store has ended: one is under way or was stopped; "
                 "`brainbatch status` lists its runs)")
        elif key in ds.attrs:
            echo(f"  {key}: {safe(ds.attrs[key])}")
    summary = _analyse(ds, experiment_file)
    if summary is not None:
        echo("analysis:")
        echo(_format_summary(summary))


def _mapping(value: Any) -> dict:
    """A store attribute read as a dict: a hand-edited one of another type reads as empty (``show`` never fails on
    what it only displays; ``status`` and ``sweep`` judge the store)."""
    return value if isinstance(value, dict) else {}


def _provenance(ds: Any) -> dict:
    return _mapping(ds.attrs.get("provenance"))


def _show_source(ds: Any, experiment_file: str | None) -> None:
    """The sources the store keeps (the experiment file and its local modules); with a file, the differences."""
    import difflib

    sources = _mapping(_provenance(ds).get("sources"))
    main_path = _provenance(ds).get("experiment_path")
    if not sources:
        raise BadInput(f"{store_name(ds)} keeps no source text (written before sources were stored, or the file "
                       "is not UTF-8 text, is too large or changed while the sweep started); its provenance "
                       "has the source hash only")
    if experiment_file is None:
        for path, text in sources.items():
            echo(f"# {safe(path)}")
            echo(safe(text, newlines=True).rstrip("\n"))
        return
    main_key = main_path if main_path in sources else next(iter(sources))
    try:  # bytes that are no UTF-8 (a latin-1 file) were a UnicodeDecodeError's traceback: shown replaced instead
        with open(experiment_file, encoding="utf-8", errors="replace") as fh:
            given = fh.read()
    except OSError as err:
        raise BadInput(f"cannot read --experiment {experiment_file!r}: {err.strerror}") from None

    def diff(stored: str, now: str, path: str, shown: str) -> list[str]:
        return list(difflib.unified_diff(stored.splitlines(keepends=True), now.splitlines(keepends=True),
                                         fromfile=f"store: {path}", tofile=shown))

    changed = diff(str(sources[main_key]), given, str(main_key), experiment_file)
    if changed:
        echo(f"{safe(experiment_file)} differs from the source the store was written with:")
        for line in changed:
            echo(safe(line.rstrip("\n")))
    # its local modules: beside the file given (a copied experiment folder), else where the sweep found them
    helpers, same = [k for k in sources if k != main_key], True
    for path in helpers:
        beside = os.path.join(os.path.dirname(os.path.abspath(experiment_file)), os.path.basename(path))
        found = next((f for f in (beside, path) if os.path.isfile(f)), None)
        if found is None:
            echo(f"local module {safe(path)} is not found (the store keeps its text: show --source)")
            same = False
            continue
        with open(found, encoding="utf-8", errors="replace") as fh:
            lines = diff(str(sources[path]), fh.read(), path, found)
        if lines:
            same = False
            echo(f"local module {safe(found)} differs from the one the store was written with:")
            for line in lines:
                echo(safe(line.rstrip("\n")))
    if not changed:
        echo(f"{safe(experiment_file)} is the source the store was written with"
             + ("" if not helpers else " (its local modules too)" if same else " (not all its local modules: above)"))


def store_name(ds: Any) -> str:
    return safe(str(ds.attrs.get("experiment", "the store")))


def _analyse(ds: Any, experiment_file: str | None) -> Any:
    """The experiment's analyse(ds), only for a file the user named whose source hash matches the store's."""
    if experiment_file is None:
        echo("analysis: not run (reading a store runs no code; to run the experiment's analyse(), "
                   "name its file: --experiment FILE)")
        return None
    from ..sweep.experiment import SourceMismatchError, load_experiment

    expected = ds.attrs.get("source_hash")
    if not isinstance(expected, str) or not expected:
        echo("analysis: skipped (the store records no source hash to check the file against)")
        return None
    helpers = _provenance(ds).get("helpers", {})
    try:  # the store's helpers too: a local module that differs from the store's is never run
        expected_helpers = {str(k): str(v["sha256"]) for k, v in (helpers or {}).items()}
    except (AttributeError, KeyError, TypeError):
        echo("analysis: skipped (the store's record of the experiment's local modules is damaged)")
        return None
    from ..sweep.errors import NearMissWarning

    try:
        with warnings.catch_warnings():  # its sweep settings do not matter here; a misspelled analyse is said below
            warnings.simplefilter("ignore", NearMissWarning)
            exp = load_experiment(experiment_file, expected_hash=expected, expected_helpers=expected_helpers)
    except SourceMismatchError as err:
        echo(f"analysis: skipped: {err}")
        return None
    if exp.analyse is None:  # def analyze(ds), the American spelling, was passed over without a word
        from ..errors import did_you_mean

        functions = [n for n, v in vars(exp.module).items() if not n.startswith("_") and n != "build"
                     and callable(v) and getattr(v, "__module__", None) == exp.module.__name__]
        hint = did_you_mean("analyse", functions)
        echo(f"analysis: {experiment_file} defines no analyse(ds)"
             + (f".{hint} show runs the function named analyse" if hint else ""))
        return None
    try:
        summary = exp.analyse(ds)
    except Exception as err:  # noqa: BLE001 - the user's analysis failing must not hide the rest
        echo(f"analysis: analyse(ds) of {experiment_file} raised {type(err).__name__}: {err}", err=True)
        return None
    except SystemExit as err:  # sys.exit() in analyse ended show in silence with its code (0: it looked fine)
        echo(f"analysis: analyse(ds) of {experiment_file} called sys.exit({safe(err.code)}) instead of returning "
             "its summary", err=True)
        return None
    if summary is None:  # printed nothing at all: say what happened
        echo(f"analysis: analyse(ds) of {experiment_file} returned None (return a dict of numbers to see them here)")
    return summary


def _format_summary(summary: object) -> str:
    if isinstance(summary, dict):
        return "\n".join(f"  {_summary_text(k)}: {_summary_text(v)}" for k, v in summary.items())
    return "  " + _summary_text(summary, newlines=True).replace("\n", "\n  ")


def _summary_text(value: object, newlines: bool = False) -> str:
    """A value of analyse()'s summary as text: a 0-d array (``ds.V.mean()``, lazy or not) as its number, not
    the array's multi-line repr; a value whose ``str`` raises named by its type, not a traceback."""
    if getattr(value, "ndim", None) == 0 and hasattr(value, "values"):
        try:
            value = value.values.item()  # xarray: computes a lazy (dask) mean
        except Exception:  # noqa: BLE001 - shown as it is below
            pass
    try:
        return safe(value, newlines=newlines)
    except Exception as err:  # noqa: BLE001 - the user's value, after the store's summary: never a traceback
        return f"<{type(value).__name__}: its text raised {type(err).__name__}: {safe(err)}>"


@main.command(context_settings=CONTEXT)
@click.argument("store", type=str)
@click.option("--out", "--out-dir", "out_dir", default=None, metavar="FOLDER",
              help="Folder for the PNGs (default: a plots/ folder beside the store); --out-dir is its older name.")
@click.option("--seed", type=int, default=None, help="Seed of the run to draw (default: the first done run).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=V", help="Select a run by parameter value.")
@click.option("--var", default=None, help="Spike variable to draw (default: every one); it is in the file names.")
@click.option("--bin-ms", type=Time(), default=None,
              help="Bin of the population rate: ms, or with a unit of time (2.5ms, 0.01s) (default: 5 ms, or the "
                   "whole window when it is shorter).")
@click.option("--t0", type=Time(), default=None, help="Raster, rate and traces from this time on: ms, or with a unit of time "
              "(1.5s). Without --t0/--t1/--neurons a raster too dense to read shows the run's last stretch (said in "
              "its title).")
@click.option("--t1", type=Time(), default=None, help="Raster, rate and traces up to, not including, this time: ms, or with "
              "a unit (2s). The window is [t0, t1), as for the t0/t1 of ds.bb's statistics.")
@click.option("--neurons", type=click.IntRange(min=1), default=None, metavar="N",
              help="Raster of the first N neurons of each population (traces: of the variable).")
@library_errors
def plot(store: str, out_dir: str | None, seed: int | None, params: tuple[str, ...], var: str | None, bin_ms: float | None,
         t0: float | None, t1: float | None, neurons: int | None) -> None:
    """Raster and population-rate PNGs of one run of STORE; a sampled store also gets each run's rate against
    each parameter, a grid store tuning curves (mean +- sd over seeds) and a heat map of two parameters.

    \b
    Example:
      brainbatch plot results/coba/we.zarr --seed 0 -p we=0.6
    """
    from .plots import plot_store

    _open_store(store)
    for path in plot_store(store, out_dir=out_dir, seed=seed, params=parse_params(params, plot=True), var=var, bin_ms=bin_ms,
                           t0=t0, t1=t1, neurons=neurons):
        echo(f"wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
