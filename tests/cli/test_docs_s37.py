"""A new user following the docs literally (session 37): the first slips at the command line — an experiment typed
without its folder, a folder or a store where the experiment goes, a parameter without its ``-p``, an experiment
that imports a package this Python lacks — are answered in one line that says what to do. All refused before a
model is built or compiled (CliRunner, this process)."""
from __future__ import annotations

import json
import os
import sys

import pytest
from _support import invoke, refused_in_one_line, tree, write_experiment

from brainbatch.store import ResultStore, StoreSpec, VarSpec

PLAIN = "def build(n=3):\n    return None\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A folder laid out as the repository: experiments/ with two files and a helper, and a store of one of them."""
    root = tmp_path_factory.mktemp("docs37")
    (root / "experiments").mkdir()
    for name in ("coba.py", "cuba.py", "_helper.py"):
        write_experiment(root / "experiments", name, PLAIN)
    spec = StoreSpec("coba", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=10, dt=0.1,
                     records=(VarSpec("spikes", ("E_neuron",), (3,), "bool"),),
                     attrs={"experiment_path": str(root / "experiments" / "coba.py")})  # the store's provenance
    ResultStore.create(str(root / "results" / "coba" / "we.zarr"), spec)
    return root


def _text(res) -> str:
    return " ".join(res.stderr.split())


@pytest.mark.parametrize("command", ["sweep", "run"])
def test_an_experiment_typed_without_its_folder_gets_the_folder(project, command):
    before = tree(project)
    for typed in ("coba.py", "coba"):  # in the repository's root, where experiments/ lies
        res = invoke(command, typed, cwd=project)
        assert refused_in_one_line(res), res.stderr
        assert _text(res).endswith(f"does not exist (looked for {project}/{typed}). Did you mean "
                                   "'experiments/coba.py'?"), res.stderr
    res = invoke(command, "nowhere.py", cwd=project)  # no such file anywhere near: no guess
    assert refused_in_one_line(res) and _text(res).endswith(f"(looked for {project}/nowhere.py)"), res.stderr
    assert tree(project) == before


def test_a_folder_given_as_the_experiment_names_the_experiment_files_in_it(project):
    for typed in ("experiments", "experiments/"):
        res = invoke("sweep", typed, "--dry-run", cwd=project)
        assert refused_in_one_line(res), res.stderr
        text = _text(res)
        assert f"'{typed}' is a folder, not an experiment: give one experiment file, e.g. " in text, text
        assert "experiments/coba.py, experiments/cuba.py" in text and "_helper" not in text, text
    res = invoke("sweep", "results", cwd=project)  # a folder without a Python file in it
    assert refused_in_one_line(res) and "give an experiment's Python file (.py)" in _text(res), res.stderr


@pytest.mark.parametrize("command", ["sweep", "run"])
def test_a_store_given_as_the_experiment_names_the_file_it_was_written_from(project, command):
    before = tree(project)
    res = invoke(command, "results/coba/we.zarr", cwd=project)
    assert refused_in_one_line(res), res.stderr
    assert ("'results/coba/we.zarr' is a brainbatch store, not an experiment: sweep and run take the experiment's "
            f"Python file, and --out names the store (brainbatch {command} experiments/coba.py --out "
            "results/coba/we.zarr ...)") in _text(res), res.stderr
    assert tree(project) == before


@pytest.mark.parametrize("command, args", [("sweep", ["experiments/coba.py", "--seeds", "2"]),
                                           ("run", ["experiments/coba.py"]),
                                           ("plot", ["results/coba/we.zarr"])])
def test_a_parameter_typed_without_its_p_gets_the_p(project, command, args):
    res = invoke(command, *args, "we=0.5", "wi=3", cwd=project)
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert ("Error: Got unexpected extra arguments (we=0.5 wi=3): a parameter's value is given with -p, as in "
            "-p we=0.5 -p wi=3") in res.stderr, res.stderr


def test_other_extra_arguments_keep_clicks_message(project):
    res = invoke("sweep", "experiments/coba.py", "experiments/cuba.py", cwd=project)
    assert res.returncode == 2 and "Got unexpected extra argument (experiments/cuba.py)\n" in res.stderr, res.stderr
    res = invoke("status", "results/coba/we.zarr", "we=0.4", cwd=project)  # status selects no run: no -p to offer
    assert res.returncode == 2 and "Got unexpected extra argument (we=0.4)\n" in res.stderr, res.stderr


def test_a_missing_package_says_which_python_to_install_it_into(tmp_path):
    top = write_experiment(tmp_path, "top.py", "import not_installed_s37\n" + PLAIN)
    res = invoke("sweep", top, "--dry-run")
    assert refused_in_one_line(res), res.stderr
    text = _text(res)
    assert f"line 1 failed: ModuleNotFoundError: No module named 'not_installed_s37' (this command's Python, " \
           f"{sys.executable}, has no not_installed_s37: install its package there, {sys.executable} -m pip install " \
           "PACKAGE; or, if not_installed_s37 is a module of your own, put not_installed_s37.py beside the " \
           "experiment file and import it at the top of that file)" in text, text
    # a module missing from a package that is there: no advice to install what is installed
    sub = write_experiment(tmp_path, "sub.py", "import json.not_there_s37\n" + PLAIN)
    res = invoke("run", sub)
    assert refused_in_one_line(res), res.stderr
    assert _text(res).endswith("No module named 'json.not_there_s37' (json is there, without json.not_there_s37: "
                               "another version of json may have it, or the name is misspelled)"), res.stderr
    assert sorted(os.listdir(tmp_path)) == ["sub.py", "top.py"]


def test_an_error_without_a_missing_module_gets_no_such_advice(tmp_path):
    path = write_experiment(tmp_path, "boom.py", "raise RuntimeError('boom')\n" + PLAIN)
    res = invoke("sweep", path, "--dry-run")
    assert refused_in_one_line(res) and _text(res).endswith("line 1 failed: RuntimeError: boom"), res.stderr


def test_the_help_says_the_workers_default_and_what_a_run_store_holds():
    sweep_help = " ".join(invoke("sweep", "--help").stdout.split())
    assert "Worker processes of the local dask cluster (default 2; at most 4 per CPU core" in sweep_help
    run_help = " ".join(invoke("run", "--help").stdout.split())
    assert "The store is a grid of seeds x values: status counts the combinations no run made yet as pending." \
        in run_help


def test_the_store_fixture_records_its_experiment(project):
    # the store message above names the experiment from this attribute (read as JSON, no zarr)
    with open(project / "results" / "coba" / "we.zarr" / "zarr.json") as fh:
        attrs = json.load(fh)["attributes"]
    assert attrs["provenance"]["experiment_path"].endswith("experiments/coba.py")


def test_verbose_shows_the_traceback_behind_an_experiment_that_fails_to_load(tmp_path):
    exp = write_experiment(tmp_path, "bad.py", "def helper():\n    return 1 / 0\n\nX = helper()\n\n"
                                               "def build():\n    return None\n")
    quiet = invoke("sweep", exp, "--dry-run", cwd=tmp_path)
    assert refused_in_one_line(quiet) and "line 2 failed: ZeroDivisionError" in quiet.stderr, quiet.stderr
    loud = invoke("sweep", exp, "--dry-run", "-v", cwd=tmp_path)
    assert loud.returncode == 2 and "Traceback" in loud.stderr and "in helper" in loud.stderr, loud.stderr
    assert loud.stderr.rstrip().splitlines()[-1] == quiet.stderr.strip()  # the same one line ends it
    assert invoke("sweep", exp, "--dry-run", "-v", "-q", cwd=tmp_path).stderr == quiet.stderr  # -q wins over -v


@pytest.mark.parametrize("typed", ["1e400", "1e400ms"])
def test_a_duration_past_the_largest_number_is_named_as_typed_not_as_inf(typed, tmp_path):
    res = invoke("sweep", "nowhere.py", "--duration", typed, "--dry-run", cwd=tmp_path)
    assert res.returncode == 2 and f"'{typed}'" in res.stderr and "past the largest number" in res.stderr, res.stderr
    assert "got inf" not in res.stderr
