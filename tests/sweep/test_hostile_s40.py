"""A hostile but ordinary user, session 40: ways to a store that calls runs done that are not one setup's.

- A dask worker started in another environment than the sweep (the compute nodes' own venv with an older
  brainbatch or jax, a brainbatch copy on the worker's ``PYTHONPATH``, an editable checkout pulled on one node)
  computed the runs it was given with its own code and marked them done: the store's ``versions_seen`` named only
  the coordinator's versions, and a store extended by the other side held runs of both codes under one record (a
  copy of brainbatch whose step keys differ gave other spike trains from the same seeds, every run ``done``). Each
  task now carries the sweep's code (``provenance.code_versions``: brainbatch's version and a digest of its source
  files, jax's and jaxlib's versions), and a worker whose code differs fails its runs (``VersionMismatch``), as one
  in the other precision or with another random stream does.
- An edited default is refused, and with ``--force`` every run is redone (session 39): its kept runs would carry a
  value they were not computed with. Only plain numbers, text and bools were recorded (provenance ``defaults``), so
  the commonest optional default escaped: ``def build(..., boost=None)`` edited to ``boost=0.5`` and swept with
  ``--force`` kept seed 0 (computed without the boost) beside seed 1 (with it), both ``done``, the store's
  ``defaults`` saying ``boost: 0.5``; likewise a tuple such as ``sizes=(80, 20)``. ``None`` and short lists and
  tuples of plain values are now recorded and held to (a store made before, which recorded neither, is not
  refused for their absence).
- A swept value that picks a variable's dtype (``dtype=jnp.float16 if half else jnp.float32``: a sweep of the
  precision) gave the store the dtype of the first group planned: with ``-p half=True,False`` every record and saved
  state was float16, so the float32 runs' records were rounded and an extension in time continued them from a
  rounded final state, every run ``done``. The store now holds such a variable in the wider dtype of its kind (each
  run's values exactly; a resume casts the state back to the model's dtype), and refuses kinds no dtype holds both of
  (an int in some runs, a float in others) before anything is written.
"""
import dataclasses
from pathlib import Path

import jax
import numpy as np
import pytest
import zarr
from _support import TOY, write_experiment

import brainbatch as bb
from brainbatch.store import ResultStore


def test_a_worker_running_other_brainbatch_code_fails_its_runs_instead_of_marking_them_done(tmp_path):
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.task import execute_batch

    out = tmp_path / "v.zarr"
    task = prepare(TOY, seeds=1, params={"drive": [1.5]}, out=str(out), duration=1, devices="cpu").tasks[0]
    carried = dict(task.versions)
    assert carried["jax"] == jax.__version__ and carried["brainbatch"] and len(carried["brainbatch source"]) == 16
    edited = tuple((k, "0" * 16 if k == "brainbatch source" else v) for k, v in task.versions)  # a copy edited
    report = execute_batch(dataclasses.replace(task, versions=edited))
    assert len(report.failed) == 1 and not report.done
    error = ResultStore.open(out, "r").failed_runs()[0].error
    assert error.startswith("VersionMismatch: this process (pid "), error
    assert f"runs brainbatch source {carried['brainbatch source']}, the sweep runs brainbatch source {'0' * 16}" in error
    assert "start the workers in the sweep's environment" in error
    for name in ("jax", "brainbatch"):  # another release is named as such
        other = tuple((k, "0.0.1" if k == name else v) for k, v in task.versions)
        assert len(execute_batch(dataclasses.replace(task, versions=other)).failed) == 1
        error = ResultStore.open(out, "r").failed_runs()[0].error
        assert f"the sweep runs {name} 0.0.1" in error, error
    # the sweep's own code computes them, and the store is whole
    assert bb.sweep(TOY, seeds=1, params={"drive": [1.5]}, out=str(out), duration=1, progress=False).done == 1


BOOST = Path(TOY).read_text().replace("def build(n=20, drive=1.5):", "def build(n=20, drive=1.5, boost=None):").replace(
    "G=Toy(n, drive)", "G=Toy(n, drive + (boost or 0.0))")


def test_an_edited_none_default_redoes_every_run_under_force(tmp_path):
    from brainbatch.sweep import UsageError

    exp = write_experiment(tmp_path, "boost.py", BOOST)
    out = str(tmp_path / "b.zarr")
    kw = dict(params={"drive": [1.5]}, duration=1, out=out, progress=False)
    assert bb.sweep(exp, seeds=1, **kw).done == 1
    assert bb.open_results(out).attrs["defaults"]["boost"] is None
    write_experiment(tmp_path, "boost.py", BOOST.replace("boost=None", "boost=0.5"))
    with pytest.raises(UsageError, match=r"defaults: the store's runs were computed with build\(\) defaults boost=None, "
                                         r"this sweep's are boost=0\.5 \(the edited source changed them\)"):
        bb.sweep(exp, seeds=2, **kw)
    res = bb.sweep(exp, seeds=2, force=True, **kw)
    assert (res.done, res.skipped) == (2, 0)  # seed 0 too: it was computed without the boost


HALF = """
import jax
import jax.numpy as jnp

import brainbatch as bb


class P(bb.NeuGroup):
    def __init__(self, n, half):
        super().__init__(n)
        self.half = half
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.1234567, dtype=jnp.float16 if self.half else jnp.float32, units="mV")

    def update(self):
        V = self.V.value + 0.01 * jax.random.normal(self.step_key(), self.V.shape)
        self.V.value = V.astype(self.V.value.dtype)


monitors = {"V": "G.V"}
duration = 1.0


def build(n=4, half=False):
    return bb.Network(G=P(n, half))
"""


def test_a_dtype_a_swept_value_picks_is_stored_in_the_wider_one_and_another_kind_is_refused(tmp_path):
    from brainbatch.sweep import UsageError

    exp = write_experiment(tmp_path, "half.py", HALF)
    both, alone = tmp_path / "both.zarr", tmp_path / "alone.zarr"
    kw = dict(seeds=1, progress=False, devices="cpu")
    assert bb.sweep(exp, params={"half": [True, False]}, out=str(both), **kw).done == 2
    assert bb.sweep(exp, params={"half": [False]}, out=str(alone), **kw).done == 1
    root = zarr.open_group(str(both), mode="r")
    assert root["V"].dtype == np.float32 and root["states/G.V"].dtype == np.float32
    # the float32 run is what it computed, not its float16 rounding
    np.testing.assert_array_equal(bb.open_results(both).V.sel(half=False).values,
                                  bb.open_results(alone).V.sel(half=False).values)
    exp = write_experiment(tmp_path, "kinds.py", HALF.replace("jnp.float16 if", "jnp.int32 if").replace(
        "V.astype", "jnp.round(V).astype"))
    with pytest.raises(UsageError, match=r"^recorded variable \(monitor\) 'V' is int32 in some runs of the sweep and float32 in others.*"
                                         r"separate stores$"):
        bb.sweep(exp, params={"half": [True, False]}, out=str(tmp_path / "kinds.zarr"), **kw)
    assert not (tmp_path / "kinds.zarr").exists()
