"""Reading a store never executes what it names: ``show``, ``status``, ``plot``, ``open_results`` and
``load_state`` leave a planted experiment file alone; ``show --experiment FILE`` runs ``analyse`` only
for the very source the store was written with."""
import os
import shutil

import pytest
import zarr
from _support import TOY
from _support import invoke as cli
from _support import invoke_many as cli_many

import brainbatch as bb

EVIL = """
import pathlib
pathlib.Path(__file__).with_name("PWNED").write_text("code from a store ran")

def build(**kw):
    raise RuntimeError

def analyse(ds):
    pathlib.Path(__file__).with_name("PWNED").write_text("analyse ran")
    return {}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reading")
    shutil.copy(TOY, folder / "toy.py")
    res = cli("sweep", folder / "toy.py", "--seeds", "1", "-p", "drive=1.5", "--duration", "10", "--out",
              folder / "s.zarr", "-q", cwd=folder)
    assert res.returncode == 0, res.stderr
    return folder / "s.zarr"


def _plant(store, folder, experiment_path):
    """Someone else's store: its provenance names a file that is planted in the reader's folder."""
    copy = folder / "theirs.zarr"
    shutil.copytree(store, copy)
    root = zarr.open_group(str(copy), mode="r+")
    prov = dict(root.attrs["provenance"])
    prov["experiment_path"] = experiment_path
    root.attrs.update({"provenance": prov, "experiment_path": experiment_path})
    (folder / "evil.py").write_text(EVIL)
    return copy


def test_show_status_plot_never_import_the_named_file(store, tmp_path):
    theirs = _plant(store, tmp_path, "evil.py")  # relative: resolved against the reader's folder
    commands = [("show", theirs), ("status", theirs), ("plot", theirs, "--out-dir", tmp_path / "plots")]
    for args, res in zip(commands, cli_many(commands, cwd=tmp_path)):
        assert res.returncode == 0, (args, res.stderr)
    assert not (tmp_path / "PWNED").exists()
    res = cli_many([("show", theirs)], cwd=tmp_path)[0]
    assert "analysis: not run" in res.stdout and "--experiment FILE" in res.stdout


def test_python_readers_never_import_the_named_file(store, tmp_path, monkeypatch):
    theirs = _plant(store, tmp_path, str(tmp_path / "evil.py"))
    monkeypatch.chdir(tmp_path)
    ds = bb.open_results(theirs, states=True)
    ds.bb.rates().values
    bb.load_state(theirs, seed=0, drive=1.5)
    assert not (tmp_path / "PWNED").exists()


def test_show_experiment_runs_analyse_only_when_the_hash_matches(store, tmp_path):
    (tmp_path / "evil.py").write_text(EVIL)
    changed = tmp_path / "toy.py"
    changed.write_text(open(TOY).read() + "\nimport pathlib\npathlib.Path(__file__).with_name('PWNED').write_text('x')\n")
    commands = [("show", store, "--experiment", tmp_path / "evil.py"), ("show", store, "--experiment", changed),
                ("show", store, "--experiment", store.parent / "toy.py")]
    mismatch_evil, mismatch_changed, match = cli_many(commands, cwd=tmp_path)
    for res in (mismatch_evil, mismatch_changed):
        assert res.returncode == 0, res.stderr
        assert "analysis: skipped" in res.stdout and "not the source the store was written with" in res.stdout
        assert "mean_rate_hz" not in res.stdout
    assert not (tmp_path / "PWNED").exists()  # a mismatching file is never executed
    assert match.returncode == 0 and "mean_rate_hz:" in match.stdout, match.stdout + match.stderr


def test_show_experiment_that_is_missing_or_not_python(store, tmp_path):
    from click.testing import CliRunner

    from brainbatch.cli import main

    for path in (tmp_path / "nope.py", store):
        res = CliRunner().invoke(main, ["show", str(store), "--experiment", str(path)])
        assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("edit", ["provenance list", "defaults number", "sources number"])
def test_show_reads_a_hand_edited_provenance_without_a_traceback(store, tmp_path, edit):
    # AttributeError: 'list' object has no attribute 'get' (bad-input audit); show only displays it
    copy = tmp_path / "edited.zarr"
    shutil.copytree(store, copy)
    root = zarr.open_group(str(copy), mode="r+")
    prov = dict(root.attrs["provenance"])
    if edit == "provenance list":
        prov = []
    else:
        prov["defaults" if edit == "defaults number" else "sources"] = 5
    root.attrs.update({"provenance": prov})
    shown, source = cli_many([("show", copy), ("show", copy, "--source")], cwd=tmp_path)
    assert shown.returncode == 0 and "provenance:" in shown.stdout, shown.stderr
    assert "Traceback" not in source.stderr
    assert source.returncode == 0 if edit == "defaults number" else "keeps no source text" in source.stderr
