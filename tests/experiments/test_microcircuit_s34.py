"""experiments/microcircuit.py against NEST's PyNEST microcircuit source, table by table and formula by formula.

The numbers here are copied from NEST's ``pynest/examples/Potjans_2014/network_params.py`` (the last version,
nest/nest-simulator e0a0745546eb, 2025-08-22, before the model moved to INM-6/microcircuit-PD14-model, whose
``PyNEST/src/microcircuit/network_params.py`` holds the same values), and the formulas from its ``helpers.py``
and ``network.py`` (``Network.__derive_parameters``). Nothing is simulated: the model is built abstractly
(``jax.eval_shape``, as the dry run does) and only its neuron groups are reset.
"""
import math
import pathlib

import jax
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]
M = load_experiment(ROOT / "experiments" / "microcircuit.py").module

# NEST network_params.py (net_dict), in its population order L23E, L23I, L4E, L4I, L5E, L5I, L6E, L6I
NEST_N = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
NEST_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]  # full_mean_rates (NEST >= 3.4)
NEST_P = [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
          [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
          [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
          [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
          [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
          [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
          [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
          [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
NEST_K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
NEST_V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]  # V0_type "optimized" (default)
NEST_V0_STD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]


def nest_derive(n_scaling, k_scaling, poisson_input=True, bg_rate=8.0):
    """NEST's Network.__derive_parameters with its helpers (num_synapses_from_conn_probs,
    postsynaptic_potential_to_current, dc_input_compensating_poisson, adjust_weights_and_input_to_synapse_scaling)."""
    n_full, p, k_ext = np.array(NEST_N), np.array(NEST_P), np.array(NEST_K_EXT)
    prod = np.outer(n_full, n_full)
    full_syn = np.log(1.0 - p) / np.log((prod - 1.0) / prod)
    c_m, tau_m, tau_syn = 250.0, 10.0, 0.5
    sub = 1.0 / (tau_syn - tau_m)
    psc_over_psp = 1.0 / (tau_m * tau_syn / c_m * sub * ((tau_m / tau_syn) ** (sub * tau_m)
                                                          - (tau_m / tau_syn) ** (sub * tau_syn)))
    psp = np.zeros((8, 8))
    psp[:, 0::2], psp[:, 1::2] = 0.15, 0.15 * -4
    psp[0, 2] = 2.0 * 0.15
    w, w_ext = psp * psc_over_psp, 0.15 * psc_over_psp
    dc = np.zeros(8) if poisson_input else bg_rate * k_ext * w_ext * tau_syn * 0.001
    if k_scaling != 1:
        input_rec = np.sum(w * (full_syn / n_full[:, None]) * np.array(NEST_RATES), axis=1)
        dc = dc + 0.001 * tau_syn * (1.0 - np.sqrt(k_scaling)) * input_rec
        if poisson_input:
            dc = dc + 0.001 * tau_syn * (1.0 - np.sqrt(k_scaling)) * w_ext * k_ext * bg_rate
        w, w_ext = w / np.sqrt(k_scaling), w_ext / np.sqrt(k_scaling)
    return dict(n=np.round(n_full * n_scaling).astype(int), num_syn=np.round(full_syn * n_scaling * k_scaling).astype(int),
                k_ext=np.round(k_ext * k_scaling).astype(int), w=w, w_ext=w_ext, dc=dc)


def test_the_tables_are_nests():
    assert M.POPS == ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
    np.testing.assert_array_equal(M.N_FULL, NEST_N)
    np.testing.assert_array_equal(M.CONN_PROBS, NEST_P)
    np.testing.assert_array_equal(M.K_EXT, NEST_K_EXT)
    # the full-scale rates set the DC of every downscaled model: they were NEST 2.12-2.20's (0.971, 2.868, ...),
    # which at scale 0.1 gave L4I 7.0 Hz where NEST's own scale-0.1 reference data has 5.0 Hz
    np.testing.assert_array_equal(M.FULL_MEAN_RATES, NEST_RATES)
    np.testing.assert_array_equal(M.V0_MEAN, NEST_V0_MEAN)
    np.testing.assert_array_equal(M.V0_SD, NEST_V0_STD)
    assert M.V0_ORIGINAL == (-58.0, 10.0)
    # neuron_params; PSP_exc_mean, weight_rel_std, g, delay_exc_mean, delay_inh_mean, delay_rel_std, bg_rate
    assert (M.C_M, M.TAU_M, M.TAU_SYN, M.T_REF, M.E_L, M.V_TH) == (250.0, 10.0, 0.5, 2.0, -65.0, -50.0)
    assert (M.PSP_E, M.PSP_REL_SD, M.G, M.BG_RATE) == (0.15, 0.1, -4.0, 8.0)
    assert (M.DELAY_E, M.DELAY_I, M.DELAY_REL_SD) == (1.5, 0.75, 0.5)


def test_synapse_numbers_are_drawn_with_replacement():
    # fixed_total_number draws K pairs with replacement: a pair is connected with 1 - (1 - 1/(N_s N_t))^K = p
    K = M.full_num_synapses()
    n = np.array(NEST_N, dtype=np.float64)
    p_pair = -np.expm1(K * np.log1p(-1.0 / np.outer(n, n)))
    # (NEST's own log((N N - 1) / (N N)) rounds 1 - 1/(N N) first: 2e-8 of relative error, kept as NEST has it)
    np.testing.assert_allclose(p_pair, NEST_P, rtol=1e-7, atol=1e-15)
    full = M.derived(scale=1.0, k_scale=1.0)
    assert int(full["n"].sum()) == 77169 and int(full["num_syn"].sum()) == 298880968
    assert full["num_syn"][0, 5] == 0 and full["num_syn"][2, 5] > 0  # p = 0 gives none; p = 0.0003 some


@pytest.mark.parametrize("scale, k_scale, bg_dc", [(1.0, 1.0, False), (1.0, 1.0, True), (0.1, 0.1, False),
                                                    (0.1, 0.1, True), (0.5, 0.3, False), (0.2, 1.0, True)])
def test_derived_parameters_are_nests(scale, k_scale, bg_dc):
    mine, nest = M.derived(scale, k_scale, bg_dc), nest_derive(scale, k_scale, poisson_input=not bg_dc)
    for key in ("n", "num_syn", "k_ext"):
        np.testing.assert_array_equal(mine[key], nest[key], err_msg=key)
    for key in ("w", "w_ext", "dc"):
        np.testing.assert_allclose(mine[key], nest[key], rtol=1e-12, atol=1e-9, err_msg=key)
    w = nest["w"] * math.sqrt(k_scale)  # the unscaled weights: 87.81 pA, 2x from L4E onto L2/3E, -4x from I
    assert w[1, 0] == pytest.approx(87.81, abs=0.005) and w[0, 2] == pytest.approx(2 * w[1, 0])
    assert np.allclose(w[:, 1::2], -4 * w[1, 0]) and w[0, 0] == w[1, 0]


def test_the_dc_follows_the_background_rate_it_runs_with():
    # NEST uses net_dict["bg_rate"] in the DC that replaces the Poisson input and in the k-scaling's compensation;
    # here bg_rate=10 with bg_dc=True gave the DC of 8 Hz (the background silently unchanged)
    for bg_dc, k_scale in [(True, 1.0), (True, 0.1), (False, 0.1), (False, 0.3)]:
        np.testing.assert_allclose(M.derived(0.1, k_scale, bg_dc, bg_rate=10.0)["dc"],
                                   nest_derive(0.1, k_scale, poisson_input=not bg_dc, bg_rate=10.0)["dc"], rtol=1e-12)
    assert np.all(M.derived(1.0, 1.0, bg_dc=False, bg_rate=10.0)["dc"] == 0)


@pytest.fixture(scope="module")
def nets():
    """The model at scale 0.002 built abstractly (nothing drawn), with the defaults and with other choices."""
    out = {}

    def probe(key):
        with bb.environment(dt=0.1, t0=0.0, key=key):
            out["default"] = M.build(scale=0.002)
            out["other"] = M.build(scale=0.002, k_scale=0.3, bg_dc=True, bg_rate=10.0, v0="original")
        return 0

    jax.eval_shape(probe, jax.random.key(0))
    return out


def test_build_wires_the_derived_parameters(nets):
    net, d = nets["default"], M.derived(0.002, 0.1)
    for i, p in enumerate(M.POPS):
        g, bg = getattr(net, p), getattr(net, f"bg_{p}")
        assert g.num == d["n"][i] and g.I_bias == pytest.approx(d["dc"][i], rel=1e-12)
        assert (g.V_rest, g.V_reset, g.V_th, g.tau, g.tau_ref, g.C_m) == (-65.0, -65.0, -50.0, 10.0, 2.0, 250.0)
        assert bg.num_input == d["k_ext"][i] and bg.freq == 8.0 and bg.weight == pytest.approx(d["w_ext"])
    other, d = nets["other"], nest_derive(0.002, 0.3, poisson_input=False, bg_rate=10.0)
    assert not any(hasattr(other, f"bg_{p}") for p in M.POPS)  # DC instead of the Poisson background
    for i, p in enumerate(M.POPS):
        assert getattr(other, p).I_bias == pytest.approx(d["dc"][i], rel=1e-12)


def test_initial_potentials_are_nests_optimized_by_default(nets):
    with bb.environment(dt=0.1, key=jax.random.key(1)):
        for net in nets.values():
            for p in M.POPS:
                getattr(net, p).reset()
    for i, p in enumerate(M.POPS):
        v = np.asarray(getattr(nets["default"], p).V.value)
        assert abs(v.mean() - NEST_V0_MEAN[i]) < 4 * NEST_V0_STD[i] / math.sqrt(v.size) + 1e-3, (p, v.mean())
    v = np.concatenate([np.asarray(getattr(nets["other"], p).V.value) for p in M.POPS])
    assert abs(v.mean() + 58.0) < 4 * 10.0 / math.sqrt(v.size) and 7.0 < v.std() < 13.0


@pytest.mark.parametrize("params, message", [
    (dict(v0="orignal"), "v0 must be one of 'optimized', 'original', got 'orignal'. Did you mean 'original'?"),
    (dict(k_scale=0.0), "k_scale must be a positive number (1 is the full model), got 0.0"),
    (dict(k_scale=-0.5), "k_scale must be a positive number"),
    (dict(scale=float("nan")), "scale must be a positive number"),
    (dict(scale=0.0003), "scale=0.0003 leaves population L5I with no neuron (1065 x 0.0003 rounds to 0): "
                         "give scale >= 0.00047"),
])
def test_bad_parameters_are_named_before_anything_is_built(params, message):
    # they failed as 'Normal mean must be finite, got inf', 'I_bias must be finite, got nan' or 'size must be a
    # positive integer ..., got 0'
    with pytest.raises(bb.BrainbatchError) as err:
        M.build(**params)
    assert message in str(err.value)
    assert M.derived(scale=0.00047)["n"].min() == 1  # the bound the message gives is enough
