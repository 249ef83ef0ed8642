"""An --out path is resolved once, the same way for creating and opening (issue 19, item 15)."""
import os

from _support import TOY
from click.testing import CliRunner

from brainbatch.cli import main


def test_dotdot_through_a_missing_folder_creates_and_opens_the_same_store(in_tmp):
    out = "nosuchdir/../b.zarr"
    args = ["sweep", TOY, "--out", out, "-p", "drive=1.5", "--duration", "1", "-q"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and "1 run(s) done" in first.output, first.output
    assert os.path.isdir(in_tmp / "b.zarr") and not os.path.exists(in_tmp / "nosuchdir")
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "1 already done" in again.output, again.output
    status = CliRunner().invoke(main, ["status", out])
    assert status.exit_code == 0 and "done          1" in status.output, status.output
    assert CliRunner().invoke(main, ["show", "file://" + str(in_tmp / out)]).exit_code == 0


def test_a_store_inside_another_zarr_store_and_an_empty_plot_folder_are_refused(in_tmp):
    args = ["sweep", TOY, "-p", "drive=1.5", "--duration", "1", "-q"]
    assert CliRunner().invoke(main, [*args, "--out", "a.zarr"]).exit_code == 0
    before = sorted(os.listdir(in_tmp / "a.zarr"))
    res = CliRunner().invoke(main, [*args, "--out", "a.zarr/inner/sub.zarr"])
    assert res.exit_code == 2 and "is inside the Zarr store" in res.output and "a.zarr" in res.output, res.output
    assert sorted(os.listdir(in_tmp / "a.zarr")) == before  # nothing made inside it
    res = CliRunner().invoke(main, ["plot", "a.zarr", "--out", ""])
    assert res.exit_code == 2 and "--out '' names no folder" in res.output, res.output


def test_reading_a_file_as_a_store_says_it_is_a_file(in_tmp):
    (in_tmp / "afile.txt").write_text("mine")
    for command in ("status", "show", "plot"):  # zarr's own words were "No group found in store 'afile.txt' ..."
        res = CliRunner().invoke(main, [command, "afile.txt"])
        assert res.exit_code == 2 and "'afile.txt' is a file, not a brainbatch store" in res.output, res.output
        assert "No group found" not in res.output
    assert (in_tmp / "afile.txt").read_text() == "mine"


def test_a_line_break_typed_in_out_is_escaped_in_the_summary(in_tmp):
    # a store's own text was escaped, the path as typed was echoed raw (store audit)
    res = CliRunner().invoke(main, ["sweep", TOY, "--out", "nl\nx.zarr", "-p", "drive=1.5", "--duration", "1"])
    assert res.exit_code == 0, res.output
    assert "1 run(s) done, 0 failed, 0 already done -> nl\\nx.zarr" in res.output
    assert os.path.isdir(in_tmp / "nl\nx.zarr")
