"""A hostile but ordinary user, session 41: ways to a store that calls runs done that are not one setup's.

- The module's Runner ``inputs`` were no part of what a store records about its runs: ``inputs = [("G.V",
  float(os.environ["AMP"]))]`` swept with ``AMP=0``, then ``--seeds 2`` with ``AMP=5``, gave a store whose four runs
  were all ``done``, two driven by 0 and two by 5 under one source and one set of defaults. The provenance now
  records them (``inputs``: ``["G.V fix + 0.0"]``, arrays by shape and digest, functions by name), a sweep driven
  otherwise is refused in one line naming both, and ``--force`` redoes every run (as for an edited monitor).
- Likewise the module's own numbers that its model code reads: ``EXTRA = float(os.environ["EXTRA"])`` at the top,
  used in ``build()`` (or in a model class's ``update``), gave runs of two setups under one source and one set of
  defaults. The provenance records them (``module_values``: numbers, arrays by digest, not text), and under the
  same source another value is refused as for ``defaults``.
- ``import helper`` inside ``build()`` ran a local module that no source hash covered (the hash covers what the file
  imports as it loads): an edit of the helper between two sweeps added runs of the new code beside the store's.
  Such an import is refused by name (``sources.imports_checked``), also where ``build()`` catches the
  ``ImportError`` and falls back to something else.
- The same module loaded by a dask worker started in another environment computed the store's runs with the
  worker's defaults, monitors and inputs, and marked them done under the coordinator's provenance. Each task now
  carries what the module gave the sweep (``provenance.setup_of``) and a worker that loads it otherwise fails its
  runs (``simulations.py::_check_setup``).
"""
import dataclasses
from pathlib import Path

import pytest
from _support import TOY, write_experiment

import brainbatch as bb
from brainbatch.errors import BrainbatchError
from brainbatch.store import ResultStore

FAST = {"params": {"drive": [1.5]}, "duration": 2, "progress": False, "devices": "cpu"}
#: the toy model driven by an input its module reads from the environment as it loads
DRIVEN = "import os\n" + Path(TOY).read_text().replace(
    'duration = 20.0', 'duration = 20.0\ninputs = [("G.V", float(os.environ.get("BB_S41_AMP", "0")))]')
#: the toy model whose noise a module number read from the environment scales, in the model class's update
SCALED = "import os\nNOISE = float(os.environ.get('BB_S41_AMP', '0.3'))\n" + Path(TOY).read_text().replace(
    "+ 0.3 * noise", "+ NOISE * noise")


@pytest.fixture
def driven(tmp_path, monkeypatch):
    from brainbatch.sweep import experiment

    monkeypatch.setenv("BB_S41_AMP", "0")
    yield write_experiment(tmp_path, "driven.py", DRIVEN)
    experiment._LOADED.clear()  # the other tests load the module as it is on disk


def _reload(monkeypatch, amp: str) -> None:
    """A new process with another environment: the module is loaded again and reads it."""
    from brainbatch.sweep import experiment, simulations

    monkeypatch.setenv("BB_S41_AMP", amp)
    experiment._LOADED.clear()
    monkeypatch.setattr(simulations, "_SIMULATIONS", type(simulations._SIMULATIONS)())
    monkeypatch.setattr(simulations, "_SETUPS", {})


def test_runs_driven_by_other_inputs_never_join_the_stores_and_force_redoes_every_run(driven, tmp_path, monkeypatch):
    out = str(tmp_path / "s.zarr")
    assert bb.sweep(driven, seeds=1, out=out, **FAST).done == 1
    assert ResultStore.open(out, "r").spec.attrs["inputs"] == ["G.V fix + 0.0"]
    _reload(monkeypatch, "5")
    with pytest.raises(BrainbatchError, match=r"inputs: the store's runs were driven by G\.V fix \+ 0\.0, this "
                                              r"sweep's by G\.V fix \+ 5\.0 \(with the same source"):
        bb.sweep(driven, seeds=2, out=out, **FAST)
    assert ResultStore.open(out, "r").spec.seeds == [0]  # nothing changed
    result = bb.sweep(driven, seeds=2, out=out, force=True, **FAST)
    assert result.done == 2 and result.skipped == 0  # the kept run was driven otherwise: redone
    assert ResultStore.open(out, "r").spec.attrs["inputs"] == ["G.V fix + 5.0"]


def test_a_worker_that_loads_other_inputs_fails_its_runs_instead_of_marking_them_done(driven, tmp_path, monkeypatch):
    from brainbatch.sweep.api import prepare
    from brainbatch.sweep.task import execute_batch

    out = tmp_path / "w.zarr"
    task = prepare(driven, seeds=1, out=str(out), **{k: v for k, v in FAST.items() if k != "progress"}).tasks[0]
    assert dict(task.setup)["inputs"] == '["G.V fix + 0.0"]'
    _reload(monkeypatch, "5")  # a dask worker started with another AMP
    report = execute_batch(dataclasses.replace(task))
    assert len(report.failed) == 1 and not report.done
    error = ResultStore.open(out, "r").failed_runs()[0].error
    assert "loads with other inputs in this process" in error and "start the workers with the sweep's environment" \
        in error, error
    _reload(monkeypatch, "0")  # the sweep's environment computes it
    assert execute_batch(task).done and ResultStore.open(out, "r").counts()["done"] == 1


def test_a_local_module_build_imports_itself_is_refused_before_any_run(tmp_path, monkeypatch):
    """``import helper`` inside ``build()`` ran code that no source hash covered: an edit of the helper between two
    sweeps added runs of the new code to the store's, every run ``done``. Such an import is now refused by name."""
    (tmp_path / "lazy_helper_s41.py").write_text("EXTRA = 0.0\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # importable while build() runs
    exp = write_experiment(tmp_path, "lazy.py", Path(TOY).read_text().replace(
        "def build(n=20, drive=1.5):\n", "def build(n=20, drive=1.5):\n    import lazy_helper_s41\n"
                                         "    drive = drive + lazy_helper_s41.EXTRA\n"))
    # a fallback on ImportError does not hide the refusal either
    fallback = write_experiment(tmp_path, "fallback.py", Path(exp).read_text().replace(
        "    import lazy_helper_s41\n", "    try:\n        import lazy_helper_s41\n    except ImportError:\n"
                                      "        return bb.Network(G=Toy(n, drive))\n"))
    out = tmp_path / "l.zarr"
    with pytest.raises(BrainbatchError, match=r"build\(\) of .*lazy\.py imports the local module 'lazy_helper_s41' "
                                              r"\(.*lazy_helper_s41\.py\), which the file does not import as it loads"):
        bb.sweep(exp, seeds=1, out=str(out), **FAST)
    with pytest.raises(BrainbatchError, match=r"imports the local module 'lazy_helper_s41'"):
        bb.sweep(fallback, seeds=1, out=str(out), **FAST)
    assert not out.exists()
    # imported at the top, it is hashed (and then a lazy import of it is the same module)
    top = write_experiment(tmp_path, "top.py", "import lazy_helper_s41  # noqa: F401\n" + Path(exp).read_text())
    assert bb.sweep(top, seeds=1, out=str(tmp_path / "t.zarr"), **FAST).done == 1
    assert "lazy_helper_s41" in ResultStore.open(tmp_path / "t.zarr", "r").spec.attrs["helpers"]


def test_a_module_number_the_model_reads_is_held_to_under_the_same_source(tmp_path, monkeypatch):
    exp = write_experiment(tmp_path, "scaled.py", SCALED)
    out = str(tmp_path / "m.zarr")
    _reload(monkeypatch, "0.3")
    assert bb.sweep(exp, seeds=1, out=out, **FAST).done == 1
    assert ResultStore.open(out, "r").spec.attrs["module_values"]["NOISE"] == "0.3"  # read in Toy.update
    _reload(monkeypatch, "0.9")
    with pytest.raises(BrainbatchError, match=r"module values: the store's runs were computed with NOISE=0\.3, this "
                                              r"sweep's module has NOISE=0\.9"):
        bb.sweep(exp, seeds=2, out=out, **FAST)
    _reload(monkeypatch, "0.3")  # the store's value: it goes on
    assert bb.sweep(exp, seeds=2, out=out, **FAST).done == 1
