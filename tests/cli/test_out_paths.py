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
