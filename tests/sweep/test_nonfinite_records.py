"""Inf in a record fails a run like NaN, and the error names the first bad time (issue 19 leftovers;
docs/store.md, "When a run is done"). The probe's records hold Inf from t = 0.5 ms and NaN from t = 1 ms
when bad = 1, and its state is finite again at the end, so only the record checks can tell.

All sweeps run in this process on one experiment, so they share one compiled program.
"""
import pytest
from _support import EXPERIMENTS

import brainbatch as bb

PROBE = str(EXPERIMENTS / "nonfinite.py")


def _sweep(tmp_path, name, allow_nan=None, **kw):
    return bb.sweep(PROBE, seeds=1, params={"bad": [0.0, 1.0]}, out=str(tmp_path / name), progress=False,
                    checkpoint_every=None, allow_nan=allow_nan, **kw)


def _errors(res) -> dict:
    return {c["bad"]: message for c, message in res.failed}


@pytest.mark.parametrize("allow, message", [
    (None, "Inf in recorded variable 'x' at t = 0.5 ms (sample 5)"),  # Inf before the NaN: the first one counts
    (["y"], "Inf in recorded variable 'x' at t = 0.5 ms (sample 5)"),  # not the chunk's first sample (0)
    (["x"], "NaN in recorded variable 'y' at t = 1 ms (sample 10)"),  # allow_nan covers Inf: x passes
])
def test_inf_or_nan_in_a_record_fails_the_run_and_names_its_first_time(tmp_path, allow, message):
    res = _sweep(tmp_path, "s.zarr", allow)
    assert res.done == 1 and list(_errors(res)) == [1.0], res.failed
    assert _errors(res)[1.0] == message
    ds = bb.open_results(res)
    assert ds.status.sel(bad=1.0).item() == "failed" and message in str(ds.error.sel(bad=1.0).item())


def test_allowing_both_keeps_the_values_as_written(tmp_path):
    res = _sweep(tmp_path, "a.zarr", ["x", "y"])
    assert res.done == 2 and not res.failed
    ds = bb.open_results(res).sel(seed=0, bad=1.0)
    assert (ds.x.sel(time=0.5) == float("inf")).all() and ds.y.sel(time=1.0).isnull().all()


def test_a_changed_allowance_is_refused_in_one_line(tmp_path):
    _sweep(tmp_path, "c.zarr", ["x", "y"])
    with pytest.raises(bb.BrainbatchError) as err:
        _sweep(tmp_path, "c.zarr", ["x"])
    text = str(err.value)
    assert "\n" not in text, text
    assert ("allow_nan: the store's runs were checked allowing NaN in x, y, this sweep allows NaN in x; a store "
            "never mixes runs checked under different rules. Pass force=True (CLI --force) to adopt this sweep's "
            "rule (a narrower rule redoes every run)") in text
