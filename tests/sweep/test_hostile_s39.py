"""A hostile but ordinary user, session 39: ways to a store that calls runs done that are not one setup's.

- A monitor edited to fill a record from another variable of the same shape (``monitors = {"V": "G.V"}`` then
  ``{"V": "G.U"}``) and swept with ``--force`` (as the refusal suggests: "data and done runs are kept") kept the done
  runs: one record ``V`` held ``G.V`` for the old runs and ``G.U`` for the new, every run ``done``. The store now
  records what each record holds (provenance ``monitored``) and a record filled otherwise is another set of
  variables: refused in one line naming both, and with ``--force`` every run is redone. The same source can fill a
  record otherwise too (``monitors = {"V": os.environ.get("REC", "G.V")}``): that merged without ``--force``.
- A build() whose parameter has no typed default (``k=None``, ``**kw``) takes ``-p k=3`` as the integer 3 and
  ``-p k=3.0`` as the float 3.0. Runs are matched by value (``3 == 3.0``), so ``--seeds 2 -p k=3.0`` onto a store of
  ``-p k=3`` skipped seed 0 and computed seed 1 with 3.0: one label ``k=3``, two readings (``x ** 3`` and
  ``x ** 3.0`` round apart; a count would differ outright), every run ``done``. A value that is one of the store's
  by value now reaches build() as the store's runs had it (``sweep/api.py::_values_as_stored``), and the store
  refuses a spec that gives one as the other kind of number.
- ``JAX_DEFAULT_PRNG_IMPL=rbg`` or ``JAX_THREEFRY_PARTITIONABLE=0`` (set for speed on a GPU, or left in a shell) make
  ``jax.random.key(seed)`` draw other numbers from every seed: a store extended or resumed under the other setting
  held two random streams under one seed, each run ``done`` (a resumed run half one, half the other). The store
  now records the source (provenance ``random``) and refuses the other as it refuses the other precision; a dask
  worker started with another one fails its runs.
"""
from pathlib import Path

import numpy as np
import pytest
from _support import TOY, cli, refused_in_one_line, write_experiment

import brainbatch as bb
from brainbatch.sweep import UsageError

FAST = {"params": {"drive": [1.5]}, "duration": 2, "progress": False}
#: the toy model with a second variable of V's shape, U, that counts the steps from 100
TWO_VARS = Path(TOY).read_text().replace(
    '        self.init_variable("spike", False, dtype=bool, description="spike")',
    '        self.init_variable("spike", False, dtype=bool, description="spike")\n'
    '        self.init_variable("U", 100.0, units="mV")').replace(
    "        self.spike.value = spike", "        self.spike.value = spike\n        self.U.value = self.U.value + 1.0")


def test_a_record_refilled_from_another_variable_is_another_setup_and_force_redoes_every_run(tmp_path):
    exp = write_experiment(tmp_path, "mon.py", TWO_VARS)
    out = str(tmp_path / "s.zarr")
    assert bb.sweep(exp, seeds=1, out=out, **FAST).done == 1
    assert bb.open_results(out).attrs["monitored"] == {"spikes": "G.spike", "V": "G.V"}
    write_experiment(tmp_path, "mon.py", TWO_VARS.replace('"V": "G.V"', '"V": "G.U"'))
    with pytest.raises(UsageError, match=r"monitors: record 'V' holds G\.V in the store, this sweep records G\.U"
                                         r"[\s\S]*all data are discarded"):
        bb.sweep(exp, seeds=2, out=out, **FAST)
    assert bb.sweep(exp, seeds=2, out=out, force=True, **FAST).done == 2  # seed 0 too: its V was G.V
    ds = bb.open_results(out)
    assert bool(ds.done.all())
    # U counts the steps from 100: every sample of every run is U's, none a membrane potential
    steps = np.arange(ds.sizes["time"]) + 101.0
    np.testing.assert_array_equal(ds.V.values, np.broadcast_to(steps[:, None], ds.V.shape))


def test_a_record_the_same_source_fills_otherwise_is_refused_without_force(tmp_path, monkeypatch):
    from brainbatch.sweep import experiment

    exp = write_experiment(tmp_path, "rec.py", "import os\n" + TWO_VARS.replace(
        '"V": "G.V"', '"V": os.environ.get("TOY_REC", "G.V")'))
    out = str(tmp_path / "s.zarr")
    monkeypatch.setenv("TOY_REC", "G.V")
    assert bb.sweep(exp, seeds=1, out=out, **FAST).done == 1
    monkeypatch.setenv("TOY_REC", "G.U")
    experiment._LOADED.clear()  # a new process loads the module again
    with pytest.raises(UsageError, match=r"monitors: record 'V' holds G\.V in the store, this sweep records G\.U"):
        bb.sweep(exp, seeds=2, out=out, **FAST)
    assert bb.open_results(out).sizes["seed"] == 1  # nothing changed


POW = """
import jax
import jax.numpy as jnp

import brainbatch as bb


class P(bb.NeuGroup):
    def __init__(self, n, k):
        super().__init__(n)
        self.k = k
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 1.5)

    def update(self):
        self.V.value = self.V.value + bb.share.dt * (1.0 - jnp.abs(self.V.value) ** self.k) / 10.0


monitors = {"V": "G.V"}


def build(n=2, k=None):
    return bb.Network(G=P(n, 2 if k is None else k))
"""


def test_a_value_given_as_another_kind_of_number_than_the_stores_is_computed_as_the_stores_runs_had_it(tmp_path):
    import dataclasses

    from brainbatch.store import ResultStore, StoreMismatchError

    exp = write_experiment(tmp_path, "powk.py", POW)
    out, ref = str(tmp_path / "k.zarr"), str(tmp_path / "ref.zarr")
    kw = {"duration": 1, "progress": False}
    assert bb.sweep(exp, seeds=1, params={"k": "3"}, out=out, **kw).done == 1
    assert bb.sweep(exp, seeds=2, params={"k": "3.0"}, out=out, **kw).done == 1  # seed 1, as k=3 (run matched)
    assert bb.sweep(exp, seeds=2, params={"k": "3"}, out=ref, **kw).done == 2
    # 3 ** and 3.0 ** round apart in float32: seed 1 computed with 3.0 differed from the store's own k=3
    np.testing.assert_array_equal(bb.open_results(out).V.values, bb.open_results(ref).V.values)
    # the store itself refuses a spec giving one of its values as the other kind of number
    store = ResultStore.open(out, "r")
    with pytest.raises(StoreMismatchError, match=r"holds runs of k=3 \(an integer\); this sweep gives k=3\.0 "
                                                  r"\(a float\)[\s\S]*give it as 3"):
        ResultStore.create(out, dataclasses.replace(store.spec, params={"k": [3.0]}))


def test_another_random_stream_is_refused_and_a_worker_drawing_from_one_fails_its_runs(tmp_path):
    import dataclasses

    from brainbatch.store import ResultStore
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.task import execute_batch

    out = tmp_path / "r.zarr"
    task = prepare(TOY, seeds=1, params={"drive": [1.5]}, out=str(out), duration=1, devices="cpu").tasks[0]
    assert task.random == "threefry2x32 (partitionable)"  # JAX's defaults, carried by each task
    report = execute_batch(dataclasses.replace(task, random="rbg"))
    assert len(report.failed) == 1 and not report.done
    error = ResultStore.open(out, "r").failed_runs()[0].error
    assert error.startswith("PrecisionMismatch: ") and "JAX_DEFAULT_PRNG_IMPL" in error, error
    assert ResultStore.open(out, "r").spec.attrs["random"] == task.random
    res = cli("sweep", TOY, "--out", out, "-p", "drive=1.5", "--duration", "1", "-q",
              env_extra={"JAX_THREEFRY_PARTITIONABLE": "0"})
    assert refused_in_one_line(res), res.stderr
    assert ("random: the store's runs drew their random numbers from threefry2x32 (partitionable), this sweep draws "
            "them from threefry2x32 (not partitionable)") in res.stderr
