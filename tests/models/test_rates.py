"""Rate models: FHN against BrainPy 2.8.2, OU noise statistics, the coupling's delay rule, traced parameters.

Reference numbers: bench/brainpy_ported_references.py (BrainPy 2.8.2), section "fhn_delays".
"""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core import assign_paths
from brainbatch.run import Simulation, normalize_monitors

# 4 FHN nodes, no noise, fixed initial values, diffusive coupling with a per-pair delay matrix (>= 2
# steps off the diagonal), initial delay data 0.02, input 0.72, dt 0.1 ms.
C4 = 0.6 * np.array([[0, 1, 0.5, 0.2], [0.3, 0, 1, 0.4], [0.8, 0.2, 0, 1], [0.5, 0.7, 0.3, 0]], np.float32)
D4 = np.array([[0, 3, 5, 7], [2, 0, 4, 6], [9, 3, 0, 2], [4, 8, 5, 0]], np.int32)
X0, Y0 = [0.1, 0.5, -0.3, 0.9], [0.0, 0.2, 0.4, -0.1]
BRAINPY_X = {  # step -> fhn.x of BrainPy 2.8.2 (DSRunner, monitors after each step)
    1: [0.2031269073486328, 0.4703425467014313, -0.09554582089185715, 0.8285143375396729],
    5: [0.4299684166908264, 0.45056289434432983, 0.1551811695098877, 0.7750169634819031],
    10: [0.613434910774231, 0.6319491863250732, 0.358608603477478, 0.8263083100318909],
    100: [0.9060888290405273, 0.8654550909996033, 0.8089461922645569, 0.9155741333961487],
    500: [0.3329995572566986, 0.3205035924911499, 0.30970528721809387, 0.3399670124053955],
}


def test_fhn_network_with_delay_matrix_gives_brainpys_trajectory():
    fhn = bb.FHN(4, x_initializer=jnp.asarray(X0), y_initializer=jnp.asarray(Y0))
    coupling = bb.DiffusiveCoupling(fhn.x, fhn.x, fhn.input, conn_mat=C4, delay_steps=D4, initial_delay_data=0.02)
    out = bb.Runner(bb.Network(fhn=fhn, coupling=coupling), monitors=["fhn.x"], inputs=("fhn.input", 0.72),
                    dt=0.1, progress_bar=False).run(50.1)
    x = np.asarray(out["fhn.x"])
    for step, ref in BRAINPY_X.items():
        # float32 in both; the two differ in rounding only (observed 2e-6)
        np.testing.assert_allclose(x[step], ref, atol=5e-5, err_msg=f"step {step}")


class Counter(bb.NeuGroup):
    """x at the end of step k is k + 1 (x = 0 before the run): a variable whose past is known."""

    def __init__(self, n):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)
        self.init_variable("input", 0.0, batch_size=batch_size)
        self.init_variable("seen", 0.0, batch_size=batch_size)

    def update(self):
        self.seen.value = self.input.value  # what the coupling delivered in this step
        self.x.value = jnp.full_like(self.x.value, bb.share.i + 1.0)


def test_delay_rule_reads_the_end_of_step_i_minus_d():
    parts = {}
    for d in (0, 1, 2, 5):  # one network, one compile: a counter and a coupling per delay
        g = Counter(2)
        parts[f"g{d}"] = g
        parts[f"c{d}"] = bb.AdditiveCoupling(g.x, g.input, conn_mat=np.array([[1.0, 0.0], [0.0, 0.0]]),
                                             delay_steps=np.array([[d, 0], [0, 0]]), initial_delay_data=-7.0)
    out = bb.Runner(bb.Network(**parts), monitors=[f"g{d}.seen" for d in (0, 1, 2, 5)], progress_bar=False).run(2.0)
    for d in (0, 1, 2, 5):
        seen = np.asarray(out[f"g{d}.seen"])[:, 0]
        for i in range(20):
            k = i - max(d, 1)  # d = 0 and d = 1 read the current value (end of step i - 1)
            expected = k + 1 if k >= -1 else -7.0  # before the run: initial_delay_data
            assert seen[i] == expected, (d, i, seen[i], expected)


def test_diffusive_coupling_without_delay_is_the_laplacian():
    g = Counter(3)
    C = np.array([[0.0, 1.0, 2.0], [0.5, 0.0, 0.0], [0.0, 3.0, 0.0]], np.float32)
    g.x.value = jnp.array([1.0, 2.0, 4.0])
    c = bb.DiffusiveCoupling(g.x, g.x, g.input, conn_mat=C)
    with bb.environment(dt=0.1):
        out = np.asarray(c.update())
    x = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(out, [sum(C[i, j] * (x[i] - x[j]) for i in range(3)) for j in range(3)])


def test_ou_process_reaches_its_stationary_law():
    tau, sigma, mean, n = 5.0, 0.2, 0.3, 4000
    ou = bb.OUProcess(n, mean=mean, sigma=sigma, tau=tau)
    with bb.environment(key=jax.random.key(3), dt=0.1):
        assign_paths(ou)
        ou.reset()
        xs = bb.for_loop(lambda i: ou.step_run(i), jnp.arange(400), dyn_vars=ou)
    last = np.asarray(xs[-1], np.float64)
    var = sigma ** 2 * 0.1 / (1 - math.exp(-2 * 0.1 / tau))  # the exact discrete-time stationary variance
    assert abs(last.mean() - mean) < 5 * math.sqrt(var / n)
    assert abs(last.var() / var - 1) < 5 * math.sqrt(2 / n)


def _net(p):
    # fixed initial values: without noise a run does not depend on its seed
    fhn = bb.FHN(6, x_ou_sigma=p["sigma"], y_ou_sigma=p["sigma"], x_initializer=jnp.linspace(-0.2, 0.5, 6),
                 y_initializer=bb.Constant(0.1))
    C = np.ones((6, 6), np.float32) - np.eye(6, dtype=np.float32)
    c = bb.DiffusiveCoupling(fhn.x, fhn.x, fhn.input, conn_mat=p["G"] * C, delay_steps=np.full((6, 6), 4),
                             initial_delay_data=0.02)
    return bb.Network(fhn=fhn, c=c)


def test_coupling_and_noise_sweep_as_traced_values():
    from brainbatch.run import normalize_inputs

    sim = Simulation(_net, normalize_monitors(["fhn.x"]), normalize_inputs([("fhn.input", 0.72)]), dt=0.1)
    seeds = [0, 1, 0, 1, 0]
    G = np.array([0.5, 0.5, 0.5, 0.5, 0.0], np.float32)
    sigma = np.array([0.0, 0.0, 0.05, 0.05, 0.0], np.float32)
    _, recs = sim.run(seeds, {"G": G, "sigma": sigma}, 300, keep=True)  # one vmapped call, traced G and sigma
    x = np.asarray(recs["fhn.x"])
    assert x.shape == (5, 300, 6) and np.all(np.isfinite(x))
    np.testing.assert_array_equal(x[0], x[1])  # a traced sigma of 0 is no noise: the seed does not matter
    assert np.abs(x[2] - x[3]).max() > 1e-3    # with noise each seed draws its own
    assert np.abs(x[0] - x[4]).max() > 1e-3    # the traced coupling acts
    # coupling pulls the nodes together: their spread shrinks against the uncoupled lane
    assert x[0, -50:].std(axis=1).mean() < x[4, -50:].std(axis=1).mean()


def test_fhn_builds_no_noise_process_when_mean_and_sigma_are_zero():
    assert bb.FHN(3).x_ou is None and bb.FHN(3, y_ou_sigma=0.1).x_ou is None
    assert isinstance(bb.FHN(3, y_ou_sigma=0.1).y_ou, bb.OUProcess)


@pytest.mark.parametrize("kwargs, match", [
    (dict(delay_steps=np.full((2, 2), 1.5)), "whole numbers of steps"),
    (dict(delay_steps=np.full((2, 3), 1)), r"shape \(n_pre, n_post\) = \(2, 2\)"),
    (dict(delay_steps=-1), ">= 0"),
    # a history of 2**25 steps per region asked for GiBs (2**31 and up wrapped in int32)
    (dict(delay_steps=np.full((2, 2), 2**25)), r"at most 16777216 \(a delay buffer's length\), got a maximum of 33554432"),
    (dict(conn_mat=np.ones((3, 3))), r"conn_mat must have shape \(n_pre, n_post\) = \(2, 2\)"),
    (dict(conn_mat=np.full((2, 2), np.nan)), "finite"),
])
def test_bad_coupling_arguments_name_the_value(kwargs, match):
    fhn = bb.FHN(2)
    args = {"conn_mat": np.ones((2, 2)), **kwargs}
    with pytest.raises((TypeError, ValueError), match=match):
        bb.DiffusiveCoupling(fhn.x, fhn.x, fhn.input, **args)


def test_the_whole_brain_example_refuses_a_signal_speed_its_delays_cannot_take():
    # 0 mm/ms gave inf steps, wrapped by an int32 cast to -2**31 ("delay_steps must be >= 0, got -2147483648")
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[2] / "experiments"))
    from _connectome import connectome, delay_steps

    D = connectome()[1]
    assert delay_steps(D, 20.0).max() > 0
    for speed, match in ((0.0, "signal_speed must be a positive number of mm/ms, got 0.0"),
                         (float("nan"), "positive number"), (1e-9, "delays of up to 2.7.e\\+12 steps")):
        with pytest.raises(ValueError, match=match):
            delay_steps(D, speed)


def test_bad_fhn_arguments():
    with pytest.raises(ValueError, match="tau must be > 0"):
        bb.FHN(2, tau=0.0)
    with pytest.raises(ValueError, match="x_ou_sigma must be >= 0"):
        bb.FHN(2, x_ou_sigma=-0.1)
    with pytest.raises(TypeError, match="coupling_var1 must be a Variable"):
        bb.DiffusiveCoupling(np.zeros(2), bb.FHN(2).x, bb.FHN(2).input, conn_mat=np.ones((2, 2)))
