"""ds.bb weight helpers on a real sweep store of a plastic projection (each seed its own graph)."""
import numpy as np
import pytest

import brainbatch as bb

EXPERIMENT = '''
import brainbatch as bb
monitors = {"w": bb.Monitor("S.w", every=100), "ws": bb.Monitor("S.w", index=[0, 5, 7, 11], every=100)}
duration = 30.0

def build(rate=200.0):
    inp = bb.PoissonGroup(12, freqs=rate)
    neu = bb.LIF(5, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-55.0))
    S = bb.Projection(inp, neu, bb.FixedProb(0.5), bb.Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.5),
                      plasticity=bb.STDP(dApre=0.05, dApost=-0.06, w_max=0.5))
    return bb.Network(inp=inp, neu=neu, S=S)
'''


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("weights")
    (path / "plastic.py").write_text(EXPERIMENT)
    bb.sweep(str(path / "plastic.py"), seeds=2, out=str(path / "w.zarr"), progress=False, devices="cpu")
    return bb.open_results(str(path / "w.zarr"), states=True)


def test_synapse_coordinates_come_from_each_runs_graph(store):
    syn = store.bb.synapses("w")
    targets = store["states/S.targets"].values  # (seed, pre, slot)
    k = targets.shape[-1]
    for seed in range(2):
        flat = targets[seed].reshape(-1)
        np.testing.assert_array_equal(syn["post"].values[seed], flat)
        valid = flat < 5
        w = syn.isel(seed=seed).values[-1]
        assert np.all(np.isnan(w[~valid])) and np.all(np.isfinite(w[valid]))
    np.testing.assert_array_equal(syn["pre"].values, np.arange(12 * k) // k)
    assert not np.array_equal(targets[0], targets[1])


def test_mean_in_weight_and_histogram_agree_with_numpy(store):
    mean_in = store.bb.mean_weight("w", by="post")  # (seed, time, post)
    hist = store.bb.weight_histogram("w", bins=5, range=(0.0, 0.5))
    targets = store["states/S.targets"].values
    w_all = store["w"].values
    for seed in range(2):
        flat = targets[seed].reshape(-1)
        w = w_all[seed, -1]
        expect = [w[flat == j].mean() for j in range(5)]
        np.testing.assert_allclose(mean_in.values[seed, -1], expect, rtol=1e-6)
        assert hist.values[seed, -1].sum() == (flat < 5).sum()
        np.testing.assert_array_equal(hist.values[seed, -1], np.histogram(w[flat < 5], bins=5, range=(0, 0.5))[0])
    with pytest.raises(bb.store.StoreError, match="by must be"):
        store.bb.mean_weight("w", by="both")


def test_a_recorded_subset_needs_its_projection_and_lines_up_with_the_whole(store):
    with pytest.raises(bb.store.StoreError, match="subset.*projection='EE'"):
        store.bb.synapses("ws")
    sub = store.bb.synapses("ws", projection="S")
    whole = store.bb.synapses("w")
    np.testing.assert_array_equal(sub["post"].values, whole["post"].values[:, [0, 5, 7, 11]])
    np.testing.assert_array_equal(np.nan_to_num(sub.values, nan=-1), np.nan_to_num(whole.values[..., [0, 5, 7, 11]], nan=-1))
