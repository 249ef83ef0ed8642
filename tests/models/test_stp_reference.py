"""Short-term plasticity (``bb.STP``) against Brian2 2.9 in what tests/models/test_stp_brian2.py leaves out:
``tau_f = 0`` (no facilitation), ``U``, ``tau_f`` and ``tau_d`` per presynaptic neuron, a scalar delay, per-neuron
delays and per-synapse delays; ``u`` and ``x`` after every spike and the postsynaptic ``g``.

The reference is bench/reference/stp_cases_brian2.py, written from docs/plasticity.md (not from brainbatch's code)
in Brian2's STP example form (per-synapse ``u``, ``x``, updated when the spike reaches the synapse), run with Brian2
2.9.0 (numpy 2.3.5, runtime ``numpy`` target, float64); its numbers below are rounded to 10 significant digits.
Brian2 delivers a spike arriving in step ``s`` in step ``s``, brainbatch in step ``s + 1``: brainbatch's state after
step ``n + 1`` is Brian2's after step ``n``. With per-synapse delays brainbatch's terminal jumps when the spike leaves
(docs/plasticity.md): its ``u``, ``x`` are then not Brian2's per-synapse ones at arrival, so that case compares
``g``, which carries every synapse's release.
"""
import math

import numpy as np
import pytest

import brainbatch as bb

DT = 0.1
N_STEPS = 3500  # 350 ms
OFFSET = 1
W, TAU_SYN = 2.0, 5.0
TRAINS = {0: [50, 100, 150, 200, 1000, 1005, 1010, 2500], 1: [70, 75, 80, 85, 90, 600, 1700, 3100],
          2: [30, 530, 1030, 1530, 1560, 1590, 1620, 3300]}  # spike steps of the 3 presynaptic neurons
DELAYS_IJ = [[0.0, 2.0], [1.0, 0.5], [3.0, 0.0]]  # ms, synapse (i, j)
CASES = {  # one to one onto 3 neurons (n_post 3) or all to all onto 2
    "tau_f0_delay": dict(U=0.4, tau_f=0.0, tau_d=200.0, delay=2.0, n_post=3),
    "per_neuron": dict(U=[0.1, 0.3, 0.7], tau_f=[300.0, 50.0, 10.0], tau_d=[80.0, 200.0, 400.0],
                       delay=[0.0, 1.2, 3.0], n_post=3),
    "per_synapse_delays": dict(U=0.2, tau_f=100.0, tau_d=150.0, delay=DELAYS_IJ, n_post=2),
}

# Brian2: r, u, x of synapse "i,j" at each arrival of neuron i's spikes (u, x after the spike); g of every
# postsynaptic neuron at the end of Brian2's step (key)
BRIAN2 = {
    "tau_f0_delay": dict(
        r={"0,0": [0.4, 0.2439504141, 0.1526323893, 0.09919436451, 0.1717671642, 0.1038017206, 0.06312427528, 0.2280866352], "1,1": [0.4, 0.2403995004, 0.1448783024, 0.08770868646, 0.0534925642, 0.1149047631, 0.2089966446, 0.2636366758], "2,2": [0.4, 0.2753918747, 0.2171649314, 0.1899566179, 0.1182323436, 0.07583848013, 0.05078085951, 0.2404693695]},
        u={"0,0": [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4], "1,1": [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4], "2,2": [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]},
        x={"0,0": [0.6, 0.3659256211, 0.228948584, 0.1487915468, 0.2576507463, 0.1557025809, 0.09468641293, 0.3421299528], "1,1": [0.6, 0.3605992506, 0.2173174536, 0.1315630297, 0.0802388463, 0.1723571447, 0.3134949669, 0.3954550138], "2,2": [0.6, 0.4130878121, 0.3257473971, 0.2849349269, 0.1773485153, 0.1137577202, 0.07617128927, 0.3607040542]},
        g={30: [0.0, 0.0, 0.0], 31: [0.0, 0.0, 0.0], 50: [0.0, 0.0, 0.8], 51: [0.0, 0.0, 0.7841589386], 70: [0.8, 0.0, 0.5362560368], 71: [0.7841589386, 0.0, 0.5256374559], 90: [0.5362560368, 0.8, 0.3594631713], 91: [0.5256374559, 0.7841589386, 0.3523453236], 100: [0.4390493089, 1.379786134, 0.2943035529], 101: [0.4303555501, 1.352464538, 0.2884759521], 112: [0.3453684187, 1.340668934, 0.2315073744], 1000: [6.993142925e-08, 0.0001150344637, 6.797659685e-05], 1010: [5.725501174e-08, 9.418225306e-05, 5.565453033e-05], 1030: [0.59535807, 6.313225221e-05, 3.730634733e-05], 1040: [0.487437961, 5.168831639e-05, 3.054385385e-05], 1560: [1.483394747e-05, 1.57300381e-09, 0.3110627948], 1620: [4.467899117e-06, 4.73779643e-10, 0.3241233382], 3100: [4.18132422e-06, 4.31163123e-13, 6.6398414e-14], 3120: [2.802825443e-06, 0.5272733517, 4.450818793e-14], 3330: [4.202998425e-08, 0.007906768051, 0.393759336], 3499: [1.431013986e-09, 0.0002692053273, 0.01340650317]}),
    "per_neuron": dict(
        r={"0,0": [0.1, 0.1708033268, 0.2004883966, 0.1943319864, 0.2565374792, 0.2069019207, 0.1451412379, 0.3055819833], "1,1": [0.3, 0.3559177826, 0.2258964719, 0.09230304763, 0.02700010325, 0.1164865626, 0.16571359, 0.2086732109], "2,2": [0.7, 0.2681173927, 0.1530680864, 0.1227518788, 0.05078404142, 0.01420697305, 0.008269959189, 0.2404999917]},
        u={"0,0": [0.1, 0.1885124308, 0.266856935, 0.33620156, 0.331755672, 0.3980828858, 0.4576779702, 0.3506703258], "1,1": [0.3, 0.5079104651, 0.6519996701, 0.7518585155, 0.8210641788, 0.5072501119, 0.3393434401, 0.3144448471], "2,2": [0.7, 0.7014149689, 0.7014178291, 0.7014178348, 0.8558869337, 0.8902169906, 0.8978466901, 0.7000000136]},
        x={"0,0": [0.9, 0.7352553669, 0.5508070367, 0.3836902762, 0.516734844, 0.3128439114, 0.1719840059, 0.565840435], "1,1": [0.7, 0.3448312806, 0.1205706849, 0.03046346459, 0.005884175406, 0.1131566841, 0.322622327, 0.4549509916], "2,2": [0.3, 0.1141347755, 0.06515859686, 0.0522534785, 0.008550947139, 0.001752027059, 0.0009409220007, 0.1030714183]},
        g={30: [0.0, 0.0, 0.0], 31: [0.0, 0.0, 0.0], 50: [0.2, 0.0, 0.0], 51: [0.1960397347, 0.0, 0.0], 70: [0.1340640092, 0.0, 1.146223054], 71: [0.131409364, 0.0, 1.123526317], 90: [0.08986579282, 1.181667763, 0.7683362905], 91: [0.0880863309, 1.158269173, 0.7531222126], 100: [0.4151825419, 1.526315761, 0.6290605498], 101: [0.4069613768, 1.496092684, 0.6166043163], 112: [0.3265941549, 1.244854132, 0.4948365547], 1000: [0.5130750251, 9.937702407e-05, 8.083789874e-05], 1010: [1.084777977, 8.136302575e-05, 6.618447371e-05], 1030: [0.7271484234, 5.453926717e-05, 4.436477947e-05], 1040: [0.5953387763, 4.465297528e-05, 3.63228093e-05], 1560: [1.811763719e-05, 1.358900912e-09, 0.2455176573], 1620: [5.456927456e-06, 4.092930891e-10, 0.1581041891], 3100: [3.755121194e-06, 2.913220143e-13, 2.627844118e-14], 3120: [2.517133011e-06, 0.3556391611, 1.76149659e-14], 3330: [3.774586144e-08, 0.005333014361, 0.4809999833], 3499: [1.285150509e-09, 0.0001815755651, 0.01637682516]}),
    "per_synapse_delays": dict(
        r={"0,0": [0.2, 0.2840666426, 0.2518603087, 0.1722308542, 0.1975544426, 0.1548669419, 0.08990437612, 0.2020151218], "0,1": [0.2, 0.2840666426, 0.2518603087, 0.1722308542, 0.1975544426, 0.1548669419, 0.08990437612, 0.2020151218], "1,0": [0.2, 0.2876006667, 0.2501001941, 0.1566956447, 0.07558087304, 0.1639882115, 0.2005403468, 0.2029802294], "1,1": [0.2, 0.2876006667, 0.2501001941, 0.1566956447, 0.07558087304, 0.1639882115, 0.2005403468, 0.2029802294], "2,0": [0.2, 0.2544765105, 0.2460472396, 0.2273346947, 0.1959869511, 0.1290495693, 0.07300307431, 0.2036349293], "2,1": [0.2, 0.2544765105, 0.2460472396, 0.2273346947, 0.1959869511, 0.1290495693, 0.07300307431, 0.2036349293]},
        u={"0,0": [0.2, 0.3521967079, 0.4680158974, 0.5561523942, 0.3999163033, 0.51833737, 0.6126017212, 0.3104509414], "0,1": [0.2, 0.3521967079, 0.4680158974, 0.5561523942, 0.3999163033, 0.51833737, 0.6126017212, 0.3104509414], "1,0": [0.2, 0.3592019967, 0.4859283754, 0.586803838, 0.6671017133, 0.5204733036, 0.3386004101, 0.2667982665], "1,1": [0.2, 0.3592019967, 0.4859283754, 0.586803838, 0.6671017133, 0.5204733036, 0.3386004101, 0.2667982665], "2,0": [0.2, 0.2970449056, 0.344133474, 0.3669820024, 0.4849088361, 0.5764620913, 0.6475400494, 0.2965476909], "2,1": [0.2, 0.2970449056, 0.344133474, 0.3669820024, 0.4849088361, 0.5764620913, 0.6475400494, 0.2965476909]},
        x={"0,0": [0.8, 0.5224901373, 0.2862844639, 0.1374519881, 0.2964350271, 0.1439093974, 0.05685390582, 0.4486999989], "0,1": [0.8, 0.5224901373, 0.2862844639, 0.1374519881, 0.2964350271, 0.1439093974, 0.05685390582, 0.4486999989], "1,0": [0.8, 0.5130648901, 0.2645851109, 0.1103367681, 0.03771650205, 0.1510869526, 0.3917222164, 0.5578201764], "1,1": [0.8, 0.5130648901, 0.2645851109, 0.1103367681, 0.03771650205, 0.1510869526, 0.3917222164, 0.5578201764], "2,0": [0.8, 0.6022172274, 0.468928949, 0.3921362691, 0.2081858263, 0.09481522813, 0.03973601321, 0.4830503343], "2,1": [0.8, 0.6022172274, 0.468928949, 0.3921362691, 0.2081858263, 0.09481522813, 0.03973601321, 0.4830503343]},
        g={30: [0.0, 0.4], 31: [0.0, 0.3920794693], 50: [0.4, 0.2681280184], 51: [0.3920794693, 0.2628187279], 70: [0.5956203196, 0.5797315856], 71: [0.5838262471, 0.5682521311], 90: [1.747412619, 1.921859329], 91: [1.712811531, 1.883803965], 100: [2.433523646, 1.71026214], 101: [2.385336649, 1.676396681], 112: [1.9142775, 1.345339849], 1000: [0.3953200814, 0.0001638256981], 1010: [0.7837282679, 0.0001341291372], 1030: [0.5253487686, 1.275739744], 1040: [0.430119193, 1.044487361], 1560: [0.4547048201, 0.64153354], 1620: [0.6101734371, 0.4808801482], 3100: [2.482448075e-06, 3.703377034e-06], 3120: [0.3323739762, 0.3007453873], 3330: [0.4122539981, 0.228024288], 3499: [0.01403619934, 0.007763646624]}),
}

# Tolerance: brainbatch is float32 and relaxes u and x by float32 one-step factors exp(-dt / tau), half an ulp off:
# x recovers as if tau_d were off by ~1e-4 relative (tests/models/test_stp_brian2.py), measured here 5e-5 on g and
# 1.6e-5 absolute on u and x. What this must catch is of order one: a spike weighted by u+ x+ instead of u+ x- (a
# factor 1 - u+), a terminal updated at departure instead of arrival (the relaxation over the delay: 1-2 % for x),
# a tau_f = 0 terminal that facilitates, one neuron's U or tau given to another.
RTOL, ATOL = 2e-4, 2e-6


def _arr(v):
    return v if np.isscalar(v) else np.asarray(v, np.float32)


@pytest.fixture(scope="module")
def run():
    """Every case as one projection from the same spike source (one network, one compiled run)."""
    src = bb.SpikeTimeGroup(3, indices=[i for i in TRAINS for _ in TRAINS[i]],
                            times=[s * DT for i in TRAINS for s in TRAINS[i]])
    parts, monitors = {"src": src}, {}
    for name, c in CASES.items():
        parts[f"post_{name}"] = post = bb.LIF(c["n_post"], V_th=1e9)
        parts[name] = bb.Projection(src, post, bb.OneToOne() if c["n_post"] == 3 else bb.AllToAll(),
                                    bb.Exponential(TAU_SYN), bb.CUBA(), weight=W, delay=_arr(c["delay"]),
                                    stp=bb.STP(U=_arr(c["U"]), tau_f=_arr(c["tau_f"]), tau_d=_arr(c["tau_d"])))
        monitors.update({f"{name}.g": f"{name}.syn.g", f"{name}.u": f"{name}.stp.u", f"{name}.x": f"{name}.stp.x"})
    runner = bb.Runner(bb.Network(**parts), monitors=monitors, dt=DT, progress_bar=False)
    runner.run((N_STEPS + OFFSET) * DT)
    return {k: np.asarray(runner.mon[k], np.float64) for k in monitors}


@pytest.mark.parametrize("name", list(CASES))
def test_g_equals_brian2_one_step_later(run, name):
    g, steps = run[f"{name}.g"], sorted(BRIAN2[name]["g"])
    np.testing.assert_allclose(g[np.asarray(steps) + OFFSET], [BRIAN2[name]["g"][s] for s in steps], rtol=RTOL,
                               atol=ATOL)


@pytest.mark.parametrize("name", ["tau_f0_delay", "per_neuron"])
def test_u_x_and_each_release_equal_brian2_at_every_arrival(run, name):
    c = CASES[name]
    delay = np.round(np.broadcast_to(np.asarray(c["delay"]), (3,)) / DT).astype(int)
    decay = float(np.float32(math.exp(-DT / TAU_SYN)))  # brainbatch's float32 one-step factor of g
    for i, train in TRAINS.items():
        after = np.asarray(train) + delay[i] + OFFSET  # brainbatch's step that handled each arrival
        for var in "ux":
            np.testing.assert_allclose(run[f"{name}.{var}"][after, i], BRIAN2[name][var][f"{i},{i}"], rtol=RTOL,
                                       atol=ATOL, err_msg=f"{var} of neuron {i}")
        g = run[f"{name}.g"][:, i]
        released = (g[after] - decay * g[after - 1]) / W  # one to one: the jump of g is this spike's release
        np.testing.assert_allclose(released, BRIAN2[name]["r"][f"{i},{i}"], rtol=RTOL, atol=ATOL,
                                   err_msg=f"release of neuron {i}")


def test_without_facilitation_every_arrival_sets_u_to_U_exactly(run):
    delay = round(CASES["tau_f0_delay"]["delay"] / DT)
    for i, train in TRAINS.items():
        assert np.all(run["tau_f0_delay.u"][np.asarray(train) + delay + OFFSET, i] == np.float32(0.4))
