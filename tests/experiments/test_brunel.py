"""experiments/brunel.py: its statistics, its analyse and figures on a small store, and its rates
against Brian2 2.9 (bench/brunel_brian2.py -> bench/reference_rates.json, "brunel")."""
import json
import pathlib

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXP = load_experiment(ROOT / "experiments" / "brunel.py")
REFERENCE = json.loads((ROOT / "bench" / "reference_rates.json").read_text())["models"].get("brunel")


def test_statistics_of_known_rasters():
    n_steps = 3000  # 300 ms at 0.1 ms; statistics over [200, 300)
    E = np.zeros((n_steps, 4), bool)
    E[::100, :] = True  # every E neuron at 100 Hz, all in the same steps: perfectly regular and synchronous
    I = np.zeros((n_steps, 1), bool)
    I[5::50, 0] = True  # 200 Hz
    st = EXP.module.statistics(E, I, dt=0.1, t_stat=200.0)
    assert st["rate_E"] == pytest.approx(100.0) and st["rate_I"] == pytest.approx(200.0)
    assert st["rate"] == pytest.approx((4 * 100.0 + 200.0) / 5)
    assert st["cv_isi"] == pytest.approx(0.0)
    # 1 ms bins: 4 spikes every 10 bins, 1 spike every 5 bins -> counts 4+1, 0, 0, 0, 0, 1, 0, 0, 0, 0
    counts = np.array([5, 0, 0, 0, 0, 1, 0, 0, 0, 0] * 10, float)
    assert st["synchrony"] == pytest.approx(counts.var() / counts.mean())
    rng = np.random.default_rng(0)
    poisson = rng.random((20000, 500)) < 0.002  # independent 20 Hz Poisson trains: CV ~ 1, synchrony ~ 1
    st = EXP.module.statistics(poisson[:, :400], poisson[:, 400:])
    assert abs(st["cv_isi"] - 1.0) < 0.05 and abs(st["synchrony"] - 1.0) < 0.1


@pytest.mark.slow
def test_analyse_and_the_phase_picture_on_a_small_sweep(tmp_path):
    # a 10x smaller network, 300 ms: the whole path from sweep to store to analyse to figures
    small = {"n_e": 400, "n_i": 100, "c_e": 40, "c_i": 10}
    path = bb.sweep(EXP.path, seeds=1, params=small, duration=300.0, out=str(tmp_path / "b.zarr"), progress=False)
    assert path.done == 6 and not path.failed
    ds = bb.open_results(path)
    summary = EXP.analyse(ds)
    assert sorted(summary) == sorted(f"g={g:g}, eta={e:g}" for g in (3, 5, 6) for e in (0.9, 2))
    assert all("Hz" in v and "synchrony" in v for v in summary.values())
    cells = EXP.module.cells(ds, t_stat=100.0)
    rates = {(dict(c)["g"], dict(c)["eta"]): s["rate"] for c, s in cells.items()}
    assert all(rates[(g, 2.0)] > rates[(g, 0.9)] for g in (3.0, 5.0, 6.0))  # more drive, more firing
    assert rates[(3.0, 2.0)] > rates[(6.0, 2.0)]  # more inhibition, less firing
    import importlib.util

    spec = importlib.util.spec_from_file_location("figures", ROOT / "experiments" / "figures.py")
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    (tmp_path / "figs").mkdir()
    figures.phase_picture("brunel", ds, str(tmp_path / "figs"))
    assert {p.name for p in (tmp_path / "figs").iterdir()} == {"brunel_phase.png", "brunel_grid.png"}


# -- rates against Brian2 ----------------------------------------------------------------------------
# The reference: Brian2 2.9, 4 seeds x 1000 ms per cell, rate over [200, 1000) ms. The suite cannot
# afford the 24 runs again (g = 3, eta = 2 fires at 192 Hz), so it checks the cells whose rate is
# sensitive to the model details and precise enough to test at 2 % (g = 3 at both eta, where the
# refractory boundary moved the rate by 3.5-4.5 %; g = 5 and 6 at eta = 2), with fewer seeds or a
# shorter window. Tolerance per cell: the spec's 2 %, or 3 standard deviations of the difference of
# the two means if that is larger, sd = s * sqrt(window_ref / window / n + 1 / n_ref) with s the
# Brian2 seed-to-seed sd (rate noise taken to scale as 1 / sqrt(window)). At eta = 0.9, g = 5 and 6
# fire at 2-3 Hz with a 6-8 % seed-to-seed sd: a 2 % test would need hundreds of seeds (see the report
# in bench/README.md for all cells over 4 seeds).
CASES = {  # id: (cells, seeds, duration in ms)
    "g3-eta0.9": ([(3.0, 0.9)], [0, 1], 1000.0),           # 76 Hz, sd 0.7 %: two seeds -> tolerance 2 %
    "g5,6-eta2": ([(5.0, 2.0), (6.0, 2.0)], [0], 1000.0),  # 60 and 42 Hz, sd 0.3 %
    "g3-eta2": ([(3.0, 2.0)], [0], 1000.0),                # 192 Hz, sd 0.07 %
}
DURATION = 1000.0  # every case: all lanes share one compiled program and one run


@pytest.fixture(scope="module")
def lane_rates():
    """The rate of every (g, eta, seed) lane of CASES, from one batch (one compile for the three tests).

    The rate is ``statistics``' (all spikes in [200, 1000) ms over all neurons and the window), counted
    from the population's spikes per step (``reduce="sum"``) instead of the 5 lanes' whole rasters (250 MB
    of bools to record, copy and scan): the same integer count, so the same rate bit for bit, for ~2.5 s
    less CPU."""
    lanes = sorted({(g, eta, s) for cells, seeds, _ in CASES.values() for g, eta in cells for s in seeds})
    monitors = {p: bb.Monitor(f"{p}.spike", reduce="sum") for p in ("E", "I")}
    sim = Simulation(lambda p: EXP.build(**{**EXP.params, **p}), normalize_monitors(monitors), dt=EXP.dt)
    params = {"g": np.array([g for g, _, _ in lanes], np.float32), "eta": np.array([e for _, e, _ in lanes], np.float32)}
    _, recs = sim.run([s for *_, s in lanes], params, int(round(DURATION / EXP.dt)), keep=True)
    n = EXP.params["n_e"] + EXP.params["n_i"]
    start = int(round(EXP.module.T_STAT / EXP.dt))
    counts = np.asarray(recs["E"])[:, start:].sum(axis=1) + np.asarray(recs["I"])[:, start:].sum(axis=1)
    window_s = (int(round(DURATION / EXP.dt)) - start) * EXP.dt / 1000.0
    return {lane: float(counts[k] / (n * window_s)) for k, lane in enumerate(lanes)}


def _tolerance(ref, n, duration):
    window, window_ref = duration - 200.0, REFERENCE["duration_ms"] - REFERENCE["t_stat_ms"]
    sd = ref["std_hz"] * np.sqrt(window_ref / window / n + 1.0 / len(ref["per_seed_hz"]))
    return max(0.02, 3.0 * sd / ref["mean_hz"])


@pytest.mark.slow
@pytest.mark.skipif(REFERENCE is None, reason="bench/reference_rates.json has no brunel entry")
@pytest.mark.parametrize("case", CASES)
def test_rates_match_brian2_within_2_percent_in_the_sensitive_cells(case, lane_rates):
    cells, seeds, duration = CASES[case]
    rates = {(g, eta): np.mean([lane_rates[(g, eta, s)] for s in seeds]) for g, eta in cells}
    for (g, eta), rate in rates.items():
        ref = REFERENCE["cells"][f"g={g:g},eta={eta:g}"]
        tol = _tolerance(ref, len(seeds), duration)
        assert tol <= 0.021, (g, eta, tol)  # these cells are tested at (about) the spec's 2 %
        assert abs(rate - ref["mean_hz"]) / ref["mean_hz"] < tol, (g, eta, rate, ref["mean_hz"], tol)
