"""Bad input: a clear message naming the value, exit code 2, and nothing written."""
import os

import pytest
from _support import TOY, tree, write_experiment
from click.testing import CliRunner

from brainbatch.cli import main


def sweep(*args):
    return CliRunner().invoke(main, ["sweep", *map(str, args)], catch_exceptions=False)


def assert_refused(res, *fragments, folder):
    assert res.exit_code == 2, res.output
    for fragment in fragments:
        assert fragment in res.output, res.output
    assert "Traceback" not in res.output
    assert not os.path.exists(os.path.join(folder, "results")) and not os.path.exists(os.path.join(folder, "o.zarr"))


@pytest.mark.parametrize("name, body, fragments", [
    ("missing.py", None, ["missing.py", "does not exist"]),
    ("notes.txt", "hello\n", ["notes.txt", "Python file"]),
    ("syntax.py", "def build(:\n    pass\n", ["syntax.py", "line 1", "syntax error"]),
    ("imports.py", "import os\nimport no_such_module_xyz\n\ndef build():\n    pass\n",
     ["imports.py, line 2", "no_such_module_xyz"]),
    ("nobuild.py", "params = {'a': 1}\n\ndef bulid(a=1):\n    pass\n", ["nobuild.py", "no build", "'bulid'"]),
    # a script's sys.exit() ended the command in silence with its code (0: a sweep that never ran looked done)
    ("exits.py", "import sys\nsys.exit(0)\n", ["exits.py, line 2", "SystemExit(0)", "runs nothing when imported"]),
])
def test_bad_experiment_files(in_tmp, name, body, fragments):
    if body is not None:
        write_experiment(in_tmp, name, body)
    before = tree(in_tmp)
    res = sweep(in_tmp / name, "--out", in_tmp / "o.zarr")
    assert_refused(res, *fragments, folder=in_tmp)
    assert [p for p in tree(in_tmp) if "__pycache__" not in p] == [p for p in before if "__pycache__" not in p]


@pytest.mark.parametrize("path", ["", " "])
def test_an_empty_experiment_path_is_named_as_given_not_as_the_current_folder(in_tmp, path):
    res = CliRunner().invoke(main, ["sweep", path, "--out", str(in_tmp / "o.zarr")], catch_exceptions=False)
    assert_refused(res, f"got {path!r}", "path of a Python file", folder=in_tmp)
    assert str(in_tmp) not in res.output


@pytest.mark.parametrize("args, fragments", [
    (["-p", "driv=1.0"], ["'driv'", "Did you mean 'drive'"]),
    (["-p", "drive=abc"], ["'drive'", "'abc'"]),
    (["-p", "drive="], ["drive=", "empty"]),
    (["-p", "n=2.5"], ["'n'", "integer", "'2.5'"]),
    (["-p", "n=20mV"], ["'n' is a count (default 20, no unit)", "n=20mV in mV", "def build(n=... * u.mV)"]),
    (["--seeds", "-1"], ["bad seeds '-1'"]),
    (["--seeds", "5-2"], ["bad seeds '5-2'", "ends before it starts"]),
    (["--seeds", "x"], ["bad seeds 'x'"]),
    (["--devices", "tpu"], ["unknown device 'tpu'"]),
    (["--devices", "cpu:64"], ["cpu:64"]),
    (["--devices", "cpu:-1"], ["--devices cpu:-1", "N must be >= 1"]),
    (["-p", "drive=0:1:0.3"], ["bad grid 'drive=0:1:0.3'", "write 0:0.9:0.3 or 0:1.2:0.3"]),
    (["--batch-size", "0"], ["--batch-size", "0"]),
    (["--duration", "0.05"], ["duration", "dt=0.1"]),
    (["--executor", "dask", "--workers", "0"], ["--workers", "0"]),
])
def test_bad_values(in_tmp, args, fragments):
    res = sweep(TOY, *args)  # default store path: results/toy/...
    assert_refused(res, *fragments, folder=in_tmp)


def test_output_path_that_is_a_file_or_not_writable(in_tmp):
    (in_tmp / "f.zarr").write_text("not a store")
    res = sweep(TOY, "--out", in_tmp / "f.zarr")
    assert_refused(res, "f.zarr", "is a file", folder=in_tmp)
    assert (in_tmp / "f.zarr").read_text() == "not a store"
    res = sweep(TOY, "--out", in_tmp / "f.zarr" / "x.zarr")
    assert_refused(res, "x.zarr", "inside a file", folder=in_tmp)
    if os.path.isdir("/proc"):  # not writable even for root
        res = sweep(TOY, "--out", "/proc/brainbatch-test.zarr")
        assert_refused(res, "/proc/brainbatch-test.zarr", "not writable", folder=in_tmp)
        assert not os.path.exists("/proc/brainbatch-test.zarr")


def test_store_of_another_experiment_is_left_alone(in_tmp):
    from brainbatch.store import ResultStore, StoreSpec, VarSpec

    spec = StoreSpec("other", "0" * 64, {"drive": [1.5]}, seeds=[0], n_steps=200, dt=0.1,
                     records=(VarSpec("spikes", ("G_neuron",), (20,), "bool"),))
    ResultStore.create(str(in_tmp / "o.zarr"), spec)
    before = tree(in_tmp / "o.zarr")
    res = CliRunner().invoke(main, ["sweep", TOY, "--out", str(in_tmp / "o.zarr")])
    assert res.exit_code == 2 and "experiment 'other', not 'toy'" in res.output
    assert tree(in_tmp / "o.zarr") == before
    res = CliRunner().invoke(main, ["sweep", TOY, "--out", str(in_tmp / "o.zarr"), "--dry-run"])
    assert res.exit_code == 2 and "experiment 'other'" in res.output


def test_status_show_plot_of_a_missing_store(in_tmp):
    for command in ("status", "show", "plot"):
        res = CliRunner().invoke(main, [command, "nowhere.zarr"])
        assert res.exit_code == 2 and "nowhere.zarr" in res.output
    assert tree(in_tmp) == []


@pytest.mark.parametrize("option, value, close", [("--kernels", "natve", "native"), ("--executor", "dsk", "dask"),
                                                  ("--sampler", "sobl", "sobol")])
def test_a_misspelled_choice_gets_the_closest_one(in_tmp, option, value, close):
    res = sweep(TOY, option, value, "--dry-run")  # Click's own message named no close match
    assert res.exit_code == 2 and f"'{value}' is not one of" in res.output and f"Did you mean '{close}'?" in res.output


@pytest.mark.parametrize("args, fragments", [
    (["--batch-size", "0"], ["--batch-size must be an integer >= 1, got 0"]),
    (["-p", "drive=1.2", "-p", "drive=1.3"], ["'drive' is given twice", "a run takes one value, -p drive=V",
                                              "brainbatch sweep takes several"]),
    # the values as typed, not the Python list of their texts (got drive=['1.2', '1.3'])
    (["-p", "drive=1.2,1.3"], ["got drive=1.2,1.3;", "brainbatch sweep takes several"]),
])
def test_bad_values_of_one_run(in_tmp, args, fragments):
    res = CliRunner().invoke(main, ["run", str(TOY), *map(str, args)])
    assert_refused(res, *fragments, folder=in_tmp)
