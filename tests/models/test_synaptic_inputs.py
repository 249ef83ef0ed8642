"""External input into a population's synaptic current: ``PoissonInput`` onto a synapse."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.models import CUBA, Exponential, FixedProb, PoissonInput, Projection

from _projection_support import DT, Probe, Source

TAU, K, FREQ, W = 0.5, 100, 80.0, 2.0


def _run(order, n_steps=2000):
    pre, post = Source(np.zeros((n_steps, 5), bool)), Probe(300)
    proj = Projection(pre, post, FixedProb(0.1), Exponential(TAU), CUBA(), weight=1.0)
    bg = PoissonInput(proj.syn, num_input=K, freq=FREQ, weight=W)
    nodes = dict(pre=pre, post=post, proj=proj, bg=bg)
    net = bb.Network(**{k: nodes[k] for k in order})
    with bb.environment(key=jax.random.key(3), dt=DT):
        net.reset()
        return np.asarray(bb.for_loop(lambda i: (net.step_run(i), proj.syn.g.value)[1], jnp.arange(n_steps),
                                      dyn_vars=net))


@pytest.fixture(scope="module")
def traces():
    return _run(("pre", "post", "proj", "bg")), _run(("bg", "pre", "post", "proj"))


def test_poisson_counts_enter_the_synapse_whatever_the_node_order(traces):
    after, before = traces
    np.testing.assert_array_equal(after, before)


def test_mean_synaptic_current_is_rate_times_weight_times_tau(traces):
    g = traces[0][200:]  # past the 0.5 ms transient
    per_step = K * FREQ * DT / 1000 * W
    expected = per_step / (1 - np.exp(-DT / TAU))
    # 1800 steps x 300 neurons; correlation time tau / dt = 5 steps: ~1.1e6 / 10 effective samples
    se = g.std() / np.sqrt(g.size / 10)
    assert abs(g.mean() - expected) < 6 * se


def test_an_unattached_synapse_is_refused():
    with pytest.raises(ValueError, match="not attached"):
        PoissonInput(Exponential(TAU), num_input=10, freq=5.0, weight=1.0)
