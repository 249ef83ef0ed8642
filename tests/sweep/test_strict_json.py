"""Every ``zarr.json`` of a store is strict JSON (RFC 8259: no bare NaN or Infinity), which readers other than
Python's lenient ``json`` (JavaScript's ``JSON.parse``, serde_json, Go) require of Zarr v3 metadata."""
import json

import pytest
from _support import write_experiment

import brainbatch as bb

BODY = """
import math
import brainbatch as bb

monitors = {"V": "G.V"}
duration = 1.0

def build(drive=1.5, cap=math.inf, floor=-math.inf, skip=float("nan")):
    return bb.Network(G=bb.LIF(3, V_rest=-60.0, V_initializer=-55.0))
"""


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"bare {name} in JSON")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_defaults_are_written_as_zarrs_strings_and_every_metadata_file_is_strict_json(tmp_path):
    exp = write_experiment(tmp_path, "nonfinite.py", BODY)
    out = tmp_path / "s.zarr"
    assert bb.sweep(exp, seeds=1, out=str(out), progress=False).done == 1
    files = sorted(out.rglob("zarr.json"))
    assert len(files) > 5
    for f in files:
        try:
            _strict(f.read_text())
        except ValueError as err:
            pytest.fail(f"{f.relative_to(out)}: {err}")
    root = _strict((out / "zarr.json").read_text())["attributes"]
    assert root["defaults"] == {"drive": 1.5, "cap": "Infinity", "floor": "-Infinity", "skip": "NaN"}
    assert root["provenance"]["defaults"]["cap"] == "Infinity"
    assert bb.open_results(out).attrs["defaults"]["skip"] == "NaN"  # the store reads back as written


def test_plain_xarray_is_told_which_values_are_results(tmp_path):
    """CF's ``ancillary_variables`` links each record to the per-run ``status``; the saved states say so too."""
    import xarray as xr

    exp = write_experiment(tmp_path, "plain.py", BODY)
    out = tmp_path / "p.zarr"
    bb.sweep(exp, seeds=1, out=str(out), progress=False)
    ds = xr.open_zarr(out, decode_coords="all")
    assert ds["V"].attrs.get("ancillary_variables") == "status" or "status" in ds["V"].coords
    assert "done" in ds["status"].attrs["flag_meanings"]
    # every chunk is written, as the root's `integrity` says: coordinates too (seed 0 equals the fill value)
    assert ds.attrs["integrity"]["empty_chunks"] == "written" and ds["seed"].values.tolist() == [0]
    assert (out / "seed" / "c" / "0").is_file()
    states = xr.open_zarr(out, group="states")
    assert "status" in states["G.V"].attrs["comment"] and "done" in states["G.V"].attrs["comment"]
