"""Loading an experiment module and checking it against the contract of docs/experiments.md."""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
import importlib.util
import inspect
import os
import sys
import traceback
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import numpy as np

from ..core.units import UnitMismatch, decimal_float, to_convention
from ..core.checks import is_bool, is_real
from ..core.errors import did_you_mean
from ..errors import keywords_named
from . import nan_rule, sources
from .model_hash import model_sha256
from .errors import ExperimentError, UsageError
from .quantities import split_default

__all__ = ["Experiment", "load_experiment", "SourceMismatchError", "missing_module_advice"]


class SourceMismatchError(ExperimentError):
    """An experiment file whose source hash differs from the one a store was written with."""

_CONTRACT = ("build", "params", "sweep", "monitors", "duration", "dt", "inputs", "analyse", "description",
             "static", "allow_nan", "data_files")
_DEFAULT_DT = 0.1
_DEFAULT_DURATION = 1000.0


@dataclass
class Experiment:
    """An experiment module checked against the contract, with its defaults and sweep axes."""

    path: str
    name: str
    source_hash: str
    module: ModuleType = field(repr=False)
    build: Callable = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict)
    sweep: dict[str, list] = field(default_factory=dict)
    #: the module's ``sweep`` entries that are ranges (``{"we": bb.Range(0.3, 0.9)}``): sampled with ``--samples``
    ranges: dict[str, Any] = field(default_factory=dict)
    monitors: Any = None
    duration: float = _DEFAULT_DURATION
    dt: float = _DEFAULT_DT
    inputs: Any = ()
    analyse: Callable | None = field(default=None, repr=False)
    static: tuple[str, ...] = ()
    description: str = ""
    #: local modules the file imports, ``{module name: (path, sha256)}``: part of ``source_hash``
    helpers: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the unit of each parameter whose default is a quantity (its default in ``params`` is then the
    #: number in that unit); ``build`` receives quantities for these (docs/units.md, "Sweeps")
    param_units: dict[str, Any] = field(default_factory=dict)
    #: variables whose NaN does not fail a run: ``"all"`` or names (``nan_rule.py``; checked against the
    #: records and states when the sweep is planned)
    allow_nan: str | tuple[str, ...] = ()
    #: the hash of the whole file (and its local modules), as stores written before ``analyse`` was left
    #: out of ``source_hash`` (model_hash.py) record it; ``for_store`` adopts it for such a store
    plain_hash: str = ""

    def for_store(self, stored_hash: Any) -> "Experiment":
        """This experiment with ``source_hash`` = ``stored_hash`` when that is its plain hash (a store written
        before the rule, from these very bytes), else itself: such a store takes this file without --force."""
        if isinstance(stored_hash, str) and stored_hash == self.plain_hash and stored_hash != self.source_hash:
            return dataclasses.replace(self, source_hash=stored_hash)
        return self

    def check_param(self, name: str) -> None:
        """A parameter ``build`` does not take is an error that suggests the closest name; one a ``build(**kw)``
        takes but that is a near miss of a declared parameter is warned about (``-p mdoe=`` went on unnoticed)."""
        if name in self.params:
            return
        if not self._accepts_any():
            if self._positional_only(name):  # def build(n=4, /): a sweep passes every parameter by name
                raise ExperimentError(
                    f"parameter {name!r} of build() in {self.path} is positional-only (it comes before a '/'), and "
                    f"a sweep passes parameters by name: remove the '/' from build()'s signature to sweep {name!r}")
            raise ExperimentError(
                f"parameter {name!r} is not taken by build() of {self.path}.{did_you_mean(name, self.params)} "
                f"Parameters: {', '.join(self.params) or '(none)'}"
            )
        hint = did_you_mean(name, self.params, cutoff=0.75)
        if hint:
            import warnings

            from .errors import NearMissWarning

            warnings.warn(f"parameter {name!r} is not one of the params of {self.path} (build() takes it through "
                          f"**kwargs, so it is passed on as given).{hint}", NearMissWarning, stacklevel=2)

    def _positional_only(self, name: str) -> bool:
        param = inspect.signature(self.build).parameters.get(name)
        return param is not None and param.kind is param.POSITIONAL_ONLY

    def _accepts_any(self) -> bool:
        sig = inspect.signature(self.build)
        return any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())


def _source_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


#: experiment modules loaded in this process: ``{(path, module name): (module, {helper: (path, sha256)})}``
_LOADED: dict[tuple[str, str], tuple[ModuleType, dict[str, tuple[str, str]]]] = {}


def _import(path: str, source: bytes, expected: dict[str, str] | None) -> tuple[ModuleType, dict]:
    """Run the experiment's bytes; returns the module and the local modules it imported (``sources.py``)."""
    name = f"brainbatch_experiment_{os.path.splitext(os.path.basename(path))[0]}_{_source_hash(source)[:12]}"
    with sources.LOCK:
        cached = _LOADED.get((path, name))  # by path too: the same file elsewhere imports other helpers
        # a module loaded before is reused only while every helper it imported is unchanged on disk
        if cached is not None and not sources.helpers_changed(cached[1]) and (
                expected is None or {k: v[1] for k, v in cached[1].items()} == expected):
            return cached
        module, helpers = _run(name, path, source, expected)
        _LOADED[(path, name)] = (module, helpers)
        return module, helpers


def _run(name: str, path: str, source: bytes, expected: dict[str, str] | None) -> tuple[ModuleType, dict]:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:  # not a path Python can import (load_experiment checked it is a .py file)
        raise ExperimentError(f"{path} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    directory = os.path.dirname(path)
    added = directory not in sys.path
    if added:  # an experiment may import helpers that sit next to it
        sys.path.insert(0, directory)
    module.__file__ = path
    before = _declared_data_files(path, source)
    try:
        with sources.tracking(expected) as helpers:
            # run the very bytes that were hashed (not the file read again): the hash says what ran
            exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - the user's own experiment file
    except SyntaxError as err:  # one with no line (null bytes in the file) said "line None"
        text = (err.text or "").rstrip()
        raise ExperimentError(
            f"syntax error in {err.filename or path}" + (f", line {err.lineno}" if err.lineno else "")
            + f": {err.msg}" + (f"\n    {text}" if text else "")
        ) from None
    except sources.HelperMismatch as err:
        raise SourceMismatchError(f"{path}: {err}") from None
    except (Exception, SystemExit) as err:  # noqa: BLE001 - an import error or any failure at module level
        # SystemExit too: a script's sys.exit() (a leftover `if not args: sys.exit(0)`) ended the sweep in silence,
        # with its code, 0 included: a sweep that never ran looked like one that succeeded
        frames = [f for f in traceback.extract_tb(err.__traceback__) if os.path.abspath(f.filename) == path]
        where = f"{path}, line {frames[-1].lineno}" if frames else path
        what = (f"SystemExit({err.code!r}): it calls sys.exit() when imported; an experiment module defines build() "
                "and its settings, and runs nothing when imported" if isinstance(err, SystemExit) else
                f"{type(err).__name__}: {err}{_load_advice(err)}")
        raise ExperimentError(f"loading {where} failed: {what}") from None
    finally:
        if added:
            sys.path.remove(directory)
    sys.modules[name] = module
    data = _data_files(path, getattr(module, "data_files", ()))
    moved = [k[len("data:"):] for k, (_, sha) in data.items() if k in before and before[k][1] != sha]
    if moved:  # the module read one version of the file and the hash would name another
        raise ExperimentError(f"data file(s) {', '.join(moved)} of {path} changed while the experiment loaded; "
                              "load it again once they are written")
    return module, {**helpers, **data}


def _load_advice(err: BaseException) -> str:
    """The way out of the slips a newcomer makes at the top of an experiment file (docs/experiments.md)."""
    if isinstance(err, ImportError) and "relative import" in str(err):
        return ("; an experiment file is no package: import a helper beside it by name (from helpers import X), "
                "never relatively (from .helpers import X)")
    if isinstance(err, FileNotFoundError) and err.filename and not os.path.isabs(str(err.filename)):
        return (f"; {err.filename!r} was looked for from the folder brainbatch runs in ({os.getcwd()}): open a data "
                "file next to the experiment as Path(__file__).with_name(...), and list it in data_files")
    return missing_module_advice(err)


def missing_module_advice(err: BaseException) -> str:
    """What to do about an experiment that imports a module this Python does not find (the error, or a message
    quoting it, names it: ``ModuleNotFoundError: No module named 'x'``, at the file's top or in ``build()``), else
    ``""``: install its package into that very Python, or put a helper of one's own beside the experiment; a module
    missing from a package that is there is a version question. A message that has the advice already gets none.
    The CLI (``cli/options.py``) and ``load_experiment`` say the same."""
    import re

    from ..errors import on_command_line

    text = f"{type(err).__name__}: {err}" if isinstance(err, ImportError) else str(err)
    found = re.search(r"ModuleNotFoundError: No module named '([A-Za-z_][\w.]*)'", text)
    if found is None or text[found.end():].startswith(" ("):
        return ""
    name = found.group(1)
    top = name.split(".")[0]
    try:
        installed = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        installed = False
    if installed and top != name:
        return f" ({top} is there, without {name}: another version of {top} may have it, or the name is misspelled)"
    python = sys.executable or "python"
    who = "this command's Python" if on_command_line() else "this Python"
    return (f" ({who}, {python}, has no {top}: install its "
            f"package there, {python} -m pip install PACKAGE; or, if {top} is a module of your own, put {top}.py beside "
            "the experiment file and import it at the top of that file)")


def _declared_data_files(path: str, source: bytes) -> dict[str, tuple[str, str]]:
    """The ``data_files`` a file declares as a literal (``data_files = ["table.json"]``), hashed before the file
    runs: compared with their hashes after it ran, a file that changed while the experiment read it is caught."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "data_files"):
            try:
                return _data_files(path, ast.literal_eval(node.value))
            except (ValueError, TypeError, SyntaxError, ExperimentError):  # not a literal, or refused after the run
                return {}
    return {}


def _data_files(path: str, declared: Any) -> dict[str, tuple[str, str]]:
    """``{"data:<name>": (file, sha256)}`` of the files an experiment declares it reads (``data_files``, paths
    relative to its folder): part of its source hash like a local module, so a store never mixes runs of two
    versions of a table the model is built from (docs/experiments.md)."""
    if isinstance(declared, (str, os.PathLike)):
        declared = [declared]
    if not isinstance(declared, (list, tuple)):
        raise ExperimentError(f"data_files in {path} must be a list of file paths (relative to the experiment's "
                              f"folder), got {type(declared).__name__}")
    out = {}
    for item in declared:
        if not isinstance(item, (str, os.PathLike)) or not os.fspath(item):
            raise ExperimentError(f"data_files in {path} must list file paths, got {item!r}")
        file = os.path.join(os.path.dirname(path), os.fspath(item))
        if not os.path.isfile(file):
            raise ExperimentError(f"data_files in {path} names {os.fspath(item)!r}, which is not a file "
                                  f"({os.path.abspath(file)})")
        try:
            out[f"data:{os.fspath(item)}"] = (os.path.abspath(file), sources.hash_data_file(os.path.abspath(file)))
        except OSError as err:
            raise ExperimentError(f"data file {os.fspath(item)!r} of {path} cannot be read: {err}") from None
    return out


@keywords_named
def load_experiment(path: str | os.PathLike, expected_hash: str | None = None,
                    expected_helpers: dict[str, str] | None = None) -> Experiment:
    """Import an experiment file and check it (docs/experiments.md).

    The source hash covers the file but its ``analyse`` (``model_hash.py``) and every local module it
    imports (``sources.py``); those modules are listed in ``Experiment.helpers``. With ``expected_hash``
    (a store's ``source_hash``) and ``expected_helpers`` (its provenance ``helpers``, ``{name: sha256}``;
    none if not given) the file is executed only if its hash matches, and a local module only if it is listed with the same sha256;
    otherwise ``SourceMismatchError`` is raised and the differing code is not run.

    >>> exp = load_experiment("experiments/coba.py")  # doctest: +SKIP
    >>> exp.params["we"]  # doctest: +SKIP
    0.6
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ExperimentError(f"an experiment is the path of a Python file, such as 'experiments/coba.py', got {path!r}")
    if not os.fspath(path).strip():  # abspath would turn it into the current folder, and name that
        raise ExperimentError(f"an experiment is the path of a Python file, such as 'experiments/coba.py', got {path!r}")
    path = os.path.abspath(os.fspath(path))
    if not os.path.exists(path):
        raise ExperimentError(f"experiment file {path!r} does not exist")
    if os.path.isdir(path) or not path.endswith(".py"):
        raise ExperimentError(f"an experiment is a Python file ending in .py, got {path!r}")
    with open(path, "rb") as fh:
        source = fh.read()
    expected = None
    # the hash leaves analyse() out (model_hash.py); a store written before that rule has the plain sha256
    shas = (model_sha256(source), _source_hash(source))
    if expected_hash is not None:
        expected = dict(expected_helpers or {})
        if all(sources.combined_hash(sha, expected) != expected_hash for sha in shas):
            raise SourceMismatchError(
                f"{path} is not the source the store was written with (its model hash is {shas[0][:16]}…, "
                f"the store's source hash is {str(expected_hash)[:16]}…); nothing of it was run")
    module, helpers = _import(path, source, expected)
    found = {k: v[1] for k, v in helpers.items()}
    source_hash = next((h for h in (sources.combined_hash(sha, found) for sha in shas) if h == expected_hash),
                       sources.combined_hash(shas[0], found))
    if expected_hash is not None and source_hash != expected_hash:  # a recorded helper was not imported
        raise SourceMismatchError(
            f"{path} imports other local modules ({', '.join(sorted(helpers)) or 'none'}) than the store was "
            f"written with ({', '.join(sorted(expected or {})) or 'none'})")
    public = [n for n in vars(module) if not n.startswith("_")]
    build = getattr(module, "build", None)
    if build is None:
        hint = did_you_mean("build", public)
        raise ExperimentError(f"{path} defines no build(**params) function.{hint}")
    if not callable(build) or (hasattr(build, "reset_state") and not inspect.isroutine(build)
                               and not isinstance(build, type)):
        # a network object (build = bb.Network(...)) is callable too: called, it stepped and returned None
        raise ExperimentError(f"build in {path} must be a function that returns the model, got "
                              f"{type(build).__name__}; write it as def build(**params): return bb.Network(...)")
    for name in public:  # a near-miss of a contract name ("monitor", "param") is almost always a typo
        value = getattr(module, name)
        if name in _CONTRACT or callable(value) or isinstance(value, ModuleType):
            continue
        # not did_you_mean: its letter-case rule would refuse a module constant such as DURATION
        close = difflib.get_close_matches(name, _CONTRACT, n=1, cutoff=0.85)
        if close:
            raise ExperimentError(
                f"{path} defines {name!r}, which is not part of the experiment contract. Did you mean {close[0]!r}?"
            )
    _warn_unread(path, source, module)
    params = _build_params(path, build, getattr(module, "params", {}))
    param_units = {}
    for name, default in list(params.items()):
        params[name], unit = split_default(name, default)
        if unit is not None:
            param_units[name] = unit
    sweep, ranges = _sweep_axes(path, getattr(module, "sweep", {}), params, build)
    dt = _positive(path, "dt", getattr(module, "dt", _DEFAULT_DT), given=hasattr(module, "dt"))
    duration = _positive(path, "duration", getattr(module, "duration", _DEFAULT_DURATION),
                         given=hasattr(module, "duration"))
    analyse = getattr(module, "analyse", None)
    if analyse is not None and not callable(analyse):
        raise ExperimentError(f"analyse in {path} must be a function analyse(ds), got {type(analyse).__name__}")
    static = _static(path, getattr(module, "static", ()), params)
    try:
        allow_nan = nan_rule.normalize(getattr(module, "allow_nan", None), f"allow_nan in {path}")
    except UsageError as err:
        raise ExperimentError(str(err)) from None
    exp = Experiment(path=path, name=os.path.splitext(os.path.basename(path))[0], source_hash=source_hash,
                     module=module, build=build, params=params, sweep=sweep, ranges=ranges,
                     monitors=getattr(module, "monitors", None), duration=duration, dt=dt,
                     inputs=getattr(module, "inputs", ()), analyse=analyse, static=static,
                     description=(module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else "",
                     helpers=helpers, param_units=param_units, allow_nan=allow_nan,
                     plain_hash=sources.combined_hash(shas[1], found))
    return exp


#: module-level names that look like a setting brainbatch takes elsewhere (compared in lower case), and the setting:
#: ``seeds = 8`` in an experiment file ran one seed without a word (the seeds are the sweep's, not the module's)
_MISPLACED = {
    **dict.fromkeys(("seed", "seeds", "n_seeds", "nseeds", "num_seeds", "n_seed", "seed_list", "random_seed",
                     "rng_seed"), "seeds"),
    **dict.fromkeys(("samples", "n_samples", "nsamples", "num_samples"), "samples"),
    **dict.fromkeys(("grid", "param_grid", "params_grid", "parameter_grid", "parameters", "param_values",
                     "parameter_values", "sweep_params", "sweep_axes", "sweep_grid"), "sweep"),
    **dict.fromkeys(("t", "t_max", "tmax", "t_end", "t_stop", "tstop", "t_sim", "tsim", "sim_time", "simtime",
                     "sim_duration", "simulation_time", "run_time", "runtime", "duration_ms"), "duration"),
    **dict.fromkeys(("time_step", "timestep", "step_size", "dt_ms"), "dt"),
    **dict.fromkeys(("record", "records", "recordings", "recorders", "probes"), "monitors"),
    **dict.fromkeys(("out", "output", "out_dir", "output_dir", "out_path", "output_path", "store", "store_path",
                     "results_dir"), "out"),
    **dict.fromkeys(("device", "devices"), "devices"),
    **dict.fromkeys(("workers", "n_workers", "num_workers"), "workers"),
    # the contract's own names in other case (DT = 0.05, DURATION = 5): read only as spelled, so passed over
    **{name: name for name in ("sampler", "sample_seed", "executor", "batch_size", "checkpoint_every", "retries",
                               "force", "fail_fast", "dt", "duration", "monitors", "sweep")},
}
#: the warnings already given, by (file, line, text): each once per process, as ``warnings.warn``
_WARNED: dict = {}


def _warn_unread(path: str, source: bytes, module: ModuleType) -> None:
    """Warn, at the file's own line, of what brainbatch would otherwise pass over in silence: a module-level name
    that looks like a misplaced setting (``seeds = 8``, ``T = 500``, ``grid = {...}``) which nothing in the file
    reads, and a function spelled like ``analyse`` (``def analyze(ds)``) where there is no ``analyse``.

    Warnings, not errors: such a name may be meant for something else (a notebook that imports the module reads
    it), a sweep with the settings' defaults keeps its runs when run again with the right ones, and an error would
    stop ``show --experiment`` from analysing a store made with the file."""
    import ast
    import warnings

    from ..errors import is_int, on_command_line, option_name
    from .errors import NearMissWarning

    tree = ast.parse(source)
    read = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store)}
    read |= {name for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal)) for name in node.names}
    exported = getattr(module, "__all__", ())
    exported = set(exported) if isinstance(exported, (list, tuple)) else set()

    def warn(text: str, line: int) -> None:
        # once per text and line: warnings' own registry is cleared whenever any filter changes (JAX's do), and the
        # threads that build the runs load the file again
        key = (path, line, text)
        if key in _WARNED:
            return
        _WARNED[key] = text
        warnings.warn_explicit(text, NearMissWarning, path, line, module_globals=vars(module))

    for name, line in _top_level_assignments(tree):
        target = _MISPLACED.get(name.lower())
        if target is None or name in _CONTRACT or name in read or name in exported or not hasattr(module, name):
            continue
        value = getattr(module, name)
        if callable(value) or isinstance(value, ModuleType):
            continue
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        count = name.lower() in ("seeds", "n_seeds", "nseeds", "num_seeds") or target == "samples"
        if is_int(value) and value >= 0 and (count or target == "seeds"):  # seed = 3 is the seed 3, seeds = 3 a count
            given = (value if count else f"{value}-{value}") if on_command_line() else value if count else [value]
        else:
            given = "N" if count or target != "seeds" else "A-B" if on_command_line() else "[S1, S2]"
        option = f"{option_name(target)} {given}" if on_command_line() else f"{target}={given}"
        advice = {
            "duration": "the experiment's simulated time is named duration (ms)",
            "dt": "the experiment's step is named dt (ms)",
            "monitors": "what an experiment records is named monitors",
            "sweep": "an experiment's grid axes are named sweep ({'we': [0.4, 0.6]}; -p NAME=V1,V2 on the command "
                     "line) and its defaults are build()'s keyword defaults",
            "seeds": f"the seeds are the sweep's: give {option} (build() takes no seed: docs/random.md)",
        }.get(target, f"it is an option of the sweep: give {option_name(target)}")
        if target == "samples":
            advice = f"the number of samples is the sweep's: give {option}"
        warn(f"{path} sets {name} = {shown}, which brainbatch does not read (and nothing in the file uses): {advice}; "
             f"name it _{name} if it is meant for something else", line)
    if getattr(module, "analyse", None) is None:  # def analyze(ds): show runs only a function named analyse
        functions = {n: v for n, v in vars(module).items() if not n.startswith("_") and n != "build"
                     and inspect.isfunction(v) and v.__module__ == module.__name__}
        hint = did_you_mean("analyse", functions, cutoff=0.75)
        if hint:
            close = hint.split("'")[1]
            code = getattr(functions[close], "__code__", None)
            warn(f"{path} defines {close}() but no analyse(ds): brainbatch show --experiment runs only a function "
                 "named analyse, spelled so", code.co_firstlineno if code is not None else 1)


def _top_level_assignments(tree: Any) -> list[tuple[str, int]]:
    """``(name, line)`` of each name the module assigns outside functions and classes (``if``/``try`` blocks too)."""
    import ast

    found: list[tuple[str, int]] = []
    todo = list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        targets = (node.targets if isinstance(node, ast.Assign) else
                   [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        found += [(t.id, node.lineno) for t in targets if isinstance(t, ast.Name)]
        for field_name in ("body", "orelse", "finalbody", "handlers"):
            todo += [n for n in getattr(node, field_name, []) if isinstance(n, ast.AST)]
    return found


def _build_params(path: str, build: Callable, declared: Any) -> dict[str, Any]:
    """The defaults are ``build``'s keyword defaults; ``params`` may only repeat them or add missing ones."""
    if not isinstance(declared, dict):
        raise ExperimentError(f"params in {path} must be a dict of default values, got {type(declared).__name__}")
    sig = inspect.signature(build)
    takes_any = any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    accepted = {n: p for n, p in sig.parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    params = {n: p.default for n, p in accepted.items() if p.default is not p.empty}
    for name, value in declared.items():
        if name not in accepted and not takes_any:
            raise ExperimentError(
                f"params[{name!r}] in {path} is not an argument of build().{did_you_mean(name, accepted)}"
            )
        if name in params and not _same(params[name], value):
            raise ExperimentError(
                f"params[{name!r}] = {value!r} in {path} disagrees with build()'s default {name}={params[name]!r}; "
                "the defaults come from build(): drop the entry from params (or make them equal)"
            )
        params[name] = value
    missing = [n for n, p in accepted.items() if p.default is p.empty and n not in params]
    if missing:
        raise ExperimentError(f"build() in {path} needs values for {missing}: give defaults in build or params")
    return params


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return type(a) is type(b) and bool(a == b) or (_number(a) and _number(b) and a == b)
    except (TypeError, ValueError):  # arrays and other values without a single truth value
        return False


def _number(x: Any) -> bool:
    return is_real(x)


def _static(path: str, static: Any, params: dict) -> tuple[str, ...]:
    """Float parameters to compile per value; ints, bools and strings always are, so naming one is an error."""
    if isinstance(static, str) or not isinstance(static, (list, tuple)):
        raise ExperimentError(f"static in {path} must be a tuple of parameter names, got {static!r}")
    for name in static:
        if name not in params:
            raise ExperimentError(
                f"static names {name!r} in {path}, which is not a parameter of build().{did_you_mean(name, params)}"
            )
        if not isinstance(params[name], float):
            raise ExperimentError(
                f"static names {name!r} in {path}, whose default {params[name]!r} is not a float: only float "
                "parameters are swept as traced values, every other parameter is compiled per value anyway; "
                "remove it from static"
            )
    return tuple(static)


def _sweep_axes(path: str, sweep: Any, params: dict, build: Callable) -> tuple[dict[str, list], dict[str, Any]]:
    """The module's grid axes, and its ranges (a ``bb.Range`` for an axis: a sampled one, docs/sampling.md)."""
    from .ranges import Range

    if not isinstance(sweep, dict):
        raise ExperimentError(f"sweep in {path} must be a dict name -> list of values, got {type(sweep).__name__}")
    axes, ranges = {}, {}
    for name, values in sweep.items():
        if name not in params:
            raise ExperimentError(f"sweep axis {name!r} in {path} is not a parameter of build() (parameters: "
                                  f"{', '.join(params) or 'none'}).{did_you_mean(name, params)}")
        if isinstance(values, Range):
            ranges[name] = values
            continue
        if isinstance(values, (list, tuple)) and any(isinstance(v, Range) for v in values):
            raise ExperimentError(f"sweep axis {name!r} in {path} puts a range in a list ({values!r}): give the "
                                  f"range alone ({name!r}: bb.Range(low, high)) or a list of values")
        if isinstance(values, str) and not isinstance(params.get(name), str):
            raise ExperimentError(f"sweep axis {name!r} in {path} is the text {values!r}; give a list of values "
                                  f"(e.g. [1.0, 2.0]), or -p {name}={values} on the command line")
        try:
            values = plain_values(values, f"sweep axis {name!r} in {path}")
        except UsageError as err:
            raise ExperimentError(str(err)) from None
        if not values:
            raise ExperimentError(f"sweep axis {name!r} in {path} has no values")
        for v in values:
            if isinstance(v, (list, tuple, dict, set, np.ndarray)):
                raise ExperimentError(f"sweep axis {name!r} in {path} has the value {v!r}: each value of an axis is "
                                      "one number, text or true/false (the store labels each run by it)")
        axes[name] = values
    return axes, ranges


def plain_values(values: Any, what: str = "values") -> list:
    """A parameter's values as a list of plain Python values: a list or tuple, a ``range``, an array (NumPy's
    ``np.linspace(1, 2, 5)``, or JAX's, pandas'...) or one value; NumPy scalars become Python numbers. A set (no
    order) or a generator (read once) is refused, naming ``what`` (``specs.as_sequence``).

    >>> import numpy as np
    >>> plain_values(np.linspace(1, 2, 3)), plain_values((np.int64(5), 2)), plain_values(0.5), plain_values(range(2))
    ([1.0, 1.5, 2.0], [5, 2], [0.5], [0, 1])
    >>> plain_values(np.array([0.1, 0.3], np.float32)), plain_values([np.float32(0.7)])
    ([0.1, 0.3], [0.7])
    """
    from .specs import as_sequence

    values = as_sequence(values, what)
    if isinstance(values, range):
        values = list(values)
    if isinstance(values, np.ndarray):
        # a float32 array's elements as the decimals typed, 0.1, not 0.10000000149011612 (the store's label, which
        # ds.sel(tau=0.1) must find), as a float32 quantity's are (quantities._number); a float32 run computes the
        # same float32 value from either, and an x64 one the decimal typed, as from the quantity
        if values.dtype in (np.float32, np.float16) and values.ndim <= 1:
            values = [_plain_number(v) for v in values.reshape(-1)]
        else:
            values = values.tolist() if values.ndim > 0 else [values.item()]
    items = list(values) if isinstance(values, (list, tuple)) else [values]
    return [_plain_number(v) for v in items]


def _plain_number(value: Any) -> Any:
    """A NumPy scalar as a Python one, a float32 (or float16) one as the decimal it shows (``decimal_float``)."""
    if not isinstance(value, np.generic):
        return value
    return float(decimal_float(value)) if value.dtype in (np.float32, np.float16) else value.item()


def _positive(path: str, name: str, value: Any, given: bool = True) -> float:
    try:  # strict units hold the file's own values to them, not brainbatch's defaults it never wrote
        value = to_convention(name, value, "ms", path, strict=given)  # ``duration = 2 * u.second``: 2000 ms
    except UnitMismatch as err:
        raise ExperimentError(str(err)) from None
    try:
        if isinstance(value, (str, bytes)) or is_bool(value):  # float("100") would take a text, float(True) 1 ms
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        raise ExperimentError(f"{name} in {path} must be a number of ms (or a quantity such as 2 * u.second), "
                              f"got {value!r}") from None
    if not number > 0:
        raise ExperimentError(f"{name} in {path} must be positive, got {value!r}")
    return number
