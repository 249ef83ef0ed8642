"""The CLI of sampled designs: bad ranges and design options exit 2 in one line and write nothing;
--dry-run shows the design; show and plot describe and draw a sampled store."""
import os

import pytest
from _support import TOY, tree
from click.testing import CliRunner

from brainbatch.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


@pytest.mark.parametrize("args, fragments", [
    (["-p", "drive=0.8:0.4", "--samples", "8"], ["drive=0.8:0.4", "must be below"]),
    (["-p", "drive=a:b", "--samples", "8"], ["drive=a:b", "'a' is not a number"]),
    (["-p", "drive=0:1:cubic", "--samples", "8"], ["'cubic'", "allowed after LOW:HIGH: log, int"]),
    (["-p", "drive=0:1:log", "--samples", "8"], ["log scale needs bounds > 0"]),
    (["-p", "n=10:30", "--samples", "8"], ["'n' is an integer", "-p n=10:30:int"]),
    (["-p", "drive=1:2", "--samples", "0"], ["--samples must be an integer >= 1, got 0"]),
    (["-p", "drive=1:2", "--samples", "-3"], ["got -3"]),
    (["-p", "drive=1:2"], ["is a range: give --samples N"]),
    (["--samples", "8"], ["--samples 8 needs a parameter range"]),
    (["-p", "drive=1:2", "--samples", "8", "--sampler", "cubic"], ["'cubic'", "sobol"]),
])
def test_bad_ranges_and_design_options_exit_2(in_tmp, args, fragments):
    res = invoke("sweep", TOY, *args)
    assert res.exit_code == 2, res.output
    for fragment in fragments:
        assert fragment in res.output, res.output
    assert "Traceback" not in res.output and tree(in_tmp) == []


def test_run_refuses_a_range(in_tmp):
    res = invoke("run", TOY, "-p", "drive=1:2")
    assert res.exit_code == 2 and "run takes one value per parameter" in res.output and "--samples" in res.output
    # LOW:HIGH:STEP is a grid: the message says so and points to a sweep of it, not to --samples
    res = invoke("run", TOY, "-p", "drive=1:2:0.5")
    assert res.exit_code == 2, res.output
    assert "got the grid drive=1:2:0.5; sweep a grid with brainbatch sweep" in res.output and "--samples" not in res.output


def test_dry_run_shows_the_design_its_first_points_and_the_size(in_tmp):
    res = invoke("sweep", TOY, "-p", "drive=1:2:log", "-p", "n=10,20", "--samples", "12", "--duration", "2",
                 "--dry-run")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "grid        n = [10, 20] (-p, added" in out and "drive axis replaced by a range" in out
    assert "design      sobol, 12 samples, sample seed 0: drive in 1:2:log" in out
    assert "note: 12 is not a power of 2" in out and "sample 4: drive=" in out and "(7 more)" in out
    assert "runs        24 (24 to run)" in out and "size        about" in out
    assert "results/toy/n-drive-sobol.zarr (new)" in out
    assert tree(in_tmp) == []


def test_show_and_plot_of_a_sampled_store(in_tmp):
    res = invoke("sweep", TOY, "-p", "drive=1:2", "--samples", "4", "--sampler", "halton", "--sample-seed", "5",
                 "--duration", "2", "--devices", "cpu", "-q", "--out", "s.zarr")
    assert res.exit_code == 0, res.output
    shown = invoke("show", "s.zarr").output
    assert "sample: 0..3" in shown and "design: halton, 4 samples, sample seed 5" in shown
    assert "drive: 1.0:2.0 (uniform); coordinate drive(sample)" in shown and "sample 3: drive=" in shown
    plotted = invoke("plot", "s.zarr", "--out-dir", "plots")
    assert plotted.exit_code == 0, plotted.output
    assert os.path.isfile(in_tmp / "plots" / "s_samples.png")
    assert "s_raster_seed0_sample0.png" in plotted.output
    bad = invoke("plot", "s.zarr", "-p", "drive=1.5")
    assert bad.exit_code == 2 and "-p sample=I" in bad.output

