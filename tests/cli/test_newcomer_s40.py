"""Session 40, a demanding newcomer who does what the docs say: where the commands did not do what the text claims.

Each test is one such place; the CLI runs in this process (Click's CliRunner), a sweep on a tiny experiment.
"""
from __future__ import annotations

import sys
import warnings

from click.testing import CliRunner

from brainbatch.cli.main import main

MISPLACED = '''"""Eight seeds meant, at module level (docs/experiments.md: warned at its line)."""
import brainbatch as bb

seeds = 8
monitors = {"spikes": "E.spike"}
duration = 0.3


def build(w=0.5):
    E = bb.LifRef(2)
    return bb.Network(E=E)
'''


def _stderr_shows_warnings():
    """Warnings written to sys.stderr as Python does (pytest records them otherwise), in the CLI's format."""
    def show(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))
    warnings.simplefilter("always")
    warnings.showwarning = show


def test_a_misplaced_setting_is_warned_once_at_its_line_in_the_command_lines_words(tmp_path):
    # docs/experiments.md: "gets a warning at its line saying where that setting goes (--seeds 8 on the command
    # line)". The sweep said it twice, the second time as Python's seeds=8 (the threads that build the runs lost
    # the command line's context), and the CLI's one-line format dropped the line
    path = tmp_path / "misplaced.py"
    path.write_text(MISPLACED)
    with warnings.catch_warnings():
        _stderr_shows_warnings()
        res = CliRunner().invoke(main, ["sweep", str(path), "--seeds", "1", "--devices", "cpu:2", "-p", "w=0.5,0.6",
                                        "--out", str(tmp_path / "m.zarr"), "-q"])
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.stderr.splitlines() if "sets seeds = 8" in ln]
    assert len(said) == 1, res.stderr
    assert said[0].startswith(f"warning: {path}:4: sets seeds = 8") and "give --seeds 8 " in said[0], said
