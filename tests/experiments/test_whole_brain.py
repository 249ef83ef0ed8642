"""experiments/whole_brain.py through the CLI: a small G x sigma grid as traced lanes into one store, then the
experiment's analyse() on it. The model's numbers against BrainPy are in tests/brainpy/test_ported_families.py."""
import pathlib

import numpy as np
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXPERIMENT = ROOT / "experiments" / "whole_brain.py"


def test_a_coupling_by_noise_sweep_through_the_cli(tmp_path):
    out = tmp_path / "wb.zarr"
    args = ["sweep", str(EXPERIMENT), "--seeds", "1", "-p", "G=0,2", "-p", "sigma=0,0.01", "-p", "n=12",
            "--duration", "400", "--out", str(out), "-q"]
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    ds = bb.open_results(out)
    x = ds["x"].load()
    assert (x.sizes["G"], x.sizes["sigma"], x.shape[-2], x.shape[-1]) == (2, 2, 400, 12)  # 1 ms samples
    assert np.all(np.isfinite(x.values))
    exp = load_experiment(EXPERIMENT)
    summary = exp.analyse(ds)
    # one line per swept combination (it pooled the whole grid into one number)
    assert set(summary) == {f"G={G:g}, sigma={s:g}" for G in (0.0, 2.0) for s in (0.0, 0.01)}, summary
    assert all(line.startswith("fc_mean ") and ", x_std " in line for line in summary.values()), summary
    # coupling synchronises the regions: the functional connectivity grows with G (noise on)
    stats = exp.module.run_statistics(x)  # keyed by (seed, G, sigma, n)
    fc = {G: stats[(0, G, 0.01, 12)]["fc_mean"] for G in (0.0, 2.0)}
    assert fc[2.0] > fc[0.0] + 0.05, fc
