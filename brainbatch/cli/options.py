"""Option bundles shared by commands, and the error boundary (library errors -> exit codes)."""
from __future__ import annotations

import functools
import math
import sys
from typing import Any, Callable, TypeVar

import click


class Terminated(KeyboardInterrupt):
    """SIGTERM (what schedulers such as SLURM send) or SIGHUP (the terminal or ssh session closed),
    raised where Ctrl-C would be: handled alike, exit 128 + the signal's number (143, 129)."""

    def __init__(self, signum: int | None = None):
        import signal

        super().__init__()
        self.signum = int(signum if signum is not None else signal.SIGTERM)

    @property
    def word(self) -> str:
        """``"terminated (SIGTERM)"`` or ``"hung up (SIGHUP)"``: what the command's last line says."""
        import signal

        return "hung up (SIGHUP)" if self.signum == getattr(signal, "SIGHUP", None) else "terminated (SIGTERM)"

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


F = TypeVar("F", bound=Callable[..., Any])


class BadInput(click.ClickException):
    """Bad usage or input: printed without a traceback, exit code 2."""

    exit_code = 2



class Choice(click.Choice):
    """Click's ``Choice`` with the project's hint: a misspelled value gets the closest choice ("Did you mean")."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as err:
            from ..errors import did_you_mean

            hint = did_you_mean(value, self.choices)
            if not hint:
                raise
            raise click.BadParameter(f"{err.message}{hint}", ctx=ctx, param=param) from None


class _Duration(click.ParamType):
    """A plain number in the type's unit, or a number with a unit of time, read by ``sweep.quantities.<reader>``."""

    reader = ""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, (int, float)):
            return float(value)
        try:
            number = float(value)  # a plain number needs no unit table (and no JAX)
        except ValueError:
            pass
        else:
            if not math.isfinite(number) and not any(w in str(value).lower() for w in ("inf", "nan")):
                # 1e400 read as inf: "got inf" named a value no one typed
                self.fail(f"{value!r} is past the largest number ({sys.float_info.max:.3g})", param, ctx)
            if ctx is not None and param is not None:  # as typed, for a note on a plain number (typed_plain)
                ctx.meta.setdefault(_PLAIN, {})[param.name] = str(value).strip()
            return number
        from ..sweep import quantities
        from ..sweep.errors import UsageError

        try:
            return getattr(quantities, self.reader)("", value)  # Click's message names the option
        except UsageError as err:
            self.fail(str(err), param, ctx)


_PLAIN = "brainbatch.plain_numbers"  # ctx.meta key: {option name: the plain number as typed}


def typed_plain(name: str) -> str | None:
    """The value of option ``name`` (``"duration"``) as typed, where it was a plain number; else None."""
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.meta.get(_PLAIN, {}).get(name)


class Time(_Duration):
    """A time in ms: a plain number, or a number with a unit of time (``1s``, ``250 ms``, ``50us``)."""

    name = "ms"
    reader = "milliseconds"


class WallTime(_Duration):
    """A wall-clock time in seconds: a plain number, or a number with a unit of time (``30s``, ``5min``, ``1h``)."""

    name = "seconds"
    reader = "seconds"


def _use_kernels(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--kernels``: in force for the rest of the command (a value, not an environment variable);
    each batch task carries it to the thread or dask worker that runs it."""
    if value:
        from ..sweep.device_choice import use_kernels

        ctx.with_resource(use_kernels(value))
    return value


def run_options(f: F, one_run: bool = False) -> F:
    """Options common to ``sweep`` and ``run`` (``one_run``: ``-p`` takes one value per parameter)."""
    param = (click.option("-p", "--param", "params", multiple=True, metavar="NAME=V",
                          help="A parameter's value (repeatable): one value each, e.g. -p we=0.5") if one_run else
             click.option("-p", "--param", "params", multiple=True, metavar="NAME=V1,V2,... | NAME=LOW:HIGH",
                          help="Parameter values (repeatable); a list makes a grid axis, and so does LOW:HIGH:STEP "
                               "(evenly spaced, both ends included: 0:4:0.5 is 0, 0.5, ..., 4). A range LOW:HIGH (uniform), "
                               "LOW:HIGH:log (log-uniform) or LOW:HIGH:int (integers, both bounds included) is "
                               "sampled by sweep --samples N."))
    for decorator in reversed([
        click.argument("experiment", type=click.Path(dir_okay=True, path_type=str)),
        param,
        click.option("--out", type=str, default=None,
                     help=("Store path (default results/<experiment>/run.zarr; with -p, named after the parameters set, as sweep names its store: -p drive=1.3 writes run-drive.zarr, and each run setting drive is added there)." if one_run else
                           "Store path (default results/<experiment>/<axes>.zarr).")),
        click.option("--duration", type=Time(), default=None,
                     help="Simulated time per run: ms, or with a unit of time (1s, 500ms)."),
        click.option("--dt", type=Time(), default=None,
                     help="Step size: ms, or with a unit (0.05ms) (default: the experiment's)."),
        click.option("--devices", default="auto", show_default=True, metavar="auto|cpu|gpu|all|cpu:N",
                     help="Devices for the local executor: auto = the GPUs, else one CPU device per core; "
                          "cpu = one CPU device; cpu:N makes N host devices."),
        click.option("--batch-size", type=int, default=None, help="Runs per compiled call (default: automatic)."),
        click.option("--kernels", type=Choice(["auto", "native", "jax"]), default=None, expose_value=False,
                     callback=_use_kernels, metavar="auto|native|jax",
                     help="Event propagation on CPU: auto (the native kernel where it builds, default), native, "
                          "or jax (pure JAX); overrides BRAINBATCH_KERNELS. The store's provenance records the path."),
        click.option("--checkpoint-every", type=WallTime(), default=None, metavar="SECONDS",
                     help="Wall time between checkpoints of a run, from which an interrupted sweep continues: "
                          "seconds, or with a unit of time (5min) (default 60; 0: at every chunk)."),
        click.option("--force", is_flag=True,
                     help="Write into a store made from another source (keeps its runs) or another dt, shorter "
                          "duration or other variables (redoes every run)."),
        click.option("--allow-nan", "allow_nan", is_flag=False, flag_value="all", default=None,
                     metavar="[all|NAME,...]",
                     help="Let runs with NaN or Inf in these records / states (all without a value) count as done, "
                          "instead of failing; overrides the experiment's allow_nan. The store records it and "
                          "refuses another allowance unless --force."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, only errors and the summary."),
        click.option("-v", "--verbose", is_flag=True, help="More detail (batches, compile groups)."),
    ]):
        f = decorator(f)
    return f


def library_errors(f: F) -> F:
    """Turn brainbatch's own errors into Click errors at the boundary (exit 2, one line).

    Only ``BrainbatchError``: any other exception is a bug and keeps its traceback.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import BrainbatchError
        from .text import safe

        try:
            return f(*args, **kwargs)
        except BrainbatchError as err:  # messages may quote a store's values: printed escaped
            if kwargs.get("verbose") and not kwargs.get("quiet"):  # -q wins over -v, as everywhere
                _echo_cause(err)
            raise BadInput(safe(f"{err}{missing_module_advice(err)}", newlines=True)) from None

    return wrapper  # type: ignore[return-value]  # same signature: functools.wraps


def _echo_cause(err: BaseException) -> None:
    """``-v``: the traceback of the error behind a one-line refusal (an experiment's import failing in a helper
    module: the line says where in the experiment, the traceback says where below it)."""
    import traceback

    import click

    cause = err.__cause__ or err.__context__
    if cause is not None and cause.__traceback__ is not None:
        click.echo("".join(traceback.format_exception(cause)).rstrip(), err=True)


def missing_module_advice(err: BaseException) -> str:
    """``sweep.experiment.missing_module_advice`` (what to do about an experiment importing a module this Python does
    not find), imported only where the text names a missing module: the sweep layer imports JAX."""
    if "No module named" not in str(err):
        return ""
    from ..sweep.experiment import missing_module_advice as advice

    return advice(err)


def one_run_options(f: F) -> F:
    """``run_options`` of ``run``: its ``-p`` shows the one-value syntax ``run`` accepts."""
    return run_options(f, one_run=True)


def parse_params(specs: tuple[str, ...], one_run: bool = False, plot: bool = False) -> dict[str, list[str]]:
    """``-p`` specs by name; a name given twice is refused with the syntax of the command: a run (``one_run``)
    and a plot (``plot``: it selects one run) take one value, a sweep a list."""
    from ..sweep.specs import parse_param
    from ..sweep.errors import UsageError

    out: dict[str, list[str]] = {}
    for spec in specs:
        name, values = parse_param(spec)
        if name in out:
            # plot's advice was a sweep's, "list all values in one -p we=V1,V2", which plot then refused
            raise UsageError(f"parameter {name!r} is given twice; " + (
                f"a run takes one value, -p {name}=V (brainbatch sweep takes several)" if one_run else
                f"plot draws one run: select it with one value, -p {name}=V" if plot else
                f"list all values in one -p {name}=V1,V2"))
        out[name] = values
    return out
