"""A whole E/I network on both event paths and both lane layouts: a lane equals the run alone, bitwise.

Counts are exact on both paths, so a network whose projections have one scalar weight per projection
(counts times weight) gives bitwise the same spikes on the native kernel and on the pure-JAX twin.
"""
import functools

import numpy as np
import pytest

import brainbatch as bb
import brainbatch.kernels as kernels
from brainbatch.kernels import use_kernels
from brainbatch.run import Simulation, normalize_monitors

CHOICES = ["native", "jax"] if kernels.native_available() else ["jax"]


def _ei(n_exc=160, n_inh=40, delay=None):
    def group(n):
        return bb.LifRef(n, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, I_bias=20.0,
                         V_initializer=bb.Normal(-55.0, 2.0))

    E, I = group(n_exc), group(n_inh)

    def proj(pre, post, tau, e_rev, w):
        return bb.Projection(pre, post, bb.FixedProb(0.1), bb.Exponential(tau), bb.COBA(e_rev), weight=w, delay=delay)

    return bb.Network(E=E, I=I, E2E=proj(E, E, 5.0, 0.0, 0.6), E2I=proj(E, I, 5.0, 0.0, 0.6),
                      I2E=proj(I, E, 10.0, -80.0, 6.7), I2I=proj(I, I, 10.0, -80.0, 6.7))


def _spikes(choice, seeds, lanes, delay=None):
    return _spikes_once(choice, seeds, lanes, delay)  # one cache key whether delay is given or not


@functools.lru_cache(maxsize=None)
def _sim(choice, delay):
    """One Simulation per path and delay: both lane layouts' batches of 4 share its init program (it does
    not depend on the layout: ``ProgramKey``), each layout compiles its own chunk."""
    return Simulation(lambda p: _ei(delay=delay), normalize_monitors({"E": "E.spike", "I": "I.spike"}), dt=0.1)


@functools.lru_cache(maxsize=None)  # the run alone serves both lane layouts' tests: one compile, not two
def _spikes_once(choice, seeds, lanes, delay):
    with use_kernels(choice):
        sim = _sim(choice, delay)
        sim.lanes = lanes
        _, out = sim.run(list(seeds), {}, 1500, keep=True)
    return out


@pytest.mark.parametrize("lanes", ["vmap", "loop"])
@pytest.mark.parametrize("choice", CHOICES)
def test_lane_equals_the_run_alone(choice, lanes):
    batch = _spikes(choice, (0, 1, 2, 3), lanes)
    alone = _spikes(choice, (2,), "vmap")
    assert alone["E"].sum() > 100  # the network is active
    np.testing.assert_array_equal(batch["E"][2], alone["E"][0])
    np.testing.assert_array_equal(batch["I"][2], alone["I"][0])


@pytest.mark.slow
@pytest.mark.skipif(len(CHOICES) < 2, reason="the native kernels could not be built here")
@pytest.mark.parametrize("delay", [None, 1.5, bb.Uniform(0.5, 2.0)])
def test_native_and_pure_paths_give_the_same_spikes(delay):
    seeds = (0, 1, 2, 3) if delay is None else (5, 6)  # without delays: the lane tests' batches, run once
    native = _spikes("native", seeds, "vmap", delay)
    pure = _spikes("jax", seeds, "vmap", delay)
    np.testing.assert_array_equal(native["E"], pure["E"])
    np.testing.assert_array_equal(native["I"], pure["I"])


def test_one_simulation_compiles_a_program_per_kernel_choice():
    # the compiled programs are keyed by the kernel choice (run/programs.py ProgramKey.kernels): the same
    # Simulation run under another choice traces and compiles its own programs instead of reusing the
    # first choice's. A small network: the property is about which program runs, not about size.
    first = "native" if "native" in CHOICES else "auto"
    sim = Simulation(lambda p: _ei(n_exc=40, n_inh=10), normalize_monitors({"E": "E.spike", "I": "I.spike"}),
                     dt=0.1)
    out = {}
    for choice in (first, "jax"):
        with use_kernels(choice):
            _, out[choice] = sim.run([3], {}, 300, keep=True)
    chunks = {k.kernels: p for k, p in sim._programs._programs.items() if k.kind == "chunk" and k.placement}
    inits = {k.kernels for k in sim._programs._programs if k.kind == "init"}
    assert set(chunks) == inits == {first, "jax"}
    assert "bb_event" not in chunks["jax"].as_text()  # the pure-JAX twin really ran
    if first == "native":
        assert "bb_event" in chunks["native"].as_text()
    assert out["jax"]["E"].sum() > 10  # the network is active
    np.testing.assert_array_equal(out[first]["E"], out["jax"]["E"])  # counts are exact on both paths
    np.testing.assert_array_equal(out[first]["I"], out["jax"]["I"])


def test_an_unknown_lane_layout_is_refused():
    with pytest.raises(ValueError, match="lanes must be one of auto, vmap, loop"):
        Simulation(lambda p: _ei(), normalize_monitors({"E": "E.spike"}), lanes="serial")
