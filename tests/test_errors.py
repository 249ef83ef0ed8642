"""One error root: every error brainbatch raises on purpose is a ``BrainbatchError``; the CLI reports
those in one line (exit 2) and lets anything else show its traceback. The checkers live once, in the
jax-free leaf ``brainbatch/errors.py``, shared by the core and the store."""
import inspect
import sys

import pytest
from click.testing import CliRunner

import brainbatch as bb
from brainbatch import errors
from brainbatch.cli import options


def _error_classes():
    import brainbatch.brainpy  # noqa: F401 - load every layer, so every error class is defined
    import brainbatch.cli  # noqa: F401
    import brainbatch.sweep  # noqa: F401

    for name, module in list(sys.modules.items()):
        if name.startswith("brainbatch"):
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, Exception) and not issubclass(cls, Warning) and cls.__module__.startswith("brainbatch"):
                    yield cls


def test_every_brainbatch_error_class_sits_under_the_root():
    classes = set(_error_classes())
    assert {bb.store.StoreError, bb.sweep.UsageError, bb.kernels.KernelChoiceError,
            bb.ConnectivityOverflowError} <= classes
    # the CLI's own signal exceptions are KeyboardInterrupts, Click's are Click's: everything else is ours
    ours = {c for c in classes if not issubclass(c, options.click.ClickException)}
    assert all(issubclass(c, bb.BrainbatchError) for c in ours), sorted(
        c.__qualname__ for c in ours if not issubclass(c, bb.BrainbatchError))
    assert issubclass(bb.sweep.UsageError, ValueError)  # and still what callers caught before


def _boundary(exc):
    import click

    @click.command()
    @options.library_errors
    def cmd():
        raise exc

    return CliRunner().invoke(cmd, [])


def test_the_cli_boundary_reports_our_errors_and_lets_bugs_show_their_traceback():
    res = _boundary(bb.store.StoreError("no store at 'x.zarr'"))
    assert res.exit_code == 2 and "Error: no store at 'x.zarr'" in res.output
    res = _boundary(KeyError("internal"))  # a bug, not bad input: not swallowed as "bad input"
    assert res.exit_code == 1 and isinstance(res.exception, KeyError)


def test_the_store_checkers_are_the_core_rules_raising_store_errors():
    from brainbatch.core import checks as core_checks
    from brainbatch.store import StoreError
    from brainbatch.store import _checks as store_checks

    assert store_checks.is_int is core_checks.is_int is errors.is_int
    with pytest.raises(ValueError, match="n must be an integer >= 1, got True"):
        core_checks.check_int("n", True, minimum=1)
    with pytest.raises(StoreError, match="n must be an integer >= 1, got True"):
        store_checks.check_int("n", True, minimum=1)
    assert store_checks.check_int("n", None, minimum=1, none=True) is None


def test_an_in_process_command_gives_the_signal_handlers_back():
    import signal

    before = signal.getsignal(signal.SIGTERM)
    res = CliRunner().invoke(__import__("brainbatch.cli", fromlist=["main"]).main, ["status", "nowhere.zarr"])
    assert res.exit_code == 2 and signal.getsignal(signal.SIGTERM) is before


def test_one_hint_rule_did_you_mean():
    # issue 21, item 7: the hints come from errors.did_you_mean; difflib is used by it and by the two
    # places that need another rule (the experiment contract's near-misses, show --source's diff)
    import pathlib

    pkg = pathlib.Path(errors.__file__).parent
    users = sorted(str(p.relative_to(pkg)) for p in pkg.rglob("*.py") if "difflib" in p.read_text(encoding="utf-8"))
    assert users == ["cli/main.py", "errors.py", "sweep/experiment.py"], users
    with pytest.raises(AttributeError, match="no attribute 'NeuGrop'. Did you mean 'NeuGroup'?"):
        bb.NeuGrop
    # a name spelled out suggests the short one it begins with, not a closer-looking other (units audit:
    # V_thresh suggested V_rest); letter case alone wins over anything similar
    with pytest.raises(TypeError, match="unexpected keyword argument 'V_thresh'. Did you mean 'V_th'\\?"):
        bb.LifRef(2, V_thresh=-50.)
    assert errors.did_you_mean("tau_refractory", ["tau", "tau_ref"]) == " Did you mean 'tau_ref'?"
    assert errors.did_you_mean("V_RESET", ["V_rest", "V_reset"]) == " Did you mean 'V_reset'?"
    # an abbreviation too far from its word for difflib, begun by one choice only (STDP(form="mult") got no hint)
    with pytest.raises(ValueError, match="got 'mult'. Did you mean 'multiplicative'\\?"):
        bb.STDP(form="mult")
    assert errors.did_you_mean("add", ["additive_rule", "addition_rule"]) == ""  # begun by two: no guess


def test_api_calls_with_a_value_of_the_wrong_kind_name_it():
    # os.fspath's "expected str, bytes or os.PathLike object" and "'int' object is not iterable" named nothing
    import pytest

    import brainbatch as bb
    from brainbatch.store import StoreError
    from brainbatch.sweep import ExperimentError, UsageError

    for call in (lambda: bb.open_results(None), lambda: bb.open_results(5), lambda: bb.load_state(None, 0)):
        with pytest.raises(StoreError, match="a store path must be a path or URL string"):
            call()
    with pytest.raises(ExperimentError, match="an experiment is the path of a Python file.*got None"):
        bb.sweep(None)
    with pytest.raises(UsageError, match="devices must be a spec such as 'auto'.*got 5"):
        bb.sweep("experiments/coba.py", devices=5)


def test_a_dt_or_duration_given_as_text_is_refused_not_read_as_a_number():
    import pytest

    import brainbatch as bb

    net = bb.Network(E=bb.LIF(2))
    with pytest.raises(ValueError, match="dt must be a positive number of milliseconds, got '0.1'"):
        bb.Runner(net, dt="0.1")
    with pytest.raises(ValueError, match="duration must be a number of milliseconds, got '10'"):
        bb.Runner(net, progress_bar=False).run("10")


def _keyword_callables():
    """Every public callable of ``brainbatch`` with named parameters and no ``**kwargs`` (which takes any keyword)."""
    for name in bb.__all__:
        obj = getattr(bb, name)
        if not callable(obj):
            continue
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            continue
        named = [p.name for p in signature.parameters.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        if named and not any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values()):
            yield name, obj, named[-1]


@pytest.mark.parametrize("name, obj, parameter", list(_keyword_callables()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_public_callable_names_the_keyword_a_misspelling_meant(name, obj, parameter):
    """``bb.Runner(net, monitor=...)``, ``bb.FixedProb(p=0.1)``, ``bb.open_results(path, sates=True)``: the
    message names the parameter meant, as the model constructors' do (Python's own names none)."""
    with pytest.raises(TypeError, match=rf"unexpected keyword argument '{parameter}x'\. Did you mean '{parameter}'\?$"):
        obj(**{parameter + "x": 1})


def test_a_misspelled_keyword_with_no_close_parameter_lists_them_and_deeper_errors_pass_untouched():
    with pytest.raises(TypeError, match=r"^Normal\(\) got an unexpected keyword argument 'mu'\. Normal takes: mean, scale, keep_sign\.$"):
        bb.Normal(mu=0.0)
    with pytest.raises(TypeError, match=r"^Runner\.run\(\) got an unexpected keyword argument 'durtion'\. Did you mean 'duration'\?$"):
        bb.Runner(bb.LIF(2)).run(durtion=5.0)

    @errors.keywords_named
    def outer(x):
        return inner(y=x)

    def inner(z):
        return z

    with pytest.raises(TypeError, match=r"^test_a_.*<locals>\.inner\(\) got an unexpected keyword argument 'y'$"):
        outer(1)  # the error of a call inside is not outer's: left as Python wrote it
