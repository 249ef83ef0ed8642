"""The example experiments away from their defaults: each parameter a user sweeps does what its name says, checked
against Brian2 2.9 or an exact result, and each experiment's analyse() gives each swept value its own numbers.

Earlier checks (tests/experiments/test_*.py, bench/reference_rates.json) compare the defaults, where a parameter
that is ignored, applied to the wrong population or in the wrong unit does not show. The Brian2 numbers below come
from Brian2 2.9.0 (numpy target, dt 0.1 ms) running the models written from the experiments' docstrings; the scripts
are in the tests' docstrings.
"""
import pathlib

import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _experiment(name):
    return load_experiment(ROOT / "experiments" / f"{name}.py")


# -- poisson_lif: input rate and weight against Brian2 ---------------------------------------------------------------
#: Brian2 2.9.0, 4000 neurons, 500 ms, mean of seeds 0 and 1 (the two seeds differ by < 0.05 Hz):
#:     G = NeuronGroup(4000, "dv/dt = -(v - -60*mV) / (20*ms) : volt (unless refractory)", threshold="v > -50*mV",
#:                     reset="v = -60*mV", refractory=5*ms, method="exact")
#:     G.v = "-55*mV + 2*mV*randn()"
#:     PoissonInput(G, "v", N=1000, rate=rate*Hz, weight=weight*mV); SpikeMonitor(G); run(500*ms)
POISSON_LIF_BRIAN2 = {(10.0, 0.06): 24.37, (14.0, 0.06): 43.08, (10.0, 0.08): 40.42, (14.0, 0.08): 59.17}


@pytest.fixture(scope="module")
def poisson_lif_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("plif") / "plif.zarr"
    bb.sweep(ROOT / "experiments" / "poisson_lif.py", out=out, seeds=[0], progress=False, duration=500.0,
             params={"rate": [10.0, 14.0], "weight": [0.06, 0.08], "n": [200]})
    return bb.open_results(out)


def test_poisson_lif_input_rate_and_weight_give_brian2s_rates(poisson_lif_store):
    rates = poisson_lif_store.bb.rates(var="spikes").mean("E_neuron").isel(seed=0, n=0)
    for (rate, weight), want in POISSON_LIF_BRIAN2.items():
        got = float(rates.sel(rate=rate, weight=weight))
        # nearly regular firing: 200 neurons' mean has a standard error of ~0.15 Hz; 3 % is > 4 of them
        assert got == pytest.approx(want, rel=0.03), (rate, weight, got, want)
    summary = _experiment("poisson_lif").analyse(poisson_lif_store)
    # each cell its own (the analysis averaged every weight into one line per input rate: 32.4 and 51.1 Hz here)
    assert sorted(summary) == ["rate=10, weight=0.06", "rate=10, weight=0.08", "rate=14, weight=0.06",
                               "rate=14, weight=0.08"]
    for (rate, weight), want in POISSON_LIF_BRIAN2.items():
        assert float(summary[f"rate={rate:g}, weight={weight:g}"].split()[0]) == pytest.approx(want, rel=0.03)


# -- stp_tsodyks: U, tau_d, w and tau_s against the exact Poisson result, at another dt --------------------------------
def test_stp_release_follows_u_and_tau_d_at_any_dt_w_and_tau_s(tmp_path):
    """A depressing synapse under a Poisson train releases exactly U / (1 + U rate tau_d) per spike (Tsodyks &
    Markram 1997). The release was read off the record with the module's dt 0.1 ms, whatever dt the store ran at:
    at ``--dt 0.05`` every value came out twice the theory (0.2816 against 0.1429)."""
    out = tmp_path / "stp.zarr"
    bb.sweep(ROOT / "experiments" / "stp_tsodyks.py", out=out, seeds=[0], dt=0.05, progress=False, duration=1000.0,
             params={"rate": [20.0], "tau_d": [100.0, 400.0], "U": [0.2, 0.5], "w": [2.0], "tau_s": [2.0],
                     "n_pre": [200]})
    exp = _experiment("stp_tsodyks")
    ds = bb.open_results(out)
    r = exp.module.release_per_spike(ds).squeeze()
    summary = exp.analyse(ds)
    for tau_d in (100.0, 400.0):
        for U in (0.2, 0.5):
            want = exp.module.theory(20.0, U, tau_d)  # 0.143, 0.25, 0.077, 0.1
            # 200 sources x 20 Hz x 0.5 s: 2000 releases, each within ~30 % of the mean: 1 % standard error
            assert float(r.sel(tau_d=tau_d, U=U)) == pytest.approx(want, rel=0.04), (tau_d, U)
            text = summary[f"rate 20, tau_d {tau_d:g}, U {U:g}, w 2, tau_s 2, n_pre 200"]
            assert float(text.split()[0]) == pytest.approx(want, rel=0.04) and f"(theory {want:.4f})" in text


# -- whole_brain: delays in time whatever the dt, statistics on the record's own clock --------------------------------
@pytest.mark.parametrize("speed", [20.0, 10.0])
def test_whole_brain_delays_are_fibre_length_over_speed_at_any_dt(speed):
    """``delay_steps`` took the module's dt (0.1 ms) whatever dt the run had: at ``--dt 0.05`` every conduction
    delay was half as long as ``D / signal_speed``."""
    from brainbatch.core import environment

    exp = _experiment("whole_brain")
    _, D = exp.module.connectome(12)  # fibre lengths (mm)
    for dt in (0.1, 0.05):
        with environment(dt=dt):
            net = exp.build(n=12, signal_speed=speed)
        got = np.asarray(net.coupling.delay_steps) * dt
        want = D / speed
        off = ~np.eye(12, dtype=bool)
        assert np.all(np.abs(got[off] - want[off]) <= dt / 2 + 1e-9), (dt, speed)


def test_whole_brain_statistics_start_at_200_ms_on_the_records_clock():
    """A record every 10 steps is 0.5 ms apart at ``--dt 0.05``: the statistics cut 200 samples (100 ms), not 200
    ms, and the common transient in [100, 200) ms read as functional connectivity."""
    rng = np.random.default_rng(0)
    t = np.arange(0.0, 400.0, 0.5)  # ms
    x = rng.normal(size=(t.size, 6))
    x[t < 200.0] += np.sin(t[t < 200.0] / 5.0)[:, None] * 10.0  # every region shares the transient
    da = xr.DataArray(x[None, None], dims=("seed", "G", "time_every10", "fhn_neuron"),
                      coords={"seed": [0], "G": [1.0], "time_every10": t})
    fc = _experiment("whole_brain").module.run_statistics(da)[(0, 1.0)]["fc_mean"]
    assert abs(fc) < 0.1, fc  # independent noise after 200 ms (with the transient: fc 0.97)


# -- analyse() on swept stores: each value's numbers its own -----------------------------------------------------------
DT = 0.1


def _regular(rate_hz, n, steps, dt=DT):
    """``(steps, n)`` raster: every neuron fires every 1000 / rate ms from step 0."""
    r = np.zeros((steps, n), np.float32)
    if rate_hz:
        r[:: int(round(1000.0 / rate_hz / dt))] = 1.0
    return r


def _store(grid, pops, steps=2000, done=None, dt=DT):
    """A results Dataset as ``open_results`` gives it: runs over ``seed`` and ``grid``; ``pops[var] = (neuron dim,
    f(cell) -> (rate Hz, neurons))``, smaller runs padded with NaN to the largest; ``done``: a bool array over the
    runs (all done if None)."""
    dims = ["seed", *grid]
    shape = [len(grid.get(d, [0])) if d != "seed" else 2 for d in dims]
    data = {}
    for var, (ndim, f) in pops.items():
        n_max = max(f({d: grid[d][k] for d, k in zip(grid, idx)})[1] for idx in np.ndindex(*shape[1:]))
        arr = np.full((*shape, steps, n_max), np.nan, np.float32)
        for idx in np.ndindex(*shape):
            rate, n = f({d: grid[d][k] for d, k in zip(grid, idx[1:])})
            arr[idx][:, :n] = _regular(rate, n, steps, dt)
        data[var] = ((*dims, "time", ndim), arr, {"kind": "spikes", "every": 1})
    data["done"] = (dims, np.ones(shape, bool) if done is None else done)
    coords = {"seed": [0, 1], **grid, "time": np.arange(steps) * dt}
    return xr.Dataset(data, coords=coords, attrs={"dt": dt, "t0": 0.0})


def test_coba_analyse_weighs_each_run_by_its_own_population_sizes():
    """A swept ``n_exc`` pads the smaller runs: the network's mean rate weighed their E rate by the largest size
    (-p n_exc=10,30 with E 10 Hz, I 40 Hz read 17.5 Hz for the runs of 10 E neurons, not 25 Hz), and printed one
    line per value of each axis, averaged over the other axis's values."""
    ds = _store({"n_exc": [10, 30], "we": [0.4, 0.9]},
                {"spikes_E": ("E_neuron", lambda c: (10.0 if c["we"] == 0.4 else 20.0, c["n_exc"])),
                 "spikes_I": ("I_neuron", lambda c: (40.0, 10))})
    out = _experiment("coba").analyse(ds)
    assert out == {"n_exc=10, we=0.4": "mean 25.00 Hz, E 10.00 Hz, I 40.00 Hz",
                   "n_exc=10, we=0.9": "mean 30.00 Hz, E 20.00 Hz, I 40.00 Hz",
                   "n_exc=30, we=0.4": "mean 17.50 Hz, E 10.00 Hz, I 40.00 Hz",
                   "n_exc=30, we=0.9": "mean 25.00 Hz, E 20.00 Hz, I 40.00 Hz"}
    one = _experiment("coba").analyse(ds.isel(n_exc=[0], we=[1]))
    assert one == {"mean rate (Hz)": 30.0, "E rate (Hz)": 20.0, "I rate (Hz)": 40.0}


def test_cuba_coba_stdp_and_poisson_lif_analyse_each_swept_value():
    """They averaged every run of the store into one number (cuba, coba_stdp) or per input rate over the other axes
    (poisson_lif); runs not done are left out (their rasters hold False, read as silent)."""
    done = np.ones((2, 2), bool)
    done[1, 0] = False  # seed 1 at wi=-6 never ran: its (silent) raster must not halve that cell
    rates = {-6.0: 20.0, -12.0: 10.0}
    ds = _store({"wi": [-6.0, -12.0]}, {"spikes_E": ("E_neuron", lambda c: (rates[c["wi"]], 8)),
                                       "spikes_I": ("I_neuron", lambda c: (2 * rates[c["wi"]], 2))}, done=done)
    ds["spikes_E"][1, 0] = 0.0
    assert _experiment("cuba").analyse(ds) == {"wi=-6": "E 20.00 Hz, I 40.00 Hz", "wi=-12": "E 10.00 Hz, I 20.00 Hz"}
    assert _experiment("cuba").analyse(ds.isel(wi=[1])) == {"E rate (Hz)": 10.0, "I rate (Hz)": 20.0}

    w = xr.DataArray(np.stack([np.full((2, 3, 5), 0.5), np.full((2, 3, 5), 1.0)], axis=1).astype(np.float32),
                     dims=("seed", "ratio", "time_every1000", "E2E_synapse"))
    w[:, :, -1, -1] = np.nan  # a padding slot
    stdp = _store({"ratio": [1.0, 1.2]}, {"spikes_E": ("E_neuron", lambda c: (10.0 if c["ratio"] == 1.0 else 20.0, 4))})
    stdp["w"] = w.assign_coords(ratio=[1.0, 1.2])
    assert _experiment("coba_stdp").analyse(stdp) == {"ratio=1": "E 10.00 Hz, mean w 0.5000 (last record)",
                                                      "ratio=1.2": "E 20.00 Hz, mean w 1.0000 (last record)"}

    plif = _store({"rate": [10.0, 14.0], "weight": [0.06, 0.08]},
                  {"spikes": ("E_neuron", lambda c: (20.0 if c["weight"] == 0.06 else 50.0, 4))})
    assert _experiment("poisson_lif").analyse(plif) == {
        "rate=10, weight=0.06": "20.00 Hz", "rate=10, weight=0.08": "50.00 Hz",
        "rate=14, weight=0.06": "20.00 Hz", "rate=14, weight=0.08": "50.00 Hz"}


def test_microcircuit_analyse_each_swept_value_after_100_ms_finished_runs_only():
    """It averaged every run (and every value of a swept ``bg_rate``) into one rate per population, counting runs
    not done as silent."""
    mc = _experiment("microcircuit").module
    done = np.ones((2, 2), bool)
    done[0, 1] = False
    pops = {f"spikes_{p}": (f"{p}_neuron", lambda c, k=k: (10.0 * (k % 2 + 1) * (1 if c["bg_rate"] == 8.0 else 5), 3))
            for k, p in enumerate(mc.POPS)}
    ds = _store({"bg_rate": [8.0, 4.0]}, pops, done=done)
    for var in pops:
        ds[var][0, 1] = 0.0
        ds[var][:, :, :1000] = 1.0  # the first 100 ms (left out) fire at every step
    out = _experiment("microcircuit").analyse(ds)
    assert len(out) == 16
    for k, p in enumerate(mc.POPS):
        assert out[f"{p}, bg_rate=8"] == f"{10.0 * (k % 2 + 1):.3f} Hz"
        assert out[f"{p}, bg_rate=4"] == f"{50.0 * (k % 2 + 1):.3f} Hz"


def test_brunel_statistics_use_the_stores_dt():
    """``cells`` looked for dt in the record's attributes (it is the store's): at ``--dt 0.05`` it took 0.1 ms, so the
    window started at half its time and every rate came out halved (10 Hz for neurons firing at 20)."""
    ds = _store({"g": [5.0, 6.0]}, {"spikes_E": ("E_neuron", lambda c: (20.0 if c["g"] == 5.0 else 40.0, 4)),
                                   "spikes_I": ("I_neuron", lambda c: (20.0 if c["g"] == 5.0 else 40.0, 1))},
                steps=4000, dt=0.05)
    cells = _experiment("brunel").module.cells(ds, t_stat=100.0)  # window [100, 200) ms
    assert {dict(c)["g"]: round(s["rate_E"], 6) for c, s in cells.items()} == {5.0: 20.0, 6.0: 40.0}
    assert [s["cv_isi"] for c, s in cells.items() if dict(c)["g"] == 6.0] == [0.0, 0.0]  # 4 regular spikes each
