"""Finding damaged runs: missing chunks, chunks that fail their checksum, unreadable metadata.

A done run is damaged when any chunk of its records or states is missing (stores that write every
chunk, see README "Checksums") or does not decode (a crc32c mismatch, a truncated chunk), or when
an array it needs has metadata that cannot be read. Only reads; the sweep's coordinator queues the
damaged runs again.
"""
from __future__ import annotations

import itertools

import numpy as np

from . import _layout as L

Index = tuple[int, ...]


def damaged_runs(store, full: bool = True) -> dict[Index, str]:
    """``{run index: why}`` for every done run of ``store`` (a ``ResultStore``) whose data are damaged.

    (``_store.py`` calls this; it is not imported back, even for a type hint: imports point one way.)

    ``full=False`` checks metadata and that every chunk is present (a listing: fast); ``full=True``
    also reads every chunk of every done run (checksums and decoding).
    """
    status = store.status()
    out: dict[Index, str] = {idx: f"its status chunk cannot be read ({why})" for idx, why in store.unreadable.items()}
    done = [tuple(int(i) for i in idx) for idx in np.argwhere(status == "done")]
    if not done:
        return out
    every_chunk = store._root.attrs.get("integrity", {}).get("empty_chunks") == "written"
    names = [v.name for v in store.spec.records] + [f"{L.STATES_GROUP}/{v.name}" for v in store.spec.states]
    n_run_dims = len(store.spec.run_shape)
    for name in names:
        try:
            arr = store._root[name]
        except Exception as err:  # noqa: BLE001 - unreadable zarr.json: every done run needs it
            for idx in done:
                out.setdefault(idx, f"the metadata of {name!r} cannot be read ({type(err).__name__})")
            continue
        tail = [range(n) for n in arr.cdata_shape[n_run_dims:]]
        present = _chunk_keys(store, name) if every_chunk else None
        for idx in done:
            if idx in out:
                continue
            for rest in itertools.product(*tail):
                coords = (*idx, *rest)
                key = arr.metadata.encode_chunk_key(coords)
                if present is not None and f"{name}/{key}" not in present:
                    out[idx] = f"chunk {key} of {name!r} is missing"
                    break
                if full:
                    try:
                        arr.blocks[coords]
                    except Exception as err:  # noqa: BLE001 - checksum mismatch, truncation, bad codec data
                        out[idx] = f"chunk {key} of {name!r} is damaged ({_short(err)})"
                        break
    return dict(sorted(out.items()))


def _chunk_keys(store, name: str) -> set[str]:
    from zarr.core.sync import sync

    zstore = store._root.store_path.store

    async def collect() -> list[str]:
        return [k async for k in zstore.list_prefix(f"{name}/c")]

    return set(sync(collect()))


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else ""
    if "checksum" in text.lower():
        return "crc32c checksum mismatch"
    return f"{type(err).__name__}: {text[:120]}" if text else type(err).__name__
