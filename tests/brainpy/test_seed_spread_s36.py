"""What varies from seed to seed in BrainPy's COBAHH notebook (its third network: ``bp.dyn.CondNeuGroupLTC``
HH neurons, ``bp.dyn.ProjAlignPostMg1`` over ``bp.dnn.EventCSRLinear(bp.conn.FixedProb(...))``, built under
``bm.random.seed(s)`` and stepped with ``bm.for_loop``): BrainPy 2.8.2 draws, for each seed, a new graph (every
presynaptic neuron ``round(p n)`` distinct targets, so a binomial in-degree), a new ``V`` per neuron from
``Uniform(-70, -60)`` (``CondNeuGroupLTC``'s default ``V_initializer``) and starts the channels' gates at their
steady state in that ``V`` on ``reset_state()``; nothing is shared between seeds or between the two projections. With these laws
both tools spread alike from seed to seed (100 seeds of the notebook at scale 0.5, 100 ms: E rate sd 4.73 Hz
in BrainPy 2.8.2, 4.61 Hz here, F = 0.95, p = 0.8). The formulas below are BrainPy's (its
``INa_TM1991``/``IK_TM1991`` docstrings and ``random_conn.py``); the tolerances are 4 standard errors."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

N_E, N_I, PROB, V_SH = 400, 100, 0.04, -63.
N = N_E + N_I
K = round(PROB * N)  # BrainPy 2.8.2's out-degree: int(round(post_num * prob))


class HH2(bp.dyn.CondNeuGroupLTC):
    def __init__(self, size):
        super().__init__(size)
        self.INa = bp.channels.INa_TM1991(size, g_max=100., V_sh=V_SH)
        self.IK = bp.channels.IK_TM1991(size, g_max=30., V_sh=V_SH)
        self.IL = bp.channels.IL(size, E=-60., g_max=0.05)


class ExponCOBA(bp.Projection):
    def __init__(self, num_pre, post, g_max, tau, E):
        super().__init__()
        self.proj = bp.dyn.ProjAlignPostMg1(
            comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(PROB, pre=num_pre, post=post.num), g_max),
            syn=bp.dyn.Expon.desc(size=post.num, tau=tau), out=bp.dyn.COBA.desc(E=E), post=post)

    def update(self, sps):
        return self.proj(sps)


class EINet(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.N = HH2(N)
        self.Esyn = ExponCOBA(N_E, self.N, 0.06, tau=5., E=0.)
        self.Isyn = ExponCOBA(N_I, self.N, 0.67, tau=10., E=-80.)

    def update(self):
        self.Esyn(self.N.spike[:N_E])
        self.Isyn(self.N.spike[N_E:])
        self.N()
        return self.N.spike


def draw(seed):
    bm.random.seed(seed)
    net = EINet()
    net.reset_state()  # the gates to their steady state in V (at construction they are 0, in BrainPy too)
    return {"V": np.asarray(net.N.V.value), "m": np.asarray(net.N.INa.p.value), "h": np.asarray(net.N.INa.q.value),
            "n": np.asarray(net.N.IK.p.value), "E": np.asarray(net.Esyn.proj.targets.value),
            "I": np.asarray(net.Isyn.proj.targets.value)}


@pytest.fixture(scope="module")
def seeds():
    return draw(0), draw(1)


def in_degree(targets):
    return np.bincount(targets[targets < N].ravel(), minlength=N)


def test_each_seed_draws_v_per_neuron_from_uniform_minus_70_minus_60(seeds):
    a, b = seeds
    for d in (a, b):
        V = d["V"]
        assert V.min() >= -70. and V.max() <= -60.
        assert abs(V.mean() + 65.) < 4 * (10 / np.sqrt(12)) / np.sqrt(N)
        # sample variance of a uniform of width 10: 100/12, its standard error sqrt((w^4/80 - (w^2/12)^2) / n)
        assert abs(V.var() - 100 / 12) < 4 * np.sqrt((1e4 / 80 - (100 / 12) ** 2) / N)
        # per neuron, not per group: the values fill the interval (ten bins of n/10 each)
        counts = np.histogram(V, bins=10, range=(-70, -60))[0]
        assert np.all(np.abs(counts - N / 10) < 4 * np.sqrt(N / 10 * 0.9))
    # another seed, other values, uncorrelated with the first seed's
    assert abs(np.corrcoef(a["V"], b["V"])[0, 1]) < 4 / np.sqrt(N)


def test_the_gates_start_at_their_steady_state_in_the_drawn_v(seeds):
    V = seeds[0]["V"].astype(np.float64)
    c = 13 - V + V_SH
    am, bm_ = 0.32 * c / (np.exp(c / 4) - 1), 0.28 * (V - V_SH - 40) / (np.exp((V - V_SH - 40) / 5) - 1)
    ah, bh = 0.128 * np.exp((17 - V + V_SH) / 18), 4. / (1 + np.exp(-(V - V_SH - 40) / 5))
    c = 15 - V + V_SH
    an, bn = 0.032 * c / (np.exp(c / 5) - 1), 0.5 * np.exp((10 - V + V_SH) / 40)
    np.testing.assert_allclose(seeds[0]["m"], am / (am + bm_), rtol=1e-4)
    np.testing.assert_allclose(seeds[0]["h"], ah / (ah + bh), rtol=1e-4)
    np.testing.assert_allclose(seeds[0]["n"], an / (an + bn), rtol=1e-4)


def test_each_seed_draws_a_new_graph_with_brainpys_fixed_out_degree(seeds):
    a, b = seeds
    for d in (a, b):
        for name, n_pre in (("E", N_E), ("I", N_I)):
            t = d[name]
            assert t.shape == (n_pre, K) and all(len(set(row)) == K for row in t.tolist()) and t.max() < N
            # in-degree: n_pre independent rows, each picking a neuron with probability K/N
            q = K / N
            deg = in_degree(t)
            assert deg.mean() == n_pre * q
            sd_var = np.sqrt(2 / N) * n_pre * q * (1 - q)  # standard error of a sample variance, near-normal law
            assert abs(deg.var() - n_pre * q * (1 - q)) < 4 * sd_var + 4 * n_pre * q * (1 - q) / N
        # the two projections' graphs and the neuron's V are independent of each other
        assert abs(np.corrcoef(in_degree(d["E"]), in_degree(d["I"]))[0, 1]) < 4 / np.sqrt(N)
        assert abs(np.corrcoef(in_degree(d["E"]), d["V"])[0, 1]) < 4 / np.sqrt(N)
    # another seed, another graph: a pair (i, j) of seed 0 is in seed 1's graph with probability K / N
    pairs = {(i, j) for i, row in enumerate(a["E"].tolist()) for j in row}
    shared = sum((i, j) in pairs for i, row in enumerate(b["E"].tolist()) for j in row) / (N_E * K)
    assert abs(shared - K / N) < 4 * np.sqrt(K / N * (1 - K / N) / (N_E * K))


def test_a_trial_loop_on_one_network_keeps_its_graph_and_starts_each_trial_afresh():
    # BrainPy builds the synapses once, with the model: net.reset_state() between trials draws new initial values
    # on the same graph (trials spread by V only), and the synapses' g start again from 0. Here each reset drew a
    # new graph (trials spread as different networks), and g stayed as the last trial left it (a burst of input:
    # BrainPy's COBAHH notebook at scale 0.5 fired at 68 Hz from step 6, not 46 Hz from step 117 as a fresh net)
    bm.random.seed(3)
    net = EINet()
    built = np.asarray(net.Esyn.proj.targets.value).copy(), np.asarray(net.Isyn.proj.targets.value).copy()
    V0 = np.asarray(net.N.V.value).copy()
    bm.for_loop(net.step_run, np.arange(3), progress_bar=False)
    net.Esyn.proj.syn.g.value = np.ones(N, np.float32)  # what a trial with spikes leaves
    net.Isyn.proj.syn.g.value = np.ones(N, np.float32)
    net.reset_state()
    np.testing.assert_array_equal(net.Esyn.proj.targets.value, built[0])
    np.testing.assert_array_equal(net.Isyn.proj.targets.value, built[1])
    assert not np.any(np.asarray(net.Esyn.proj.syn.g.value)) and not np.any(np.asarray(net.Isyn.proj.syn.g.value))
    V1 = np.asarray(net.N.V.value)
    assert abs(np.corrcoef(V0, V1)[0, 1]) < 4 / np.sqrt(N) and V1.min() >= -70. and V1.max() <= -60.
    # a rebuild under the same seed draws the same graph again
    bm.random.seed(3)
    np.testing.assert_array_equal(EINet().Esyn.proj.targets.value, built[0])
