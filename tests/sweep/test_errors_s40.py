"""A seed count of 0 says how to ask for seed 0 alone (session 40: "a seed count must be >= 1" left a user who
meant seed 0 without the way to it)."""
import pathlib

import pytest
from click.testing import CliRunner

from brainbatch.cli.main import main
from brainbatch.sweep.specs import parse_seeds

COBA = str(pathlib.Path(__file__).resolve().parents[2] / "experiments" / "coba.py")


def test_a_seed_count_of_zero_names_the_ways_to_seed_0():
    for spec in (0, "0"):
        with pytest.raises(Exception, match=r"bad seeds .*0.*: a seed count must be >= 1 \(a count n is seeds "
                                            r"0\.\.n-1: seed 0 alone is a count of 1, or the range 0-0"):
            parse_seeds(spec)
    assert parse_seeds("0-0") == [0] == parse_seeds([0])
    res = CliRunner().invoke(main, ["sweep", COBA, "--seeds", "0", "--dry-run"])
    assert res.exit_code == 2 and "seed 0 alone is a count of 1, or the range 0-0" in res.output, res.output
