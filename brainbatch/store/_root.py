"""Opening a store's root group and checking it is a brainbatch store of this schema version."""
from __future__ import annotations

import json
import os
import warnings
from typing import Any

import zarr

from ._errors import StoreDamagedError, StoreError
from ._layout import CF_DECODING, SCHEMA_VERSION, STATES_GROUP, STATUS, STATUS_FLAGS
from ._lease import Owner
from ._location import exists, local_path, zarr_store

#: Root attribute of a store being created (its owner); replaced by the real attributes when complete.
BUILDING = "brainbatch_building"


def _read_bytes(path: str | os.PathLike, key: str) -> bytes | None:
    """Raw bytes of ``key`` inside the store (None when absent); no Zarr parsing."""
    local = local_path(path)
    if local is not None:
        try:
            with open(os.path.join(local, key), "rb") as fh:
                return fh.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
    import fsspec

    fs, root = fsspec.core.url_to_fs(os.fspath(path))
    try:
        return fs.cat_file(f"{root.rstrip('/')}/{key}")
    except FileNotFoundError:
        return None


def read_root_attrs(path: str | os.PathLike) -> dict[str, Any]:
    """The root ``zarr.json`` attributes, read as plain JSON; ``StoreDamagedError`` for a damaged root.

    A root that does not parse, next to brainbatch's own arrays, is damage, not a foreign folder.
    """
    name = os.fspath(path)
    raw = _read_bytes(path, "zarr.json")
    ours = any(_read_bytes(path, f"{node}/zarr.json") is not None for node in (STATUS, STATES_GROUP))
    if raw is None:
        if ours:
            raise StoreDamagedError(
                f"{name!r} is a damaged brainbatch store: its root metadata (zarr.json) is missing, though its "
                "runs' arrays are there. Restore zarr.json from a backup, or sweep into a new store")
        raise _not_a_store(path, "not a Zarr group: no zarr.json",
                           _NOT_A_STORE_ADVICE)
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict) or not isinstance(doc.get("attributes", {}), dict):
            raise ValueError("not a JSON object with attributes")
    except (ValueError, UnicodeDecodeError, RecursionError) as err:  # RecursionError: JSON nested too deep
        what = "a damaged brainbatch store" if ours else "damaged (or not a Zarr store)"
        raise StoreDamagedError(
            f"{name!r} is {what}: its root metadata (zarr.json, {len(raw)} bytes) does not parse ({err}). "
            "Restore zarr.json from a backup, or sweep into a new store") from None
    return doc.get("attributes", {})


def is_store_folder(folder: str | os.PathLike) -> bool:
    """Whether a local ``folder`` holds a brainbatch store's root metadata (``zarr.json`` with ``brainbatch_schema``).
    Reads that one file only (no zarr), and never raises."""
    try:
        with open(os.path.join(folder, "zarr.json"), "rb") as fh:
            doc = json.loads(fh.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("attributes"), dict) and "brainbatch_schema" in doc["attributes"]


def enclosing_store(path: str | os.PathLike) -> str | None:
    """The brainbatch store a local ``path`` lies inside (an array or group of it), else None."""
    local = local_path(path)
    if local is None:
        return None
    here = os.path.abspath(local)
    for _ in range(8):  # an array of a store lies at most a few levels down (states/<path>, checkpoint/...)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
        if is_store_folder(here):
            return here
    return None


#: what to do about a path that is no store; the same words serve a reader (status, show) and a sweep's --out
_NOT_A_STORE_ADVICE = ("Give the path of a store a sweep wrote; as a sweep's output, choose a new path (or remove this "
                       "one first, if it is yours to remove).")


def _not_a_store(path: str | os.PathLike, what: str, advice: str) -> StoreError:
    """The error for a path that is not a store; one that lies inside a store names that store instead
    (and never suggests removing a part of it)."""
    name = os.fspath(path)
    outer = enclosing_store(path)
    if outer is not None:
        local = local_path(path) or name
        inner = os.path.relpath(os.path.abspath(local), outer)
        shown = os.path.relpath(outer) if not os.path.relpath(outer).startswith("..") else outer
        return StoreError(f"{name!r} is {inner!r} inside the brainbatch store {shown!r}, not a store of its own; "
                          f"give the store's path ({shown!r})")
    return StoreError(f"{name!r} is not a brainbatch store ({what}). {advice}")


def _has_our_status(path: str | os.PathLike) -> bool:
    raw = _read_bytes(path, f"{STATUS}/zarr.json")
    try:
        meaning = json.loads(raw).get("attributes", {}).get("flag_meanings") if raw else None
    except (ValueError, AttributeError, RecursionError):
        return False
    return meaning == "pending running done failed"


def open_root(path: str | os.PathLike, mode: str = "r") -> zarr.Group:
    """The root group of the brainbatch store at ``path``; ``StoreError`` for anything else.

    Only reads while checking (the group is opened read-only unless ``mode`` is ``"r+"``), so a
    path that turns out not to be a store is left exactly as it was.
    """
    if mode not in ("r", "r+"):
        raise StoreError(f"mode must be 'r' (read) or 'r+' (read and write runs), got {mode!r}")
    if not exists(path):
        raise StoreError(f"no store at {os.fspath(path)!r}: the path does not exist or is empty")
    local = local_path(path)
    if local is not None and os.path.isfile(local):  # zarr's own words were "No group found in store ... at path ''"
        raise StoreError(f"{os.fspath(path)!r} is a file, not a brainbatch store (a store is a folder, such as "
                         "results/coba/we.zarr)")
    if local is None or os.path.isdir(local):
        attrs = read_root_attrs(path)
        if BUILDING in attrs and "brainbatch_schema" not in attrs:
            owner = attrs[BUILDING]
            who = str(Owner.from_json(owner) or owner)
            raise StoreError(
                f"{os.fspath(path)!r} is a brainbatch store still being created, or whose creation was cut off "
                f"({who}); run the sweep again to finish it")
    try:
        # use_consolidated=False: always read each node's own metadata, never a possibly stale summary
        root = zarr.open_group(zarr_store(path, read_only=mode == "r"), mode=mode, use_consolidated=False)
    except Exception as exc:  # noqa: BLE001 - zarr raises several types for "not a group here"
        raise _not_a_store(path, f"not a Zarr group: {exc}",
                           _NOT_A_STORE_ADVICE) from None
    attrs = root.attrs.asdict()
    if "brainbatch_schema" not in attrs and _has_our_status(path):
        raise StoreDamagedError(
            f"{os.fspath(path)!r} is a damaged brainbatch store: its root metadata (zarr.json) lost brainbatch's "
            "attributes, though its runs' arrays are there. Restore zarr.json from a backup, or sweep into a new store")
    if "brainbatch_schema" not in attrs:
        if enclosing_store(path) is not None:
            raise _not_a_store(path, "", "")
        raise StoreError(
            f"{os.fspath(path)!r} is a Zarr group but not a brainbatch store (no 'brainbatch_schema' "
            "attribute). Choose another path."
        )
    if attrs["brainbatch_schema"] == SCHEMA_VERSION:
        _check_design(os.fspath(path), attrs.get("design"))
    if attrs["brainbatch_schema"] != SCHEMA_VERSION or root.metadata.zarr_format != 3:
        raise StoreError(
            f"{os.fspath(path)!r} is a brainbatch store of schema version {attrs['brainbatch_schema']!r}; "
            f"this brainbatch reads and writes version {SCHEMA_VERSION} only. Use the brainbatch version "
            "that wrote it, or write a new store."
        )
    return root


def _check_design(path: str, design: Any) -> None:
    """The root ``design`` attribute is absent (a grid) or has the form ``_create.py`` writes; anything
    else is a damaged store (readers such as ``show`` and ``plot`` use its fields)."""
    why = None
    if design is None:
        return
    if not isinstance(design, dict):
        why = f"it is {type(design).__name__}, not an object"
    elif not isinstance(design.get("samples"), int) or isinstance(design.get("samples"), bool) \
            or design["samples"] < 0:
        why = f"its sample count {str(design.get('samples'))[:20]!r} is not a whole number"
    elif not isinstance(design.get("ranges"), dict) or not all(
            isinstance(r, dict) and all(isinstance(r.get(k), (int, float)) and not isinstance(r.get(k), bool)
                                        for k in ("low", "high")) for r in design["ranges"].values()):
        why = "its ranges are not {name: {low, high, ...}}"
    elif not isinstance(design.get("extendable", True), bool):
        why = "its 'extendable' flag is not true/false"
    if why:
        raise StoreDamagedError(f"{path!r} is a damaged brainbatch store: its 'design' attribute is malformed "
                                f"({why}). Restore zarr.json from a backup, or sweep into a new store")


#: What decides how an array's chunks decode and where they sit: a copy that differs in any of these misreads them.
_DECODING_KEYS = ("shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs", "dimension_names")


def consolidated_problems(path: str | os.PathLike) -> dict[str, str]:
    """``{array path: why}`` for each array whose copy in the root's consolidated metadata (what plain
    ``xarray.open_zarr`` reads by default; brainbatch never does) disagrees with the array's own ``zarr.json``
    in how its chunks decode: an edited copy made a plain reader serve other numbers for done runs while every
    chunk passed its checksum. ``consolidate`` (every sweep) rewrites the copy from the arrays."""
    try:
        doc = json.loads(_read_bytes(path, "zarr.json") or b"{}")
        copies = doc.get("consolidated_metadata", {}).get("metadata", {})
    except (ValueError, AttributeError, UnicodeDecodeError, RecursionError):
        return {}  # no summary to trust or distrust: a damaged root is reported by read_root_attrs
    if not isinstance(copies, dict):
        return {"zarr.json": "its consolidated metadata is malformed"}
    out: dict[str, str] = {}
    for name, copy in sorted(copies.items()):
        if not isinstance(copy, dict) or copy.get("node_type") != "array":
            continue
        try:
            own = json.loads(_read_bytes(path, f"{name}/zarr.json") or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):
            own = None
        if not isinstance(own, dict):
            out[name] = f"array {name!r} is in the root's consolidated metadata but its own zarr.json is missing or damaged"
            continue
        differ = [k for k in _DECODING_KEYS if copy.get(k) != own.get(k)]
        mine, theirs = (_attributes(own), _attributes(copy))
        # the names a plain reader gives the status codes too (STATUS_FLAGS: the copy is what xarray.open_zarr shows)
        differ += [f"attribute {k}" for k in (*CF_DECODING, "units", *STATUS_FLAGS) if mine.get(k) != theirs.get(k)]
        if differ:
            out[name] = (f"the copy of array {name!r}'s metadata in the root zarr.json (consolidated, read by plain "
                         f"xarray.open_zarr) differs from its own zarr.json in {', '.join(differ)}")
    return out


def _attributes(document: dict) -> dict:
    found = document.get("attributes")
    return found if isinstance(found, dict) else {}


def consolidate(path: str | os.PathLike) -> None:
    """Refresh consolidated metadata, so plain ``xarray.open_zarr(path)`` opens without a warning.

    Called by the coordinator after every metadata change; workers and brainbatch's own readers
    never rely on it.
    """
    with warnings.catch_warnings():
        # zarr warns that consolidated metadata is not in the v3 spec yet; other readers ignore it
        warnings.simplefilter("ignore")
        zarr.consolidate_metadata(zarr_store(path, read_only=False), zarr_format=3)


def group_problem(root: Any, name: str) -> str | None:
    """Why the group ``name`` of a store's ``root`` has a ``zarr.json`` that does not read as a Zarr v3 group's (emptied,
    cut off, edited into an array's), else None (also where it has none: a store made before it, or lost). Zarr reads
    the arrays under it by their own ``zarr.json``, but xarray opens the group, so ``open_results`` cannot."""
    from ._zarr_compat import get_bytes

    try:
        raw = get_bytes(root, f"{name}/zarr.json")
    except Exception:  # noqa: BLE001 - none there
        return None
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        return f"the metadata of group {name!r} cannot be read ({type(err).__name__})"
    if not isinstance(doc, dict) or doc.get("node_type") != "group" or doc.get("zarr_format") != 3:
        return f"the metadata of group {name!r} does not describe a Zarr v3 group"
    return None
