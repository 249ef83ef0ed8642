"""Leftovers of session 40 on what a sweep says and refuses.

- A dry run after a forced change of source says what the sweep does: runs computed by another source, kept
  through ``--force``, run again from step 0 when the store grows in time (they were said to continue, and a forced
  new source with a longer duration was "0 to run").
- What a record holds includes its monitor's ``index`` (provenance ``monitored_index``): a pick with no coordinates
  of its own (a reduction over chosen elements, a 2-d group, a mask) edited to other elements of the same shape was
  joined to the done runs silently; it is refused as another variable is, and ``--force`` redoes every run.
"""
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import TOY, invoke, write_experiment  # noqa: E402

import brainbatch as bb  # noqa: E402
from brainbatch.sweep import UsageError, experiment  # noqa: E402

SWEEP = dict(seeds=1, params={"drive": [1.5]}, progress=False, devices="cpu")


def _dry(experiment, out, duration, *more):
    shown = invoke("sweep", experiment, "--seeds", "1", "-p", "drive=1.5", "--duration", duration, "--out", out,
                   "--dry-run", *more)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_the_dry_run_after_a_forced_new_source_says_which_runs_start_again(tmp_path):
    exp = tmp_path / "toy.py"
    source = Path(TOY).read_text()
    exp.write_text(source)
    out = tmp_path / "s.zarr"
    bb.sweep(str(exp), out=str(out), duration=2, **SWEEP)
    exp.write_text(source.replace("0.3 * noise", "0.31 * noise"))  # an edited model

    # a forced new source and a longer duration: the kept run is the old source's, so it runs again from step 0
    text = _dry(exp, out, "3", "--force")
    assert "runs        1 (1 to run)" in text and "done runs run again from step 0" in text, text  # was: 0 to run
    forced = tmp_path / "forced.zarr"
    shutil.copytree(out, forced)
    res = bb.sweep(str(exp), out=str(forced), duration=3, force=True, **SWEEP)
    assert (res.done, res.skipped) == (1, 0)

    # a forced new source first (the run kept), then a longer duration: the kept run does not continue either
    bb.sweep(str(exp), out=str(out), duration=2, force=True, **SWEEP)
    text = _dry(exp, out, "3")
    assert "done runs continue from their final states, those kept through a forced change of source" in text, text
    assert "runs        1 (1 to run)" in text, text


_PICKED = """
import os
import sys

sys.path.insert(0, {folder!r})
from toy import Toy  # noqa: E402

import brainbatch as bb  # noqa: E402

PICK = [int(i) for i in os.environ.get("BB_S40_PICK", "0,1").split(",")]  # read when the module loads
params = {{"n": 6, "drive": 1.5}}
monitors = {{"m": bb.Monitor("G.V", index=PICK, reduce="mean")}}


def build(n=6, drive=1.5):
    return bb.Network(G=Toy(n, drive))
"""


def test_a_monitor_index_edited_to_other_elements_of_the_same_shape_is_refused(tmp_path, monkeypatch):
    exp = write_experiment(tmp_path, "picked.py", _PICKED.format(folder=str(Path(TOY).parent)))
    out = tmp_path / "s.zarr"
    bb.sweep(exp, out=str(out), duration=1, **SWEEP)

    monkeypatch.setenv("BB_S40_PICK", "2,3")  # the same source, the same record shape, other neurons
    experiment._LOADED.clear()  # a new process loads the module again
    with pytest.raises(UsageError, match=r"record 'm' holds G.V reduce=mean index=\[0, 1\] in the store, "
                                                 r"this sweep records G.V reduce=mean index=\[2, 3\]"):
        bb.sweep(exp, out=str(out), duration=1, **{**SWEEP, "seeds": 2})  # was: a run of neurons 2, 3 joined
    res = bb.sweep(exp, out=str(out), duration=1, force=True, **{**SWEEP, "seeds": 2})
    assert (res.done, res.skipped) == (2, 0)  # every run redone with the new pick
    assert bb.sweep(exp, out=str(out), duration=1, **{**SWEEP, "seeds": 2}).skipped == 2  # the same pick: kept


def test_a_store_that_records_no_index_is_not_held_to_one():
    from brainbatch.store import StoreSpec, VarSpec
    from brainbatch.store._create import compare_specs

    def spec(**attrs):
        return StoreSpec("demo", "0" * 64, {"we": [0.4]}, seeds=[0], n_steps=5, dt=0.1,
                         records=(VarSpec("m", ("m_d0",), (1,), "float32"),), attrs={"monitored": {"m": "G.V"}, **attrs})

    assert compare_specs(spec(), spec(monitored_index={"m": "[2, 3]"}), "s.zarr").names == ()  # written before
    change = compare_specs(spec(monitored_index={}), spec(monitored_index={"m": "[2, 3]"}), "s.zarr")
    assert change.names == ("monitors",) and change.structural
    assert "record 'm' holds G.V in the store, this sweep records G.V index=[2, 3]" in change.diffs[0]


def test_runs_no_event_path_changes_join_either_path():
    # a model without spike-driven projections computes the same numbers on both paths: a store whose provenance
    # says so ("none ...") is not refused on the other path; the native and jax paths still are
    from brainbatch.store import StoreSpec
    from brainbatch.store._create import compare_specs

    def spec(path):
        return StoreSpec("demo", "0" * 64, {"we": [0.4]}, seeds=[0], n_steps=5, dt=0.1, attrs={"event_kernels": path})

    assert compare_specs(spec("none (no event-driven projections)"), spec("jax (BRAINBATCH_KERNELS=jax)"),
                         "s.zarr").names == ()
    assert compare_specs(spec("native (BRAINBATCH_KERNELS=auto)"), spec("jax (BRAINBATCH_KERNELS=jax)"),
                         "s.zarr").names == ("event_kernels",)
