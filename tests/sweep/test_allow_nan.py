"""Allowing NaN explicitly (docs/store.md, "When a run is done"; issue 19's invariant: "no NaN unless the
user allowed it"). The issue's example: a LIF with ``-p tau=20,0``, whose tau=0 run divides by zero.

All sweeps use one experiment file, tiny and 2 ms long, so the compiled program is shared.
"""
import numpy as np
import pytest
from _support import LIF_TAU, invoke, write_experiment

import brainbatch as bb

ARGS = ("sweep", LIF_TAU, "-p", "tau=20,0", "--seeds", "1", "-q")


def _status(out) -> dict:
    ds = bb.open_results(out)
    return {float(t): str(ds.status.sel(seed=0, tau=t).item()) for t in ds.tau.values}


def test_nan_fails_a_run_unless_allowed(tmp_path):
    strict = invoke(*ARGS, "--out", tmp_path / "strict.zarr")
    assert strict.returncode == 1 and "Inf in recorded variable 'V_E' at t = 0 ms (sample 0)" in strict.stderr, strict.stderr
    assert _status(tmp_path / "strict.zarr") == {20.0: "done", 0.0: "failed"}

    allowed = invoke(*ARGS, "--allow-nan", "--out", tmp_path / "allowed.zarr")
    assert allowed.returncode == 0, allowed.stderr
    assert _status(tmp_path / "allowed.zarr") == {20.0: "done", 0.0: "done"}
    ds = bb.open_results(tmp_path / "allowed.zarr")
    assert np.isnan(ds.V_E.sel(seed=0, tau=0.0).values[-1]).all()  # done, with its NaN kept as written
    assert np.isfinite(ds.V_E.sel(seed=0, tau=20.0).values).all()
    assert ds.time.size == 20  # only the NaN rule relaxes: the run still covers the whole time axis
    assert ds.attrs["provenance"]["allow_nan"] == "all"
    show = invoke("show", tmp_path / "allowed.zarr")
    assert "allow_nan: all variables" in show.stdout, show.stdout
    assert "allow_nan: none" in invoke("show", tmp_path / "strict.zarr").stdout


def test_an_allowance_for_another_variable_still_fails_the_run(tmp_path):
    # spikes may hold NaN (they cannot); V_E's Inf/NaN and E.V's still fail the run
    res = invoke(*ARGS, "--allow-nan", "spikes", "--out", tmp_path / "o.zarr")
    assert res.returncode == 1 and "Inf in recorded variable 'V_E'" in res.stderr, res.stderr
    assert _status(tmp_path / "o.zarr") == {20.0: "done", 0.0: "failed"}
    assert bb.open_results(tmp_path / "o.zarr").attrs["provenance"]["allow_nan"] == ["spikes"]


def test_naming_the_state_covers_its_record_and_back(tmp_path):
    # the Python keyword, naming the state: the record V_E monitors E.V, so it is allowed too
    res = bb.sweep(LIF_TAU, seeds=1, params={"tau": [20.0, 0.0]}, out=str(tmp_path / "s.zarr"), progress=False,
                   allow_nan=["E.V"])
    assert res.done == 2 and not res.failed
    # the module attribute, naming the record: the state E.V (-inf at the first step) is allowed too
    source = open(LIF_TAU).read() + '\nallow_nan = ["V_E"]\n'
    exp = write_experiment(tmp_path, "lif_allowed.py", source)
    res = invoke("sweep", exp, "-p", "tau=0", "-q", "--out", tmp_path / "m.zarr")
    assert res.returncode == 0, res.stderr
    assert bb.open_results(tmp_path / "m.zarr").attrs["provenance"]["allow_nan"] == ["V_E"]


def test_a_store_never_mixes_runs_checked_under_different_rules(tmp_path):
    out = tmp_path / "mix.zarr"
    assert invoke(*ARGS, "--out", out).returncode == 1
    wider = invoke(*ARGS, "--allow-nan", "--out", out)
    assert wider.returncode == 2 and "allow_nan: the store's runs were checked allowing NaN in no variable, " \
        "this sweep allows NaN in all variables; a store never mixes runs" in wider.stderr, wider.stderr
    assert len(wider.stderr.strip().splitlines()) == 1, wider.stderr
    # --force adopts a wider rule: done runs stay done (they passed the stricter one), the failed one is redone
    forced = invoke(*ARGS, "--allow-nan", "--force", "--out", out)
    assert forced.returncode == 0 and "1 already done" in forced.stderr + forced.stdout, forced.stderr
    assert _status(out) == {20.0: "done", 0.0: "done"}
    # a narrower rule: a kept run may hold NaN it refuses, so every run is redone under it
    assert invoke(*ARGS, "--out", out).returncode == 2
    narrower = invoke(*ARGS, "--force", "--out", out)
    assert narrower.returncode == 1 and "Inf in recorded variable 'V_E'" in narrower.stderr, narrower.stderr
    assert _status(out) == {20.0: "done", 0.0: "failed"}
    assert bb.open_results(out).attrs["provenance"]["allow_nan"] == []


@pytest.mark.parametrize("given, message", [
    (("--allow-nan", "V_e"), "--allow-nan names 'V_e', which is no record or state of this experiment. "
                             "Did you mean 'V_E'?"),
    (("--allow-nan", "E.v"), "Did you mean 'E.V'?"),
    (("--allow-nan", "all,V_E"), "--allow-nan is either 'all' or a list of names"),
    (("--allow-nan", "V_E,"), "--allow-nan has an empty name"),
])
def test_bad_names_are_refused_in_one_line(tmp_path, given, message):
    res = invoke(*ARGS, *given, "--out", tmp_path / "bad.zarr")
    assert res.returncode == 2 and message in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "bad.zarr").exists()


@pytest.mark.parametrize("value, message", [
    ('["Vx"]', "allow_nan in {path} names 'Vx', which is no record or state"),
    ("3", "allow_nan in {path} must be True, 'all' or a list of record / state names"),
])
def test_a_bad_module_allowance_is_refused(tmp_path, value, message):
    exp = write_experiment(tmp_path, "bad_allow.py", open(LIF_TAU).read() + f"\nallow_nan = {value}\n")
    res = invoke("sweep", exp, "--dry-run", "--out", tmp_path / "b.zarr")
    assert res.returncode == 2 and message.format(path=exp) in res.stderr, res.stderr


def test_run_takes_the_flag_too(tmp_path):
    res = invoke("run", LIF_TAU, "-p", "tau=0", "--allow-nan", "V_E", "-q", "--out", tmp_path / "r.zarr")
    assert res.returncode == 0, res.stderr
    assert bb.open_results(tmp_path / "r.zarr").status.item() == "done"



def test_inf_stays_refused_unless_that_variable_is_allowed(tmp_path):
    # V falls by 1/tau per ms: at tau=0 it is -Inf from the first step on, never NaN; allow_nan covers Inf too
    source = open(LIF_TAU).read().replace("(-(self.V.value + 60.0)) / self.tau", "-1.0 / self.tau")
    assert source != open(LIF_TAU).read()
    exp = write_experiment(tmp_path, "lif_inf.py", source)
    args = ("sweep", exp, "-p", "tau=0", "-q")
    other = invoke(*args, "--allow-nan", "spikes", "--out", tmp_path / "o.zarr")
    assert other.returncode == 1 and "Inf in recorded variable 'V_E' at t = 0 ms" in other.stderr, other.stderr
    allowed = invoke(*args, "--allow-nan", "V_E", "--out", tmp_path / "a.zarr")  # the record covers its state
    assert allowed.returncode == 0, allowed.stderr
    ds = bb.open_results(tmp_path / "a.zarr")
    assert ds.status.item() == "done" and np.isneginf(ds.V_E.values).all()
