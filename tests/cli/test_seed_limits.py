"""Seeds outside what the run key takes, and sweeps larger than a store holds, are refused up front:
exit 2, one line that says what is valid, nothing written; a dry run never hangs."""
import pytest
from _support import TOY, invoke_many, refused_in_one_line, tree
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.sweep.specs import MAX_RUNS, MAX_SEED


def test_the_issue_examples(in_tmp):
    commands = [("sweep", TOY, "--seeds", "9223372036854775807", "-q"),
                ("sweep", TOY, "--seeds", "9223372036854775808", "-q"),
                ("sweep", TOY, "--seeds", "0,4294967296", "-q"),
                ("sweep", TOY, "--seeds", "100000000", "--dry-run"),
                ("run", TOY, "--seed", "4294967296", "-q")]
    results = invoke_many(commands, cwd=in_tmp)
    for args, res in zip(commands, results):
        assert refused_in_one_line(res), (args, res.stdout, res.stderr)
    assert "more than one store holds (100000 runs)" in results[0].stderr
    assert "more than one store holds" in results[1].stderr
    assert "seeds are integers 0..4294967295" in results[2].stderr
    assert "more than one store holds" in results[3].stderr and "dry run" not in results[3].stdout
    assert "0..4294967295" in results[4].stderr
    assert tree(in_tmp) == []


@pytest.mark.parametrize("seeds, fragment", [
    ("4294967296-4294967297", "0..4294967295"),
    ("0-4294967295", "more than one store holds"),
    ("18446744073709551616", "more than one store holds"),
    ("1,99999999999999999999999", "0..4294967295"),
    (str(MAX_RUNS + 1), f"{MAX_RUNS + 1} seeds"),
    ("0-100000", "100001 seeds"),
    ("1e9", "bad seeds '1e9'"),
    ("0x10", "bad seeds '0x10'"),
    ("-5-3", "bad seeds"),
    ("\u0663", "bad seeds"),  # an Arabic-Indic digit: str.isdigit() says yes, int() too; still not a seed spec
])
def test_more_bad_seeds(in_tmp, seeds, fragment):
    res = CliRunner().invoke(main, ["sweep", TOY, "--seeds", seeds, "--dry-run"])
    assert res.exit_code == 2 and fragment in res.output and "Traceback" not in res.output, res.output
    assert tree(in_tmp) == []


def test_grid_larger_than_a_store_is_refused_before_planning(in_tmp):
    values = ",".join(str(1 + i / 1000) for i in range(101))
    res = CliRunner().invoke(main, ["sweep", TOY, "--seeds", "1000", "-p", f"drive={values}", "--dry-run"])
    assert res.exit_code == 2 and "1000 seeds x 101 drive = 101000 runs" in res.output, res.output
    assert tree(in_tmp) == []


def test_largest_seed_runs(in_tmp):
    res = CliRunner().invoke(main, ["sweep", TOY, "--seeds", f"{MAX_SEED}", "--dry-run"])
    assert res.exit_code == 2  # a count that large is refused ...
    res = CliRunner().invoke(main, ["sweep", TOY, "--seeds", f"{MAX_SEED}-{MAX_SEED}", "-p", "drive=1.5",
                                    "--duration", "2", "-q", "--out", "m.zarr"])
    assert res.exit_code == 0, res.output  # ... but the largest seed itself runs
    import brainbatch as bb

    assert bb.open_results("m.zarr").seed.values.tolist() == [MAX_SEED]
