"""A local module the experiment imports is part of its source (issue 19, item 4): hashed, recorded in
provenance, a changed one refused like a changed experiment file, never run by ``show --experiment``
when it differs, and never reused stale from ``sys.modules``."""
import shutil
import sys

import pytest
import zarr
from _support import TOY
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.sweep.errors import UsageError
from brainbatch.sweep.experiment import SourceMismatchError

EXP = """
import helper_mod
import brainbatch as bb

monitors = {"spikes": "G.spike"}
duration = 2.0

def build(n=4, drive=1.5):
    return bb.Network(G=helper_mod.Toy(n, drive * helper_mod.WEIGHT))

def analyse(ds):
    return {"weight": helper_mod.WEIGHT}
"""


@pytest.fixture
def folder(tmp_path):
    shutil.copy(TOY, tmp_path / "helper_mod.py")
    with open(tmp_path / "helper_mod.py", "a") as fh:
        fh.write("\nWEIGHT = 1.0\n")
    (tmp_path / "exp.py").write_text(EXP)
    yield tmp_path
    sys.modules.pop("helper_mod", None)


def _edit_helper(folder, weight, extra=""):
    text = (folder / "helper_mod.py").read_text().rsplit("WEIGHT = ", 1)[0]
    (folder / "helper_mod.py").write_text(text + f"WEIGHT = {weight}\n{extra}")


def test_changed_helper_is_refused_and_recorded(folder):
    out = str(folder / "s.zarr")
    first = bb.sweep(str(folder / "exp.py"), seeds=1, out=out, progress=False)
    assert first.done == 1
    prov = zarr.open_group(out, mode="r").attrs["provenance"]
    assert list(prov["helpers"]) == ["helper_mod"]
    assert prov["helpers"]["helper_mod"]["path"] == str(folder / "helper_mod.py")

    _edit_helper(folder, 0.0)
    with pytest.raises(UsageError, match=r"source_hash: store has .*local modules that differ: helper_mod"):
        bb.sweep(str(folder / "exp.py"), seeds=2, out=out, progress=False)
    assert list(zarr.open_group(out, mode="r")["seed"][...]) == [0]  # nothing was added


def test_show_experiment_never_runs_a_changed_helper(folder):
    out = str(folder / "s.zarr")
    assert bb.sweep(str(folder / "exp.py"), seeds=1, out=out, progress=False).done == 1
    res = CliRunner().invoke(main, ["show", out, "--experiment", str(folder / "exp.py")])
    assert res.exit_code == 0 and "weight: 1.0" in res.output, res.output
    assert f"local module helper_mod: {folder / 'helper_mod.py'}" in res.output
    res = CliRunner().invoke(main, ["sweep", str(folder / "exp.py"), "--out", out, "--dry-run"])
    assert "(the file and 1 local module(s): helper_mod)" in res.output, res.output

    _edit_helper(folder, 2.0, extra="import pathlib\npathlib.Path(__file__).with_name('RAN').write_text('x')\n")
    res = CliRunner().invoke(main, ["show", out, "--experiment", str(folder / "exp.py")])
    assert res.exit_code == 0, res.output
    assert "analysis: skipped" in res.output and "'helper_mod'" in res.output and "was not run" in res.output
    assert not (folder / "RAN").exists()
    # show --source: the store keeps the module's text and says that the module on disk differs (issue 23 item 15)
    res = CliRunner().invoke(main, ["show", out, "--source", "--experiment", str(folder / "exp.py")])
    assert res.exit_code == 0, res.output
    assert f"local module {folder / 'helper_mod.py'} differs from the one the store was written with" in res.output
    assert "-WEIGHT = 1.0\n+WEIGHT = 2.0" in res.output
    assert "exp.py is the source the store was written with (not all its local modules: above)" in res.output
    assert "WEIGHT = 1.0" in CliRunner().invoke(main, ["show", out, "--source"]).output


def test_a_stale_helper_in_sys_modules_is_not_reused(folder):
    sys.path.insert(0, str(folder))
    try:
        import helper_mod  # a notebook (or a dask worker) imported the old version
    finally:
        sys.path.remove(str(folder))
    assert helper_mod.WEIGHT == 1.0
    first = bb.load_experiment(folder / "exp.py")
    _edit_helper(folder, 3.0)
    second = bb.load_experiment(folder / "exp.py")
    assert second.module.helper_mod.WEIGHT == 3.0
    assert second.source_hash != first.source_hash
    assert second.helpers["helper_mod"][1] != first.helpers["helper_mod"][1]
    # a worker checking against the first hash refuses the changed helper before it runs
    with pytest.raises(SourceMismatchError, match="helper_mod"):
        bb.load_experiment(folder / "exp.py", expected_hash=first.source_hash,
                           expected_helpers={k: v[1] for k, v in first.helpers.items()})
