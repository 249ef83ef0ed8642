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
    """``delay``: one for every projection, or a pair (the excitatory projections', the inhibitory ones')."""
    def group(n):
        return bb.LifRef(n, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, I_bias=20.0,
                         V_initializer=bb.Normal(-55.0, 2.0))

    E, I = group(n_exc), group(n_inh)
    d_exc, d_inh = delay if isinstance(delay, tuple) else (delay, delay)

    def proj(pre, post, tau, e_rev, w, delay):
        return bb.Projection(pre, post, bb.FixedProb(0.1), bb.Exponential(tau), bb.COBA(e_rev), weight=w, delay=delay)

    return bb.Network(E=E, I=I, E2E=proj(E, E, 5.0, 0.0, 0.6, d_exc), E2I=proj(E, I, 5.0, 0.0, 0.6, d_exc),
                      I2E=proj(I, E, 10.0, -80.0, 6.7, d_inh), I2I=proj(I, I, 10.0, -80.0, 6.7, d_inh))


def _spikes(choice, seeds, lanes, delay=None):
    return _spikes_once(choice, seeds, lanes, delay)  # one cache key whether delay is given or not


@functools.lru_cache(maxsize=None)
def _sim(delay):
    """One Simulation per delay, run under every kernel choice and both lane layouts: its programs are keyed
    by the choice (``ProgramKey.kernels``, which test_one_simulation_compiles_a_program_per_kernel_choice
    checks on it); both layouts' batches of 4 share an init program per choice (it does not depend on the
    layout), each layout compiles its own chunk."""
    return Simulation(lambda p: _ei(delay=delay), normalize_monitors({"E": "E.spike", "I": "I.spike"}), dt=0.1)


@functools.lru_cache(maxsize=None)  # the run alone serves both lane layouts' tests: one compile, not two
def _spikes_once(choice, seeds, lanes, delay):
    with use_kernels(choice):
        sim = _sim(delay)
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


#: a constant delay on the excitatory projections and one drawn per synapse on the inhibitory ones: both
#: kinds of delay in one network (one init and one chunk program per path, not two)
MIXED_DELAYS = (1.5, bb.Uniform(0.5, 2.0))


@pytest.mark.slow
@pytest.mark.skipif(len(CHOICES) < 2, reason="the native kernels could not be built here")
@pytest.mark.parametrize("delay", [None, MIXED_DELAYS], ids=["no_delay", "constant_and_per_synapse_delays"])
def test_native_and_pure_paths_give_the_same_spikes(delay):
    seeds = (0, 1, 2, 3) if delay is None else (5, 6)  # without delays: the lane tests' batches, run once
    native = _spikes("native", seeds, "vmap", delay)
    pure = _spikes("jax", seeds, "vmap", delay)
    if delay is not None:
        assert pure["E"].sum() > 100  # the delayed network is active
    np.testing.assert_array_equal(native["E"], pure["E"])
    np.testing.assert_array_equal(native["I"], pure["I"])


def test_one_simulation_compiles_a_program_per_kernel_choice():
    # the compiled programs are keyed by the kernel choice (run/programs.py ProgramKey.kernels): the same
    # Simulation run under another choice traces and compiles its own programs instead of reusing the
    # first choice's. The lane tests' Simulation (_sim: one for every choice), run alone under each choice
    # (the runs those tests compare their lanes with: cached, not run again).
    first = "native" if "native" in CHOICES else "auto"
    out = {choice: _spikes(choice, (2,), "vmap") for choice in (first, "jax")}
    programs = _sim(None)._programs._programs
    chunks = {}
    for k, p in programs.items():
        if k.kind == "chunk" and k.placement:
            chunks.setdefault(k.kernels, []).append(p.as_text())
    inits = {k.kernels for k in programs if k.kind == "init"}
    assert set(chunks) == inits == {first, "jax"}
    assert not any("bb_event" in text for text in chunks["jax"])  # the pure-JAX twin really ran
    if first == "native":
        assert all("bb_event" in text for text in chunks["native"])
    assert out["jax"]["E"].sum() > 10  # the network is active
    np.testing.assert_array_equal(out[first]["E"], out["jax"]["E"])  # counts are exact on both paths
    np.testing.assert_array_equal(out[first]["I"], out["jax"]["I"])


def test_an_unknown_lane_layout_is_refused():
    with pytest.raises(ValueError, match="lanes must be one of auto, vmap, loop"):
        Simulation(lambda p: _ei(), normalize_monitors({"E": "E.spike"}), lanes="serial")
