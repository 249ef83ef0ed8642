"""What to say when a path given to ``status``, ``show`` or ``plot`` is no store: where it was looked for, and
the stores that lie near it (a store is named after the swept parameters, so ``results/coba/we.zarr`` of the
README is ``we-wi.zarr`` after a sweep with ``-p wi=...`` too; a folder of stores is not a store). And when the
experiment file of ``sweep`` or ``run`` does not exist: the closest Python file beside it, or the missing folder.

Only names and the root ``zarr.json`` of folders are read (no zarr, no JAX): a folder is a brainbatch store when
its ``zarr.json`` has a ``brainbatch_schema`` attribute (``brainbatch.store.is_store_folder``).

>>> missing_text("results/coba/we.zarr", "/nowhere/results/coba/we.zarr")
"no store at 'results/coba/we.zarr' (looked for /nowhere/results/coba/we.zarr: /nowhere does not exist)"
"""
from __future__ import annotations

import os
import shlex
from collections.abc import Callable

from ..errors import did_you_mean
from ..store import enclosing_store, is_store_folder
from .text import safe

__all__ = ["experiment_meant", "folder_experiment_text", "missing_experiment_text", "missing_text", "folder_of_stores_text", "stores_in"]

#: at most this many entries of a folder are looked at, and this many stores named
_SCAN = 500
_SHOWN = 8


def stores_in(folder: str, depth: int = 2, _budget: list[int] | None = None) -> list[str]:
    """The stores under ``folder`` (paths relative to it, sorted), ``depth`` levels down at most; a store's own
    folders are not searched, and a few thousand folders at most are looked at."""
    budget = [_SCAN * 4] if _budget is None else _budget
    found: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)[:_SCAN]
    except OSError:
        return found
    for entry in entries:
        budget[0] -= 1
        if budget[0] < 0:
            break
        try:
            if not entry.is_dir():
                continue
        except OSError:
            continue
        if is_store_folder(entry.path):
            found.append(entry.name)
        elif depth > 1:
            found += [os.path.join(entry.name, inner) for inner in stores_in(entry.path, depth - 1, budget)]
    return found


def _quoted(path: str) -> str:
    """A path as a shell takes it (``'my results/a.zarr'``), escaped for the terminal."""
    return safe(shlex.quote(path))


def _stem(name: str) -> str:
    return name[:-len(".zarr")] if name.endswith(".zarr") else name


def _listed(folder_shown: str, names: list[str]) -> str:
    more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return f"Stores in {_quoted(folder_shown)}: {', '.join(_quoted(n) for n in names[:_SHOWN])}{more}"


def missing_text(path: str, local: str) -> str:
    """The error for a local store path that does not exist: the absolute path looked for and its first
    missing folder, or the stores in its folder with the closest name."""
    return _missing_text(path, local) + unexpanded_home(path)


def _missing_text(path: str, local: str) -> str:
    absolute = os.path.abspath(local)
    parent = os.path.dirname(absolute)
    outer = enclosing_store(absolute)
    if outer is not None:  # we.zarr/spikes_E: a name inside a store
        shown = os.path.relpath(outer) if not os.path.relpath(outer).startswith("..") else outer
        return (f"no store at {safe(repr(path))}: it would lie inside the store {safe(repr(shown))} (a store is one "
                "folder); give the store's path")
    if os.path.isdir(parent):
        names = stores_in(parent, depth=1)
        if names:
            folder = os.path.dirname(path.rstrip("/" + os.sep))
            # by the names without their ".zarr", which would make every store look alike
            stems = {_stem(n): n for n in names}
            hint = did_you_mean(_stem(os.path.basename(absolute)), stems)
            close = next((n for stem, n in stems.items() if hint == f" Did you mean {stem!r}?"), None)
            meant = f" Did you mean {os.path.join(folder, close)!r}?" if close else ""
            return f"no store at {safe(repr(path))}.{safe(meant)} {_listed(folder or '.', names)}"
        return f"no store at {safe(repr(path))} (looked for {safe(absolute)}: the folder holds no brainbatch store)"
    first_missing = absolute
    while not os.path.isdir(os.path.dirname(first_missing)) and os.path.dirname(first_missing) != first_missing:
        first_missing = os.path.dirname(first_missing)
    corrected = corrected_path(path, lambda folder: {_stem(n): n for n in stores_in(folder, depth=1)}, _stem)
    return (f"no store at {safe(repr(path))} (looked for {safe(absolute)}: {safe(first_missing)} does not exist)"
            + (f". Did you mean {safe(repr(corrected))}?" if corrected else ""))


def _closest(name: str, choices: list[str]) -> str | None:
    """The choice ``did_you_mean`` offers for ``name``, or None."""
    hint = did_you_mean(name, choices)
    return next((c for c in choices if hint == f" Did you mean {c!r}?"), None)


def corrected_path(path: str, last: Callable[[str], dict[str, str]], key: Callable[[str], str]) -> str | None:
    """``path`` (as typed, relative or not) with each folder that does not exist replaced by the closest folder
    beside it (``Experiments/coba.py``: ``experiments``; ``results/cob/we.zarr``: ``coba``), and its last part by
    the closest of ``last(folder)`` (``{key: name}``, compared by ``key(part)``), where that names something; else
    None. At most two folders are replaced and a few hundred entries of each folder looked at."""
    parts = path.split(os.sep)
    real = os.sep if os.path.isabs(path) else os.curdir
    shown: list[str] = []
    fixed = 0
    for k, part in enumerate(parts):
        final = k == len(parts) - 1
        if part in ("", os.curdir, os.pardir) or (not final and os.path.isdir(os.path.join(real, part))):
            shown.append(part)
            real = os.path.join(real, part) if part else real
            continue
        if final:
            choices = last(real)
            match = choices.get(key(part)) or choices.get(_closest(key(part), list(choices)) or "")
        else:
            try:
                folders = [e.name for e in list(os.scandir(real))[:_SCAN] if e.is_dir()]
            except OSError:
                return None
            match = _closest(part, folders)
            fixed += 1
        if match is None or fixed > 2:
            return None
        shown.append(match)
        real = os.path.join(real, match)
    return os.sep.join(shown) if fixed else None


def _zarr_arrays_in(folder: str) -> bool:
    try:
        return any(os.path.exists(os.path.join(e.path, "zarr.json")) for e in list(os.scandir(folder))[:_SCAN])
    except OSError:
        return False


def folder_of_stores_text(path: str, local: str) -> str | None:
    """The error for a folder that is no store (``results/coba``: no ``zarr.json``, not inside a store), naming
    the stores it holds; None for anything else, which the store layer judges."""
    if os.path.exists(os.path.join(local, "zarr.json")) or enclosing_store(local) is not None:
        return None
    names = stores_in(local, depth=3)
    if not names:
        if _zarr_arrays_in(local):  # a store that lost its root metadata: the store layer says so
            return None
        return (f"{safe(repr(path))} is a folder, not a brainbatch store (it has no zarr.json); give the path of a "
                "store a sweep wrote, such as results/coba/we.zarr")
    shown = [os.path.normpath(os.path.join(path, n)) for n in names]
    more = f" and {len(shown) - _SHOWN} more" if len(shown) > _SHOWN else ""
    return (f"{safe(repr(path))} is a folder of brainbatch stores, not a store itself; give one of them: "
            f"{', '.join(_quoted(s) for s in shown[:_SHOWN])}{more}")


def unexpanded_home(path: str) -> str:
    """A note for a path that starts with an unexpanded ``~`` (quoted, or after ``=`` as in ``--out=~/x``: the shell
    leaves it as typed, and brainbatch then looked in, or made, a folder named ``~``), else ``""``.

    >>> unexpanded_home("~/plots")
    " ('~' was not expanded: the shell leaves it as typed in quotes or after '=' (--out=~/x); write $HOME/...)"
    """
    if path.startswith("~"):  # ~/x, or ~user/x
        return " ('~' was not expanded: the shell leaves it as typed in quotes or after '=' (--out=~/x); write $HOME/...)"
    return ""


def missing_experiment_text(path: str) -> str:
    """The error for an experiment file that does not exist: the closest Python file in its folder
    (``my_experiment`` for ``my_experiment.py``), or the folder that does not exist.

    >>> missing_experiment_text("/nowhere/coba.py")
    "experiment file '/nowhere/coba.py' does not exist (/nowhere does not exist)"
    """
    return _missing_experiment_text(path) + unexpanded_home(path)


def _python_files(folder: str) -> dict[str, str]:
    """The Python files of ``folder`` by their name without ``.py`` (a few hundred entries looked at)."""
    try:
        files = sorted(e.name for e in list(os.scandir(folder))[:_SCAN] if e.name.endswith(".py") and e.is_file())
    except OSError:
        files = []
    return {f[:-3]: f for f in files}


def _in_subfolders(folder: str, name: str) -> str | None:
    """``sub/name`` for the first folder ``sub`` of ``folder`` (by name, hidden ones and stores left out) that holds
    the file ``name`` (or ``name.py``), else None: a file typed without the folder it lies in."""
    wanted = (name,) if name.endswith(".py") else (name, name + ".py")
    try:
        subs = sorted(e.name for e in list(os.scandir(folder))[:_SCAN]
                      if e.is_dir() and not e.name.startswith((".", "_")) and not e.name.endswith(".zarr"))
    except OSError:
        return None
    for sub in subs:
        for file in wanted:
            if file.endswith(".py") and os.path.isfile(os.path.join(folder, sub, file)):
                return os.path.join(sub, file)
    return None


def folder_experiment_text(path: str, local: str, command: str = "sweep") -> str:
    """The error for a folder given as the experiment: a store (its experiment file, from the store's provenance),
    or a folder of experiment files (named)."""
    if is_store_folder(local):
        written = _store_experiment(local)
        return (f"{safe(repr(path))} is a brainbatch store, not an experiment: sweep and run take the experiment's "
                f"Python file, and --out names the store (brainbatch {command} {_quoted(written or 'EXPERIMENT.py')} "
                f"--out {_quoted(path)} ...); status, show and plot read a store")
    files = sorted(_python_files(local).values())
    shown = [os.path.join(path, f) for f in files if not f.startswith("_")]
    if not shown:
        return (f"{safe(repr(path))} is a folder, not an experiment: give an experiment's Python file (.py), such as "
                "experiments/coba.py")
    more = f" and {len(shown) - _SHOWN} more" if len(shown) > _SHOWN else ""
    return (f"{safe(repr(path))} is a folder, not an experiment: give one experiment file, e.g. "
            f"{', '.join(_quoted(s) for s in shown[:_SHOWN])}{more}")


def _store_experiment(local: str) -> str | None:
    """The experiment path a store's provenance records (its root zarr.json read as JSON only), else None."""
    import json

    try:
        with open(os.path.join(local, "zarr.json"), "rb") as fh:
            written = json.loads(fh.read(1 << 22))["attributes"]["provenance"]["experiment_path"]
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return None
    if not isinstance(written, str) or not written:
        return None
    relative = os.path.relpath(written) if os.path.isabs(written) else written
    return relative if not relative.startswith("..") else written


def experiment_meant(path: str) -> str | None:
    """The experiment file a path that does not exist most likely means, as ``sweep``'s error names it: the closest
    Python file beside it, the file of that name in a folder beside it, or the path with its misspelled folder
    corrected; else None. ``show --experiment`` names it too (it said only "is not a file").

    >>> experiment_meant("/nowhere/coba.py") is None
    True
    """
    return _meant(path)[0]


def _meant(path: str) -> tuple[str | None, str]:
    """``(the path meant or None, where it was looked for: " (... does not exist)", " (looked for ...)" or "")``."""
    absolute = os.path.abspath(path)
    parent = os.path.dirname(absolute)
    if not os.path.isdir(parent):
        first_missing = absolute
        while not os.path.isdir(os.path.dirname(first_missing)) and os.path.dirname(first_missing) != first_missing:
            first_missing = os.path.dirname(first_missing)
        meant = corrected_path(path, _python_files, lambda name: name[:-3] if name.endswith(".py") else name)
        return meant, f" ({safe(first_missing)} does not exist)"
    name = os.path.basename(absolute)
    stems = _python_files(parent)
    hint = did_you_mean(name[:-3] if name.endswith(".py") else name, stems)
    close = next((f for stem, f in stems.items() if hint == f" Did you mean {stem!r}?"), None)
    if close is not None:
        return os.path.join(os.path.dirname(path), close), ""
    inside = _in_subfolders(parent, name)  # `brainbatch sweep coba.py` typed where experiments/ lies
    return (os.path.join(os.path.dirname(path), inside) if inside else None), f" (looked for {safe(absolute)})"


def _missing_experiment_text(path: str) -> str:
    meant, where = _meant(path)
    return (f"experiment file {safe(repr(path))} does not exist{where}"
            + (f". Did you mean {safe(repr(meant))}?" if meant else ""))
