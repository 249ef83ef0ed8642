"""The low items of issue 19 (item 17) that need a sweep: plot with odd values and folders, a dangling
--out symlink, a non-path out, sys.exit() inside build (the 400-digit integer: test_param_values.py)."""
import os
import shutil

import pytest
from _support import TOY
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.sweep import UsageError

LABELLED = """
import sys
import toy_base
import brainbatch as bb

monitors = {"spikes": "G.spike"}
duration = 2.0

def build(label="a", drive=1.5):
    if label == "exit":
        sys.exit(3)
    return bb.Network(G=toy_base.Toy(3, drive))
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("low")
    shutil.copy(TOY, folder / "toy_base.py")
    (folder / "labelled.py").write_text(LABELLED)
    out = str(folder / "s.zarr")
    res = CliRunner().invoke(main, ["sweep", str(folder / "labelled.py"), "--out", out, "-p", "label=x/y,exit",
                                    "-p", "drive=1.2,1.5", "-q"])
    return folder, out, res


def test_sys_exit_in_build_fails_that_run_only(store):
    _, out, res = store
    assert res.exit_code == 1, res.output
    assert "2 run(s) done, 2 failed" in res.output and "SystemExit: 3" in res.output


def test_plot_takes_odd_values_and_says_what_is_wrong(store):
    folder, out, _ = store
    res = CliRunner().invoke(main, ["plot", out, "-p", "label=x/y", "-p", "drive=1.5", "--out-dir",
                                    str(folder / "p")])
    assert res.exit_code == 0, res.output
    assert all(os.path.dirname(line.split(" ", 1)[1]) == str(folder / "p") for line in res.output.splitlines())
    assert "labelx_y" in res.output
    (folder / "notes.txt").write_text("a file, not a folder")
    for args, want in ((["-p", "drive=15"], "drive=15 is not in the store; drive values are [1.2, 1.5]"),
                       (["-p", "drive=1.2,1.5"], "plot draws one run: give one value of 'drive'"),
                       (["--out-dir", str(folder / "notes.txt" / "p")], "cannot make the plot folder"),
                       (["--out-dir", str(folder / "s.zarr" / "zarr.json" / "p")], "is inside the Zarr store")):
        res = CliRunner().invoke(main, ["plot", out, *args])
        assert res.exit_code == 2 and want in res.output and "Traceback" not in res.output, res.output
        assert len(res.output.strip().splitlines()) == 1


def test_a_dangling_out_symlink_and_a_non_path_out(in_tmp):
    os.symlink(in_tmp / "gone", in_tmp / "link.zarr")
    res = CliRunner().invoke(main, ["sweep", TOY, "--out", "link.zarr", "--dry-run"])
    assert res.exit_code == 2 and "is a symbolic link to" in res.output and "which does not exist" in res.output
    with pytest.raises(UsageError, match="out must be a path or URL string .* got int 5"):
        bb.sweep(TOY, out=5, progress=False)



@pytest.mark.parametrize("where", ["link/new.zarr", "new.zarr"])
def test_an_out_path_reaching_inside_a_zarr_store_through_a_symbolic_link_is_refused(in_tmp, where):
    # `--out outer.zarr/a/c/new.zarr` is refused (a store inside another store's chunk folder is deleted with the
    # array, and read as its chunks), but the same place reached through a link was taken: the check walked up
    # the path as typed, not the folders the store would really be written in
    import zarr

    zarr.open_group(str(in_tmp / "outer.zarr"), mode="w").create_array("a", shape=(4,), chunks=(2,), dtype="f4")[:] = 1
    chunks = in_tmp / "outer.zarr" / "a" / "c"
    if where == "new.zarr":  # the link is the output path itself, to an empty folder inside the store
        (chunks / "empty").mkdir()
        os.symlink(chunks / "empty", in_tmp / "new.zarr")
    else:
        os.symlink(chunks, in_tmp / "link")
    before = sorted(p.name for p in chunks.iterdir())
    res = CliRunner().invoke(main, ["sweep", TOY, "--duration", "1", "-q", "--out", where])
    assert res.exit_code == 2, res.output
    assert "is inside the Zarr store" in res.output and "outer.zarr/a'" in res.output, res.output
    assert sorted(p.name for p in chunks.iterdir()) == before

def test_an_out_path_inside_a_store_whose_root_zarr_json_was_lost_is_refused_as_inside_a_healthy_one(in_tmp):
    # a damaged store (its root zarr.json deleted) read as a plain folder: a new store was made inside it, among its
    # arrays (listed as one of them once the root is restored). A folder holding a store named 'status' is still free
    args = ["sweep", TOY, "--duration", "1", "-q", "--out"]
    assert CliRunner().invoke(main, [*args, "damaged.zarr"]).exit_code == 0
    (in_tmp / "damaged.zarr" / "zarr.json").unlink()
    before = sorted(p.name for p in (in_tmp / "damaged.zarr").iterdir())
    res = CliRunner().invoke(main, [*args, "damaged.zarr/new.zarr"])
    assert res.exit_code == 2 and "is inside the Zarr store" in res.output and "damaged.zarr'" in res.output, res.output
    assert sorted(p.name for p in (in_tmp / "damaged.zarr").iterdir()) == before
    assert CliRunner().invoke(main, [*args, "results/status"]).exit_code == 0
    assert CliRunner().invoke(main, [*args, "results/new.zarr", "--dry-run"]).exit_code == 0


BROKEN_LINE = """
import toy_base
import brainbatch as bb

monitors = {"spikes": "G.spike"}
duration = 1.0

def build(label="a"):
    if label == "lines":
        raise ValueError("Cannot calculate \\n  a + b, because units do not match")
    return bb.Network(G=toy_base.Toy(2, 1.5))
"""


def test_a_failed_runs_summary_line_holds_its_whole_message(tmp_path):
    # brainunit breaks its message after "Cannot calculate": the summary's one line must still say why
    shutil.copy(TOY, tmp_path / "toy_base.py")
    (tmp_path / "broken.py").write_text(BROKEN_LINE)
    res = CliRunner().invoke(main, ["sweep", str(tmp_path / "broken.py"), "--out", str(tmp_path / "s.zarr"),
                                    "-p", "label=a,lines", "-q"])
    assert res.exit_code == 1, res.output
    assert "label=lines: ValueError: Cannot calculate a + b, because units do not match" in res.output, res.output
