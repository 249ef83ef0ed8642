"""experiments/stp_tsodyks.py: a depressing synapse under Poisson trains releases U / (1 + U rate tau_d) per
spike (Tsodyks & Markram 1997; an exact result for this model), read off the store by the experiment's own
plain-xarray analysis; facilitation raises the release per spike, most where spikes are rare."""
import math
import pathlib

import numpy as np
import pytest

from brainbatch.sweep import load_experiment, sweep

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("stp") / "stp.zarr"
    sweep(ROOT / "experiments" / "stp_tsodyks.py", out=out, seeds=[0, 1],
          params={"rate": [2.0, 10.0, 40.0], "tau_f": [0.0, 1000.0], "U": [0.5], "n_pre": [500]}, duration=1500.0,
          progress=False)
    return out


def test_a_depressing_synapse_releases_what_the_poisson_theory_says(store):
    import brainbatch as bb

    exp = load_experiment(ROOT / "experiments" / "stp_tsodyks.py")
    r = exp.module.release_per_spike(bb.open_results(store)).sel(tau_f=0.0, U=0.5, n_pre=500).mean("seed").load()
    for rate in (2.0, 10.0, 40.0):
        want = exp.module.theory(rate, 0.5, 200.0)
        # 1000 ms x 500 sources x 2 seeds: >= 2000 spikes at 2 Hz; the per-spike release varies by < 30 %
        # around its mean, so its standard error is < 0.7 %: 4 % is > 5 standard errors
        assert float(r.sel(rate=rate)) == pytest.approx(want, rel=0.04), rate
    analysis = exp.analyse(bb.open_results(store))
    assert "(theory 0.2500)" in analysis["rate 10, tau_f 0, U 0.5, n_pre 500"]


def test_facilitation_raises_the_release_most_at_low_rates(store):
    import brainbatch as bb

    exp = load_experiment(ROOT / "experiments" / "stp_tsodyks.py")
    r = exp.module.release_per_spike(bb.open_results(store)).sel(U=0.5, n_pre=500).mean("seed").load()
    gain = (r.sel(tau_f=1000.0) / r.sel(tau_f=0.0)).values  # rates 2, 10, 40 Hz
    # u is still high from earlier spikes when the next comes within tau_f = 1 s, but at high rates depression
    # (tau_d = 200 ms) leaves little to release: measured gains 1.29, 1.28, 1.11
    assert np.all(gain > 1.15 - 0.1 * np.arange(3)) and gain[:2].min() > gain[2] + 0.1, gain
    assert not math.isnan(float(r.sum())) and np.all(r.values < 1.0)
