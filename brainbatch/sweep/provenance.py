"""What a sweep records about itself in its store: the experiment file, git state, command, JAX, devices."""
from __future__ import annotations

import functools
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..core.units import unit_text
from .experiment import Experiment
from .model_hash import model_sha256
from .plan import SweepPlan

__all__ = ["provenance", "monitored", "monitored_index", "inputs_given", "module_values", "random_stream", "setup_of"]


def _git(path: str) -> dict:
    folder = os.path.dirname(os.path.abspath(path))
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True,
                                timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", os.path.basename(path)], cwd=folder,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": "", "git_dirty": None}
    return {"git_commit": commit, "git_dirty": bool(dirty) if commit else None}


def _event_kernels(devices: list[str]) -> str:
    """Which event-propagation path the sweep's devices run (docs in brainbatch/kernels/README.md)."""
    from ..kernels import KernelChoiceError, active_backend, kernel_choice
    from .device_choice import on_accelerator
    from .errors import UsageError

    if on_accelerator(devices):
        return "jax (accelerator)"
    try:  # asked before the store is made: a choice that cannot be honoured writes nothing
        return f"{active_backend()} (BRAINBATCH_KERNELS={kernel_choice()})"
    except KernelChoiceError as err:
        raise UsageError(str(err)) from None


def _platform(devices: list[str]) -> str:
    """The kinds of the sweep's devices (names like ``"cpu:0"``), e.g. ``"cpu"``; JAX's default where none is named.

    >>> _platform(["cpu:0", "cpu:1"]), _platform(["gpu:0"])
    ('cpu', 'gpu')
    """
    import jax

    return ",".join(sorted({str(d).split(":")[0] for d in devices})) or jax.default_backend()


def provenance(exp: Experiment, plan: SweepPlan, devices: list[str], command: str | None) -> dict:
    """The store's provenance attributes for this sweep."""
    import jax

    from ..store import utc_now as now

    return {
        # the first line of the experiment's docstring, which `brainbatch show` prints (docs/experiments.md)
        **({"description": exp.description} if exp.description else {}),
        "experiment_path": exp.path, "source_hash": exp.source_hash, **_git(exp.path),
        # the local modules the experiment imports: part of source_hash (sweep/sources.py)
        "helpers": {name: {"path": path, "sha256": sha} for name, (path, sha) in sorted(exp.helpers.items())},
        "command": command or " ".join(shlex.quote(a) for a in sys.argv),
        "jax_version": jax.__version__, "jax_devices": [str(d) for d in jax.devices()],
        # the kind of device the runs are computed on, recorded with the versions (store versions_seen)
        "platform": _platform(devices),
        # part of the store's identity, like dt (store/_create.py::compare_specs): a run is never continued,
        # nor a store extended, in the other precision
        "x64": bool(jax.config.read("jax_enable_x64")),
        "sweep_devices": devices, "event_kernels": _event_kernels(devices), "defaults": _recorded_defaults(exp.params),
        # the random numbers' source (JAX_DEFAULT_PRNG_IMPL, JAX_THREEFRY_PARTITIONABLE): another one draws other numbers
        # from every seed, so, like x64, part of the store's identity (store/_create.py::compare_specs)
        "random": random_stream(),
        # what each record holds: part of the store's identity (store/_create.py::compare_specs), so a record that
        # another sweep fills from another variable (an edited monitor, same name and shape) never joins its runs
        "monitored": monitored(exp.monitors),
        # and which elements: a pick of a 2-d group, a mask or a reduced pick has no coordinates that show it, so an
        # index edited to other elements of the same shape joined the done runs (compare_specs holds it as monitored)
        "monitored_index": monitored_index(exp.monitors),
        # and what drives the runs: the module's inputs, which it may read from the environment as it loads (the same
        # source then gave other runs, which joined the store's as one setup); compare_specs holds it as monitored
        "inputs": inputs_given(exp.inputs),
        # and the module's own numbers that build(), its model classes and its monitor and input functions read
        # (N_E = int(os.environ["NE"]) at the top, used in build): same source, other runs otherwise
        "module_values": module_values(exp),
        # the unit of each default build declares with one (def build(rate=0.02 * u.kHz)): 0.02 is in kHz
        "default_units": {k: unit_text(unit) for k, unit in exp.param_units.items() if unit is not None},
        "duration_ms": plan.duration, "started": now(),
        "sources": _sources(exp),
    }


def random_stream() -> str:
    """Where a run's random numbers come from: the key implementation ``jax.random.key(seed)`` makes (JAX's
    ``jax_default_prng_impl``, ``JAX_DEFAULT_PRNG_IMPL``) and, for threefry, its bit layout
    (``jax_threefry_partitionable``): either one changes every number drawn from a seed.

    >>> random_stream()  # JAX's defaults
    'threefry2x32 (partitionable)'
    """
    import jax

    impl = str(jax.config.jax_default_prng_impl)
    if not impl.startswith("threefry"):
        return impl
    layout = getattr(jax.config, "jax_threefry_partitionable", None)
    return impl if layout is None else f"{impl} ({'partitionable' if layout else 'not partitionable'})"


#: The files of brainbatch's own source that compute a run (its Python modules and the native kernels' C++).
_SOURCE_SUFFIXES = (".py", ".cc")


@functools.lru_cache(maxsize=1)
def code_versions() -> tuple[tuple[str, str], ...]:
    """The code that computes a run besides the experiment: brainbatch's version and a digest of its source files
    (an editable checkout or a copy on ``PYTHONPATH`` keeps its version when its code changes), jax's and jaxlib's
    versions. Each task carries the sweep's, and a dask worker whose differ fails its runs (``sweep/task.py``): its
    runs would be computed by other code than the store's ``versions_seen`` names. Read once per process, when a
    sweep first plans or runs a batch (a process that imported brainbatch before its files changed is not seen)."""
    import hashlib
    from importlib import metadata

    import jax
    import jaxlib

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts):
        try:
            data = path.read_bytes()
        except OSError:  # a file removed while it was listed: the digest differs, as the source does
            data = b""
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + data + b"\0")
    try:
        version = metadata.version("brainbatch")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return (("brainbatch", version), ("brainbatch source", digest.hexdigest()[:16]), ("jax", jax.__version__),
            ("jaxlib", str(getattr(jaxlib, "__version__", "unknown"))))


def monitored(monitors: object) -> dict[str, str]:
    """``{record: what it records}``: the variable path (``"G.V"``), or the function (``"fn name"``), and any
    reduction (``"G.V reduce=mean"``); a record's chosen elements are its coordinates (``VarSpec.coords``).

    >>> from brainbatch.run import Monitor
    >>> monitored({"V": "G.V", "m": Monitor("G.V", reduce="mean", every=2)})
    {'V': 'G.V', 'm': 'G.V reduce=mean'}
    """
    from ..run import normalize_monitors

    try:
        resolved = normalize_monitors(monitors)
    except (TypeError, ValueError, KeyError):  # refused by the plan before any store is made
        return {}
    out = {}
    for m in resolved:
        target = m.monitor.target
        # a function by its name only: the experiment's module name holds its source hash, which --force may change
        text = target if isinstance(target, str) else f"fn {getattr(target, '__qualname__', type(target).__name__)}"
        out[m.name] = text + (f" reduce={m.monitor.reduce}" if m.monitor.reduce else "")
    return out


#: The most elements an index is recorded with as a list; a larger one is recorded by its shape, dtype and digest.
MAX_INDEX_ITEMS = 64


def monitored_index(monitors: object) -> dict[str, str]:
    """``{record: its monitor's index}`` in a compact text, for every record whose monitor has one (a record without
    is the whole variable): the list of a short 1-d pick, ``slice(0, 10, 2)``, or ``bool[4, 5] sha256:<16 hex>`` of a
    mask or a long or multi-dim array; a tuple (a pick per axis) as a tuple of those. A store records it with
    ``monitored`` (``compare_specs`` refuses another, and ``--force`` redoes every run).

    >>> import numpy as np; from brainbatch.run import Monitor
    >>> monitored_index({"V": "G.V", "a": ("G.V", [3, 1]), "m": Monitor("G.V", index=slice(0, 4), reduce="mean"),
    ...                  "b": ("G.V", np.arange(20) % 2 == 0)})
    {'a': '[3, 1]', 'm': 'slice(0, 4, None)', 'b': 'bool[20] sha256:db0b3a221c58847f'}
    """
    from ..run import normalize_monitors

    try:
        resolved = normalize_monitors(monitors)
    except (TypeError, ValueError, KeyError):  # refused by the plan before any store is made
        return {}
    return {m.name: _index_text(m.monitor.index) for m in resolved if m.monitor.index is not None}


def _numbers(value: Any) -> Any:
    """``value`` as a NumPy array, or None where NumPy cannot read it as numbers (its text is all there is)."""
    import numpy as np

    try:
        values = np.asarray(value)
    except Exception:  # noqa: BLE001 - whatever NumPy cannot read
        return None
    return None if values.dtype == object else values


def _index_text(index: Any) -> str:
    import hashlib

    import numpy as np

    if isinstance(index, tuple):
        return "(" + ", ".join(_index_text(i) for i in index) + ")"
    if isinstance(index, slice):
        return f"slice({index.start!r}, {index.stop!r}, {index.step!r})"
    if index is Ellipsis:
        return "..."
    values = _numbers(index)
    if values is None:
        return repr(index)
    if values.dtype.kind in "iu" and values.ndim <= 1 and values.size <= MAX_INDEX_ITEMS:
        return str(values.tolist())
    canonical = np.ascontiguousarray(values.astype(values.dtype.newbyteorder("<")))  # the same text on any host
    digest = hashlib.sha256(canonical.tobytes() + str(values.shape).encode()).hexdigest()[:16]
    return f"{values.dtype.name}{list(values.shape)} sha256:{digest}"


def setup_of(exp: Experiment) -> tuple[tuple[str, str], ...]:
    """What the module gave this process that the store records as its runs' setup (``defaults``, ``monitored``,
    ``monitored_index``, ``inputs``), each as JSON text: a task carries the sweep's, and a process that loads the
    module otherwise (a dask worker in another environment) fails its runs (``simulations.py::_check_setup``)."""
    import json

    parts = {"defaults": _recorded_defaults(exp.params), "monitored": monitored(exp.monitors),
             "monitored_index": monitored_index(exp.monitors), "inputs": inputs_given(exp.inputs),
             "module_values": module_values(exp)}
    return tuple((name, json.dumps(value, sort_keys=True, default=repr)) for name, value in parts.items())


def module_values(exp: Experiment) -> dict[str, str]:
    """``{name: value}`` of the experiment module's own numbers (ints, floats, bools, None, numpy numbers and arrays,
    quantities, short lists of them) that its code run for a model reads: ``build`` and, followed through them, the
    functions and classes the module defines (a model's ``update``), and its monitor and input functions; and the
    default arguments and closed-over values of those functions (``"<qualname>(<name>)"``, ``_captured``). The source
    hash says what code ran, not what such a value was when the module loaded (``N_E = int(os.environ["NE"])``); a
    store records them and ``compare_specs`` refuses other values under the same source, as for ``defaults``. Text
    is left out (a path beside the file differs where the file is moved), and so are the contract's own settings
    (``duration``, ``dt``: the store holds them itself), and values read through a local module.

    >>> import types; m = types.ModuleType("m"); exec("N = 3; S = 'x'; f = lambda: N + len(S)", m.__dict__)
    >>> module_values(types.SimpleNamespace(module=m, build=m.f, monitors=None, inputs=()))
    {'N': '3'}
    """
    import inspect

    from ..run import normalize_inputs, normalize_monitors

    module = exp.module
    namespace = vars(module)
    roots: list = [exp.build]
    try:
        roots += [m.monitor.target for m in normalize_monitors(exp.monitors) if callable(m.monitor.target)]
        roots += [i.value for i in normalize_inputs(exp.inputs) if callable(i.value)]
    except (TypeError, ValueError, KeyError):  # refused by the plan before any store is made
        pass
    read: set[str] = set()
    seen: set[int] = set()
    captured: dict[str, Any] = {}
    stack = roots
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if obj is not exp.build:  # build's own defaults are the store's `defaults`
            captured.update(_captured(obj))
        for code in _code_objects(obj):
            for name in code.co_names:
                if name not in namespace or name in _CONTRACT_SETTINGS:
                    continue
                value = namespace[name]
                if (inspect.isfunction(value) or inspect.isclass(value)) and \
                        getattr(value, "__module__", None) == module.__name__:
                    stack.append(value)  # the module's own code: what it reads is read for the model too
                else:
                    read.add(name)
    # a captured None (``batch_size=None``) is a signature's placeholder far more often than a setting
    values = {**{name: namespace[name] for name in read}, **{k: v for k, v in captured.items() if v is not None}}
    out = {}
    for name in sorted(values):
        text = _number_text(values[name])
        if text is not None:
            out[name] = text
    return out


def _captured(obj: Any) -> dict[str, Any]:
    """The values a function (or each function of a class) took when the module defined it: its default arguments
    and the variables it closes over (``lambda t, a=AMP: a``, ``def make(a): return lambda t: a``), by
    ``"<qualname>(<name>)"``."""
    import inspect

    functions = [getattr(m, "__func__", m) for m in vars(obj).values()] if inspect.isclass(obj) else [obj]
    out: dict[str, Any] = {}
    for function in functions:
        function = inspect.unwrap(function) if inspect.isfunction(function) else None
        if function is None:
            continue
        code, where = function.__code__, function.__qualname__
        names = code.co_varnames[:code.co_argcount]
        for name, value in zip(names[len(names) - len(function.__defaults__ or ()):], function.__defaults__ or ()):
            out[f"{where}({name})"] = value
        out.update({f"{where}({name})": value for name, value in (function.__kwdefaults__ or {}).items()})
        for name, cell in zip(code.co_freevars, function.__closure__ or ()):
            try:
                out[f"{where}({name})"] = cell.cell_contents
            except ValueError:  # a cell not yet filled
                continue
    return out


#: the experiment contract's settings the store records itself (another duration extends the store in time)
_CONTRACT_SETTINGS = frozenset({"duration", "dt", "params", "sweep", "monitors", "inputs", "allow_nan", "static",
                                "data_files"})


def _code_objects(obj: Any) -> list:
    """The code objects of a function (with those nested in it) or of every function a class defines."""
    import inspect

    functions: list = []
    if inspect.isclass(obj):
        for member in vars(obj).values():
            member = getattr(member, "__func__", member)  # staticmethod, classmethod
            if isinstance(member, property):
                functions += [f for f in (member.fget, member.fset) if f is not None]
            elif inspect.isfunction(member):
                functions.append(member)
    else:
        function = getattr(obj, "__func__", obj)
        if inspect.isfunction(function):
            functions.append(function)
    # a method brainbatch wraps (a NeuGroup's update) is read through to the user's own code
    codes, todo = [], [inspect.unwrap(f).__code__ for f in functions]
    while todo:
        code = todo.pop()
        codes.append(code)
        todo += [c for c in code.co_consts if inspect.iscode(c)]  # lambdas, comprehensions, inner functions
    return codes


def _number_text(value: Any) -> str | None:
    """A module value's text where it is a number or numbers (``_input_text``), else None."""
    import numpy as np

    if value is None or isinstance(value, (bool, int, float, complex, np.generic)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_RECORDED_ITEMS:
            return None
        parts = [_number_text(v) for v in value]
        return None if any(p is None for p in parts) else "[" + ", ".join(str(p) for p in parts) + "]"
    # by the value's type only: hasattr on a module global such as `bb` (the package) loaded its lazy parts, and a
    # sweep of a model without quantities imported brainunit (tests/sweep/test_cache.py)
    if isinstance(value, np.ndarray) or type(value).__module__.split(".")[0] in ("brainunit", "jax", "jaxlib"):
        text = _input_text(value)
        return None if text.startswith("fn ") else text
    return None


def inputs_given(inputs: object) -> list[str]:
    """The module's Runner ``inputs`` in a compact text, one entry each in order: ``"G.V fix + 5.0"``; an array as
    ``float32[200, 20] sha256:<16 hex>``, a quantity with its unit, a function by its name (its body is the source
    hash's). A store records it (``compare_specs`` refuses another, and ``--force`` redoes every run).

    >>> import numpy as np
    >>> inputs_given([("G.V", 5.0), ("G.input", np.ones((3, 2), "float32"), "iter", "*")])
    ['G.V fix + 5.0', 'G.input iter * float32[3, 2] sha256:a5c1a22a2962f2d4']
    """
    from ..run import normalize_inputs

    try:
        resolved = normalize_inputs(inputs)
    except (TypeError, ValueError, KeyError):  # refused by the plan before any store is made
        return []
    return [f"{i.path} {i.type} {i.op} {_input_text(i.value)}" for i in resolved]


def _input_text(value: Any) -> str:
    if callable(value):
        return f"fn {getattr(value, '__qualname__', type(value).__name__)}"
    if hasattr(value, "mantissa") and hasattr(value, "unit"):  # a brainunit quantity: its number and unit
        return f"{_input_text(value.mantissa)} {value.unit}"
    values = _numbers(value)
    if values is None:
        return repr(value)
    if values.ndim == 0:
        return repr(values.item())
    return _index_text(values)


#: Source files larger than this are not copied into the store (their hash still is).
MAX_SOURCE_BYTES = 256 * 1024


def _sources(exp: Experiment) -> dict[str, str]:
    """``{path: text}`` of the experiment file and its local modules, as hashed (``brainbatch show --source``).

    A file that changed since it was hashed, or is too large or not UTF-8, is left out."""
    import hashlib

    out = {}
    # data files (``data_files``) are recorded by their sha256 in ``helpers``, not copied
    files = [(exp.path, None), *((path, sha) for name, (path, sha) in sorted(exp.helpers.items())
                                 if not name.startswith("data:"))]
    for path, sha in files:
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_SOURCE_BYTES + 1)
            if len(data) > MAX_SOURCE_BYTES or (sha is not None and hashlib.sha256(data).hexdigest() != sha):
                continue
            out[path] = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    if exp.path in out and not exp.helpers:  # the file alone is the whole hash: check it is the file that ran
        if exp.source_hash not in (model_sha256(out[exp.path].encode("utf-8")),
                                   hashlib.sha256(out[exp.path].encode("utf-8")).hexdigest()):
            del out[exp.path]
    return out


#: The most values a list or tuple default may hold to be recorded (a table of weights as a default stays unrecorded).
MAX_RECORDED_ITEMS = 64


def _recorded_defaults(params: dict) -> dict:
    """build()'s defaults a store records (and ``compare_specs`` holds each sweep to): plain numbers, text and bools,
    numpy scalars as the Python numbers they are (``tau=np.float32(os.environ["TAU"])`` went unrecorded, so a sweep
    with another TAU added its runs beside the store's as one set of fixed values), ``None``, and lists and tuples of
    at most ``MAX_RECORDED_ITEMS`` such values (as lists): an edit of ``boost=None`` to ``boost=0.5`` (or of
    ``sizes=(80, 20)``) kept the done runs under ``--force`` while the store's ``defaults`` named the new value.

    >>> import numpy as np; _recorded_defaults({"a": np.float32(0.5), "n": np.int64(3), "w": (1, 2.5), "x": None,
    ...                                         "f": print, "big": list(range(100))})
    {'a': 0.5, 'n': 3, 'w': [1, 2.5], 'x': None}
    """
    plain = {k: _plain_default(v) for k, v in params.items()}
    return {k: v for k, v in plain.items() if _recordable(v)}


def _plain_default(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers and tuples as lists, for recording."""
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)) and len(value) <= MAX_RECORDED_ITEMS:
        return [_plain_default(v) for v in value]
    return value


def _recordable(value: Any) -> bool:
    if value is None or isinstance(value, (int, float, str, bool)):
        return True
    return isinstance(value, list) and len(value) <= MAX_RECORDED_ITEMS and \
        all(v is None or isinstance(v, (int, float, str, bool)) for v in value)
