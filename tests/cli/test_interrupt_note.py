"""What the CLI says on Ctrl-C, from what the sweep's KeyboardInterrupt carries (``err.brainbatch``)."""
import click
import pytest
from click.testing import CliRunner

from brainbatch.cli.main import _interrupt_note


def _stopped(info):
    @click.command()
    def cmd():
        with _interrupt_note(in_process=False):  # in-process would end the test process with os._exit
            err = KeyboardInterrupt()
            err.brainbatch = info
            raise err
    return CliRunner().invoke(cmd, [])


@pytest.mark.parametrize("rebuilt", [False, True])
def test_the_interrupt_note_says_runs_are_kept_only_where_the_store_was_not_rebuilt(rebuilt):
    info = {"store": "s.zarr", "done": 2, **({"rebuilt": True} if rebuilt else {})}
    res = _stopped(info)
    assert res.exit_code == 130, res.output
    kept = "interrupted: every finished run is kept in s.zarr (2 finished in this session" in res.output
    assert kept is not rebuilt, res.output
    # after another sweep's rebuild none of this sweep's runs is in the store: saying they are kept would be false
    assert ("s.zarr was rebuilt (or removed) by another process while this sweep ran, so none of the runs this "
            "sweep finished is in it" in res.output) is rebuilt, res.output
