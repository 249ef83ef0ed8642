"""experiments/microcircuit.py: NEST's derived parameters (PyNEST Potjans_2014 helpers), a small run, and the
rates at scale 0.1 against Brian2 2.9 (bench/microcircuit_compare.py reference -> bench/reference_rates.json)."""
import json
import math
import pathlib

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXP = load_experiment(ROOT / "experiments" / "microcircuit.py")
M = EXP.module
BRIAN2 = json.loads((ROOT / "bench" / "reference_rates.json").read_text())["models"].get("microcircuit")


def test_parameters_are_nests():
    # 87.81 pA for a 0.15 mV PSP (C_m 250 pF, tau_m 10 ms, tau_syn 0.5 ms): NEST's published PSC
    assert M.psc_over_psp() * 0.15 == pytest.approx(87.81, abs=0.01)
    full = M.derived(scale=1.0, k_scale=1.0)
    assert full["n"].sum() == 77169 and 2.9e8 < full["num_syn"].sum() < 3.1e8  # ~0.3 G synapses
    assert np.all(full["dc"] == 0) and full["w"][0, 2] == pytest.approx(2 * 87.81, abs=0.02)
    assert full["w"][3, 1] == pytest.approx(-4 * 87.81, abs=0.05)
    # DC instead of Poisson: rate * K_ext * w * tau_syn (NEST's dc_input_compensating_poisson)
    dc = M.derived(scale=1.0, k_scale=1.0, bg_dc=True)["dc"]
    np.testing.assert_allclose(dc, 8.0 * M.K_EXT * 87.81 * 0.5e-3, rtol=1e-4)
    # in-degrees scaled by 0.1: weights x sqrt(10) and a DC that restores the lost mean input
    small = M.derived(scale=0.1, k_scale=0.1)
    assert small["w_ext"] == pytest.approx(87.81 / np.sqrt(0.1), rel=1e-4)
    assert np.all(small["dc"] > 0) and np.all(small["k_ext"] == np.round(M.K_EXT * 0.1))


@pytest.mark.slow  # ~10 s quiet, a minute on the shared machine: the compile of 8 groups and 64 pathways
def test_a_small_microcircuit_runs_with_plausible_rates():
    params = {**EXP.params, "scale": 0.01, "k_scale": 0.1}
    sim = Simulation(lambda p: EXP.build(**params), normalize_monitors(EXP.monitors), dt=EXP.dt)
    _, recs = sim.run([0], {}, 3000, keep=True)  # 300 ms
    rates = M.rates({p: recs[f"spikes_{p}"][0] for p in M.POPS})
    # NEST's full-scale rates are 1-9 Hz; 770 neurons with in-degrees / 10 stay in the same range
    assert all(np.isfinite(list(rates.values())))
    assert 0.5 < np.mean(list(rates.values())) < 20.0, rates
    assert rates["L23E"] < rates["L5E"]  # the layer ordering of the full model survives the scaling


def test_the_full_scale_table_costs_8_bytes_per_synapse():
    # what the dry run states, without drawing anything: compressed rows hold an int32 target and a float32
    # weight per synapse and an int32 row start per neuron (rows padded to the widest population's bound
    # held 15.1 bytes per synapse here)
    from brainbatch.sweep.memory import synapse_stats

    synapses, nbytes = synapse_stats(lambda: EXP.build(**{**EXP.params, "scale": 1.0, "k_scale": 1.0}), EXP.dt)
    exact = int(M.derived(scale=1.0, k_scale=1.0)["num_syn"].sum())
    assert synapses == exact and nbytes == 8 * exact + 4 * (77169 + 1)
    assert nbytes / synapses < 8.002


@pytest.mark.slow  # ~15 s of CPU: 4 runs of 1 s at scale 0.1 (7,717 neurons, 3 M synapses) in one batch
@pytest.mark.skipif(BRIAN2 is None, reason="bench/reference_rates.json has no microcircuit entry")
def test_rates_at_scale_0_1_are_brian2s():
    seeds = [0, 1, 2, 3]
    params = {**EXP.params, "scale": BRIAN2["scale"], "k_scale": BRIAN2["k_scale"]}
    monitors = {p: bb.Monitor(f"{p}.spike", reduce="sum") for p in M.POPS}  # spikes per step
    sim = Simulation(lambda p: EXP.build(**params), normalize_monitors(monitors), dt=EXP.dt)
    _, recs = sim.run(seeds, {}, 10000, keep=True)
    sizes = M.derived(params["scale"], params["k_scale"])["n"]
    for p, n in zip(M.POPS, sizes):
        rate = np.asarray(recs[p])[:, 1000:].sum(axis=1) / (n * 0.9)  # Hz over [100, 1000) ms, per seed
        ref = BRIAN2["rates_hz"][p]
        # Brian2's seeds are other networks: the difference of the two means has the sd below (the seed
        # spread is the model's, so Brian2's sd stands for both); 4 sd, over 8 populations, is a 5e-4 false alarm
        tol = 4.0 * ref["sd"] * math.sqrt(1 / len(seeds) + 1 / len(BRIAN2["seeds"]))
        assert abs(rate.mean() - ref["mean"]) < tol, (p, rate.mean(), ref, tol)
