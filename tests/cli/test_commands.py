"""The commands: help with examples, completion, sweep (dry run, -v, -q), run, status, show, plot."""
import os
import re

import numpy as np
import pytest
from _support import TOY, arrays, tree
from _support import invoke as run_cli
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_with_an_example(name):
    res = invoke(name, "--help")
    assert res.exit_code == 0
    assert "Example" in res.output and f"brainbatch {name} " in res.output, f"{name} --help has no example"


def test_the_group_help_lists_every_command():
    res = invoke("--help")
    assert res.exit_code == 0 and all(name in res.output for name in main.commands)


def test_shell_completion():
    script = run_cli(env_extra={"_BRAINBATCH_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "_brainbatch_completion" in script.stdout and "complete " in script.stdout
    reply = run_cli(env_extra={"_BRAINBATCH_COMPLETE": "bash_complete", "COMP_WORDS": "brainbatch sw",
                           "COMP_CWORD": "1"})
    assert reply.returncode == 0 and reply.stdout.split() == ["plain,sweep"]  # type,value per match


def test_dry_run_prints_the_plan_and_writes_nothing(in_tmp):
    res = invoke("sweep", TOY, "--seeds", "3-10", "-p", "drive=1.0,1.2,1.4", "--batch-size", "6",
                 "--devices", "cpu:2", "--dry-run")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "runs        24 (24 to run)" in out and "seeds       3-10 (8)" in out
    assert "batches     4" in out and "cpu:0, cpu:1" in out
    assert os.path.join("results", "toy", "drive.zarr") + " (new)" in out and re.search(r"about [\d.]+ KiB", out)
    assert "nothing was written" in out
    assert tree(in_tmp) == []


def test_the_plan_and_help_say_how_p_axes_merge_with_the_module_sweep(in_tmp):
    # toy.py has sweep = {"drive": [1.2, 1.5]}: -p n adds an axis, -p drive replaces the module's values
    res = invoke("sweep", TOY, "-p", "n=20,30", "--dry-run")
    assert res.exit_code == 0, res.output
    assert "drive = [1.2, 1.5] (module sweep), n = [20, 30] (-p, added to the module's sweep axes)" in res.output
    assert "runs        4 (4 to run)" in res.output
    res = invoke("sweep", TOY, "-p", "drive=1.3", "--dry-run")
    assert "drive = [1.3] (-p, replaces the module's values)" in res.output and "runs        1 " in res.output
    assert "-p on a module axis replaces its values" in " ".join(invoke("sweep", "--help").output.split())
    assert "ignores its `sweep` axes" in " ".join(invoke("run", "--help").output.split())


def test_sweep_then_dry_run_counts_done_runs_read_only(in_tmp):
    res = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "-v", "--devices", "cpu")
    assert res.exit_code == 0, res.output
    assert "batch 1/1 on cpu:0" in res.output and "runs        2 (2 to run)" in res.output  # -v: plan, batches
    store = os.path.join("results", "toy", "drive.zarr")
    assert f"2 run(s) done, 0 failed, 0 already done -> {store}" in res.output
    before, data = tree(in_tmp), arrays(store)
    res = invoke("sweep", TOY, "--seeds", "4", "-p", "drive=1.5", "--dry-run", "-v", "--devices", "cpu")
    assert res.exit_code == 0, res.output
    assert "runs        4 (2 to run)" in res.output
    assert "(exists; 2 run(s) done in it, 2 of them in this sweep)" in res.output
    assert "batch 1/1 on cpu:0: seed=2, drive=1.5; seed=3, drive=1.5" in res.output
    assert tree(in_tmp) == before
    assert all(np.array_equal(v, data[k], equal_nan=True) for k, v in arrays(store).items())
    # a dry run also says when the store would refuse this sweep, and exits as the sweep would (2: it exited 0)
    res = invoke("sweep", TOY, "--seeds", "4", "-p", "drive=1.5", "--dt", "0.05", "--dry-run")
    assert res.exit_code == 2 and "different dt (refused without --force)" in res.output
    assert "the sweep would be refused" in res.output and "give --force" in res.output
    forced = invoke("sweep", TOY, "--seeds", "4", "-p", "drive=1.5", "--dt", "0.05", "--dry-run", "--force")
    assert forced.exit_code == 0 and "every run is redone" in forced.output
    assert tree(in_tmp) == before
    # -q: no progress, only the summary
    res = invoke("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "-q")
    assert res.exit_code == 0 and res.output.strip() == f"0 run(s) done, 0 failed, 2 already done -> {store}"


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    """``brainbatch run``: one run in the sweep's store format."""
    folder = tmp_path_factory.mktemp("run")
    res = run_cli("run", TOY, "--seed", "3", "-p", "drive=1.5", "--duration", "10", cwd=folder)
    assert res.returncode == 0, res.stderr
    assert "1 run(s) done" in res.stdout
    return folder / "results" / "toy" / "run-drive.zarr"  # `run` names its store after its -p names


def test_run_writes_one_run_in_the_store_format(one_run):
    ds = bb.open_results(one_run)
    assert dict(ds.sizes) == {"seed": 1, "drive": 1, "time": 100, "G_neuron": 20}
    assert ds.seed.values.tolist() == [3] and bool(ds.done.all())
    assert ds.attrs["command"].startswith("brainbatch run ")


def test_show_says_what_an_empty_git_commit_means(one_run, tmp_path):
    # an experiment outside git is stored as git_commit "" and git_dirty null; show printed "git_commit: " and
    # "git_dirty: None" without a word
    import shutil

    import zarr

    copy = tmp_path / "nogit.zarr"
    shutil.copytree(one_run, copy)
    root = zarr.open_group(str(copy), mode="r+")
    prov = {**root.attrs["provenance"], "git_commit": "", "git_dirty": None}
    root.attrs.update({"provenance": prov, "git_commit": "", "git_dirty": None})
    res = invoke("show", copy)
    assert res.exit_code == 0, res.output
    assert "git_commit: none (the experiment file is in no git repository, or git is not installed)" in res.output
    assert "git_dirty: unknown (no git commit)" in res.output


def test_status_of_a_store_without_every_chunk_written_claims_no_chunk_listed(one_run, tmp_path):
    """A store whose writer did not write every chunk (no integrity "empty_chunks"): the fast check lists no chunk
    there (a missing one reads as fill values), so plain status must not say every chunk of its done runs is there."""
    import json
    import shutil

    copy = tmp_path / "older.zarr"
    shutil.copytree(one_run, copy)
    meta = json.loads((copy / "zarr.json").read_text())
    meta["attributes"]["integrity"].pop("empty_chunks")
    (copy / "zarr.json").write_text(json.dumps(meta))
    res = invoke("status", str(copy))
    assert res.exit_code == 0 and re.search(r"done +1\n", res.output), res.output
    assert "every chunk of those runs is there" not in res.output
    assert "the arrays' metadata checked, no chunk listed or read" in res.output


def test_status_show_and_plot(one_run):
    res = invoke("status", one_run)
    assert res.exit_code == 0 and re.search(r"done +1\n", res.output) and "failures" not in res.output
    # the fast check reads no chunk: status says what its "done" vouches for, and --verify does read them
    assert "none read; --verify reads each and checks its checksum" in res.output
    res = invoke("status", one_run, "--verify")
    assert res.exit_code == 0 and re.search(r"done +1\n", res.output) and "none read" not in res.output
    res = invoke("show", one_run)
    assert res.exit_code == 0, res.output
    for fragment in ("dims:  seed=1, drive=1, time=100, G_neuron=20", "spikes", "bool", "(seed, drive, time, G_neuron)",
                     "mV", f"experiment_path: {TOY}", "source_hash:", "analysis: not run", "--experiment FILE",
                     # the first line of the experiment's docstring, stored at the sweep
                     "description: A tiny noisy integrate-and-fire population, written with the core only"):
        assert fragment in res.output
    # the analysis runs only for an experiment file the user names (its hash matches the store's)
    res = invoke("show", one_run, "--experiment", TOY)
    assert res.exit_code == 0 and "analysis:" in res.output and "mean_rate_hz:" in res.output, res.output
    res = invoke("plot", one_run)
    assert res.exit_code == 0, res.output
    paths = re.findall(r"wrote (\S+\.png)", res.output)
    assert len(paths) == 2 and any("raster" in p for p in paths) and any("rate" in p for p in paths)
    for path in paths:
        assert os.path.dirname(path) == str(one_run.parent / "plots")
        with open(path, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    res = invoke("plot", one_run, "--seed", "4")
    assert res.exit_code == 2 and "seed 4 is not in the store" in res.output
