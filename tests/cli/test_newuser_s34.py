"""A new user following the README and docs (session 34): the slips a newcomer makes at the command line get an
answer that says where to look, and what the store records can be pasted back into a shell. Stores are written
with the store layer (no JAX) except the one ``run`` whose provenance is read."""
from __future__ import annotations

import os
import shlex
import shutil

import numpy as np
import pytest
from _support import TOY, invoke, write_experiment

from brainbatch.store import ResultStore, StoreSpec, VarSpec

SPIKES = VarSpec("spikes", ("E_neuron",), (3,), "bool")


def _store(path) -> str:
    spec = StoreSpec("toy", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=10, dt=0.1, records=(SPIKES,))
    rs = ResultStore.create(str(path), spec)
    rs.write_record(rs.run_index(seed=0, we=0.4), "spikes", 0, np.zeros((10, 3), bool))
    rs.mark_done(rs.run_index(seed=0, we=0.4))
    return str(rs.path)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """results/coba/ holding two stores named after their axes, as sweeps with other -p name them."""
    root = tmp_path_factory.mktemp("newuser")
    for name in ("we-wi.zarr", "we-n_exc.zarr"):
        _store(root / "results" / "coba" / name)
    return root


def _refused(res, *fragments):
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    text = " ".join(res.stderr.split())
    for fragment in fragments:
        assert fragment in text, text
    return text


@pytest.mark.parametrize("command", ["status", "show", "plot"])
def test_a_store_named_otherwise_gets_the_stores_beside_it(results, command):
    # the README's results/coba/we.zarr, after a sweep that also swept wi: "no store at ..." and nothing more
    text = _refused(invoke(command, "results/coba/we-wi", cwd=results),
                    "no store at 'results/coba/we-wi'. Did you mean 'results/coba/we-wi.zarr'?",
                    "Stores in results/coba: we-n_exc.zarr, we-wi.zarr")
    assert "looked for" not in text
    _refused(invoke(command, "results/coba/we.zarr", cwd=results),
             "no store at 'results/coba/we.zarr'.", "Stores in results/coba: we-n_exc.zarr, we-wi.zarr")


def test_a_store_path_from_another_folder_says_where_it_looked(results, tmp_path):
    # the command run from another folder: the relative path is read from there; the message says so
    _refused(invoke("status", "results/coba/we-wi.zarr", cwd=tmp_path),
             f"no store at 'results/coba/we-wi.zarr' (looked for {tmp_path}/results/coba/we-wi.zarr: "
             f"{tmp_path}/results does not exist)")
    assert invoke("status", "results/coba/we-wi.zarr", cwd=results).returncode == 0


@pytest.mark.parametrize("command", ["status", "show", "plot"])
def test_a_folder_of_stores_names_them_and_never_says_remove(results, command):
    # it said "not a Zarr group: no zarr.json ... (or remove this one first, if it is yours to remove)": of the
    # folder that holds the user's stores
    for folder, shown in (("results/coba", "results/coba/"), ("results", "results/coba/")):
        text = _refused(invoke(command, folder, cwd=results),
                        f"'{folder}' is a folder of brainbatch stores, not a store itself; give one of them: "
                        f"{shown}we-n_exc.zarr, {shown}we-wi.zarr")
        assert "remove" not in text
    assert not (results / "results" / "coba" / "plots").exists()


def test_a_plain_folder_and_a_name_inside_a_store(results, tmp_path):
    (tmp_path / "notes").mkdir()
    text = _refused(invoke("status", tmp_path / "notes"),
                    "is a folder, not a brainbatch store (it has no zarr.json); give the path of a store")
    assert "remove" not in text
    _refused(invoke("show", "results/coba/we-wi.zarr/spikes_E", cwd=results),
             "no store at 'results/coba/we-wi.zarr/spikes_E': it would lie inside the store "
             "'results/coba/we-wi.zarr'")
    # an array of the store that exists: the store layer's words, unchanged
    _refused(invoke("status", "results/coba/we-wi.zarr/spikes", cwd=results), "inside the brainbatch store")


def test_a_store_that_lost_its_root_metadata_is_still_called_damaged(tmp_path):
    path = _store(tmp_path / "d.zarr")
    os.remove(os.path.join(path, "zarr.json"))
    text = _refused(invoke("status", path), "is a damaged brainbatch store: its root metadata (zarr.json) is missing")
    assert "is a folder" not in text


def test_paths_with_blanks_are_listed_as_a_shell_takes_them(tmp_path):
    _store(tmp_path / "my results" / "first try.zarr")
    _refused(invoke("status", "my results/x.zarr", cwd=tmp_path),
             "no store at 'my results/x.zarr'. Stores in 'my results': 'first try.zarr'")


@pytest.mark.parametrize("args, fragments", [
    # Click offered "Did you mean one of: '--dt', '--sample-seed', '--seeds'?" for sweep --seed
    (["sweep", TOY, "--seed", "3"], ["No such option '--seed' for sweep. Did you mean '--seeds'?",
                                     "--seed is an option of plot, run."]),
    (["run", TOY, "--seeds", "4"], ["No such option '--seeds' for run. Did you mean '--seed'?",
                                    "--seeds is an option of sweep."]),
    (["sweep", TOY, "--durration", "5"], ["No such option '--durration' for sweep. Did you mean '--duration'?"]),
    (["status", "x.zarr", "--force"], ["No such option '--force' for status. --force is an option of run, sweep."]),
])
def test_an_option_of_another_command_says_whose_it_is(in_tmp, args, fragments):
    text = _refused(invoke(*args), *fragments)
    assert "one of" not in text
    assert not any(in_tmp.iterdir())


def test_a_relative_import_is_refused_as_the_docs_say(tmp_path):
    # docs/experiments.md: helpers are imported by name, never relatively (the file is no package)
    write_experiment(tmp_path, "helpers.py", "X = 1\n")
    path = write_experiment(tmp_path, "rel.py", """\
        from .helpers import X
        def build(n=3):
            return None
    """)
    _refused(invoke("sweep", path, "--dry-run"), "attempted relative import with no known parent package",
             "import a helper beside it by name (from helpers import X)")


def test_a_data_file_opened_by_a_relative_name_gets_the_way_to_open_it(tmp_path):
    (tmp_path / "weights.txt").write_text("1.0\n")
    path = write_experiment(tmp_path, "data.py", """\
        W = open("weights.txt").read()
        def build(n=3):
            return None
    """)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _refused(invoke("sweep", path, "--dry-run", cwd=elsewhere), "FileNotFoundError",
             "Path(__file__).with_name(...)", "data_files")


def test_a_build_that_is_a_network_object_is_refused_as_such(tmp_path):
    # a network object is callable (it steps), so it passed the check and was "called": "got NoneType"
    path = write_experiment(tmp_path, "obj.py", """\
        import brainbatch as bb
        build = bb.Network(E=bb.LIF(3))
    """)
    _refused(invoke("sweep", path, "--dry-run"), "build in", "must be a function that returns the model, got Network",
             "def build(**params): return bb.Network(...)")


def test_the_command_recorded_in_the_store_pastes_back_into_a_shell(tmp_path):
    # `--out 'my results/a.zarr'` was recorded as `--out my results/a.zarr`: pasted into a shell, another command
    path = write_experiment(tmp_path, "one.py", """\
        import brainbatch as bb
        monitors = {"V": "E.V"}
        def build(tau=10.0):
            return bb.Network(E=bb.LIF(1, tau=tau))
    """)
    out = tmp_path / "my results" / "a b.zarr"
    res = invoke("run", path, "--duration", "0.1", "-p", "tau=5", "--out", out, "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    import zarr

    command = zarr.open_group(str(out), mode="r").attrs["command"]  # plain zarr, as the docs read a store
    assert shlex.split(command) == ["brainbatch", "run", path, "--duration", "0.1", "-p", "tau=5", "--out", str(out),
                                    "-q"]
    shown = invoke("show", out).stdout
    assert f"command: {command}" in shown and f"'{out}'" in shown
    shutil.rmtree(out)


def test_show_names_an_analyze_spelled_the_american_way(tmp_path):
    # `def analyze(ds)` loads without a word (a function may have any name) and show said only "defines no
    # analyse(ds)"
    from brainbatch.sweep.experiment import load_experiment

    path = write_experiment(tmp_path, "us.py", """\
        def build(n=3):
            return None
        def helper(x):
            return x
        def analyze(ds):
            return {"runs": 1}
    """)
    from brainbatch.sweep.errors import NearMissWarning

    with pytest.warns(NearMissWarning, match=r"defines analyze\(\) but no analyse\(ds\)"):  # at load time too (s35)
        exp = load_experiment(path)
    spec = StoreSpec("us", exp.source_hash, {"we": [0.4]}, seeds=[0], n_steps=10, dt=0.1, records=(SPIKES,))
    store = str(ResultStore.create(str(tmp_path / "us.zarr"), spec).path)
    res = invoke("show", store, "--experiment", path)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "warning" not in res.stderr, res.stderr  # show says it once, below, not also as the load's warning
    assert f"analysis: {path} defines no analyse(ds). Did you mean 'analyze'? show runs the function named " \
           "analyse" in res.stdout
    other = write_experiment(tmp_path, "plain.py", "def build(n=3):\n    return None\ndef helper(x):\n    return x\n")
    spec = StoreSpec("plain", load_experiment(other).source_hash, {"we": [0.4]}, seeds=[0], n_steps=10, dt=0.1,
                     records=(SPIKES,))
    store = str(ResultStore.create(str(tmp_path / "plain.zarr"), spec).path)
    shown = invoke("show", store, "--experiment", other).stdout
    assert f"analysis: {other} defines no analyse(ds)\n" in shown  # no hint where nothing is close


@pytest.mark.parametrize("command", ["sweep", "run"])
def test_a_missing_experiment_file_gets_the_closest_one_before_jax(tmp_path, command):
    write_experiment(tmp_path, "my_experiment.py", "def build(n=3):\n    return None\n")
    for typed in ("my_experiment", "my_experimnt.py"):  # the .py left out; a letter left out
        _refused(invoke(command, typed, "--dry-run" if command == "sweep" else "-q", cwd=tmp_path),
                 f"experiment file '{typed}' does not exist. Did you mean 'my_experiment.py'?")
    _refused(invoke(command, "sub/my_experiment.py", cwd=tmp_path),
             f"experiment file 'sub/my_experiment.py' does not exist ({tmp_path}/sub does not exist)")
    _refused(invoke(command, "other.py", cwd=tmp_path),
             f"experiment file 'other.py' does not exist (looked for {tmp_path}/other.py)")
    assert sorted(os.listdir(tmp_path)) == ["my_experiment.py"]


def test_a_key_error_in_build_is_shown_without_extra_quotes(tmp_path):
    path = write_experiment(tmp_path, "key.py", """\
        monitors = {"V": "E.V"}
        def build(n=3):
            raise KeyError("no variable 'E.Vm' in the network")
    """)
    res = invoke("sweep", path, "--dry-run")
    text = " ".join((res.stdout + res.stderr).split())
    assert "KeyError: no variable 'E.Vm' in the network" in text, text
    assert "Traceback" not in res.stderr
