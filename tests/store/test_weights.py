"""ds.bb weight helpers on a real sweep store of a plastic projection (each seed its own graph)."""
from pathlib import Path

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
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("weights")
    (path / "plastic.py").write_text(EXPERIMENT)
    bb.sweep(str(path / "plastic.py"), seeds=2, out=str(path / "w.zarr"), progress=False, devices="cpu")
    return str(path / "w.zarr")


@pytest.fixture(scope="module")
def store(store_path):
    return bb.open_results(store_path, states=True)


PLAIN = """
import json, sys
import numpy as np, xarray as xr
path = sys.argv[1]
ds = xr.open_dataset(path, engine="zarr", consolidated=False)   # zarr v3, not consolidated: as the store is
out = {"coords": sorted(map(str, ds.w.coords)), "sub_coords": sorted(map(str, ds.ws.coords)),
       "mean_in": [ds.w.isel(seed=s).groupby("post").mean().isel({"time_every100": -1}).values.tolist()
                   for s in range(2)],
       "post_labels": ds.w.groupby("post").mean()["post"].values.tolist(),
       "plain_mean": ds.w.isel({"time_every100": -1}).mean("S_synapse").values.tolist(),
       "pre": ds["pre"].values.tolist(), "post": np.nan_to_num(ds["post"].values, nan=-1).tolist(),
       "sub_post": np.nan_to_num(ds["ws_synapse_post"].values, nan=-1).tolist(),
       "lazy": xr.open_zarr(path, consolidated=False).w.load().groupby("post").mean().sizes["post"],
       "brainbatch": any(m.startswith("brainbatch") for m in sys.modules)}
print(json.dumps(out))
"""


def test_plain_xarray_groups_weights_by_post_and_reads_padding_as_missing(store_path, store):
    import json
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-c", PLAIN, store_path], capture_output=True, text=True, check=True)
    out = json.loads(res.stdout)
    assert not out["brainbatch"]  # plain xarray: nothing of brainbatch imported
    assert {"pre", "post"} <= set(out["coords"]) and {"ws_synapse_pre", "ws_synapse_post"} <= set(out["sub_coords"])
    targets = store["states/S.targets"].values  # (seed, pre, slot): each seed its own graph
    k = targets.shape[-1]
    w_all = store["w"].values
    np.testing.assert_array_equal(out["pre"], np.arange(12 * k) // k)
    assert out["post_labels"] == [0, 1, 2, 3, 4] and out["lazy"] == 5
    for seed in range(2):
        flat = targets[seed].reshape(-1)
        real = flat < 5
        np.testing.assert_array_equal(out["post"][seed], np.where(real, flat, -1))
        np.testing.assert_array_equal(out["sub_post"][seed], np.where(real, flat, -1)[[0, 5, 7, 11]])
        w = w_all[seed, -1]
        assert np.isnan(w[~real]).all() and np.isfinite(w[real]).all()  # padding slots are missing, not 0
        np.testing.assert_allclose(out["mean_in"][seed], [w[flat == j].mean() for j in range(5)], rtol=1e-6)
        np.testing.assert_allclose(out["plain_mean"][seed], w[real].mean(), rtol=1e-6)  # a plain mean: real ones


def test_synapse_coordinates_come_from_each_runs_graph(store):
    syn = store.bb.synapses("w")
    targets = store["states/S.targets"].values  # (seed, pre, slot)
    k = targets.shape[-1]
    for seed in range(2):
        flat = targets[seed].reshape(-1)
        # padding slots are no neuron's: NaN, as in the store's own post coordinate (n_post was a group of its own)
        np.testing.assert_array_equal(syn["post"].values[seed], np.where(flat < 5, flat, np.nan))
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


def test_synapses_without_states_use_the_stores_own_coordinates(store_path, store):
    plain = bb.open_results(store_path).bb.synapses("w")  # no states: pre/post from the store's coordinates
    full = store.bb.synapses("w")
    real = full["post"].values < 5
    np.testing.assert_array_equal(plain["post"].values[real], full["post"].values[real])
    assert np.isnan(plain["post"].values[~real]).all()
    np.testing.assert_array_equal(plain["pre"].values, full["pre"].values)
    np.testing.assert_array_equal(np.nan_to_num(plain.values, nan=-1), np.nan_to_num(full.values, nan=-1))
    mean_in = bb.open_results(store_path).bb.mean_weight("w", by="post")
    np.testing.assert_allclose(mean_in.values, store.bb.mean_weight("w", by="post").values, rtol=1e-6)


def test_a_swept_size_that_changes_the_synapses_per_neuron_is_refused_for_weight_records(tmp_path):
    # the store labels slot s with presynaptic neuron s // K, one label for all runs: with n = 20 and 30 the larger
    # runs' synapses got the smaller layout's neurons (pre up to 43 in a 30-neuron network), silently
    from brainbatch.sweep.errors import UsageError

    path = tmp_path / "sizes.py"
    path.write_text(EXPERIMENT.replace("def build(rate=200.0):", "sweep = {'n': [5, 8]}\n\ndef build(rate=200.0, n=5):")
                    .replace("bb.LIF(5,", "bb.LIF(n,").replace("bb.PoissonGroup(12,", "bb.PoissonGroup(n,"))
    with pytest.raises(UsageError, match=r"monitor 'w' records plastic weights over synapse slots, and a swept size changes "
                                         r"the synapses each presynaptic neuron has \(\d+ in some runs, \d+ in others\)"):
        bb.sweep(str(path), seeds=1, out=str(tmp_path / "s.zarr"), progress=False, devices="cpu")
    assert not (tmp_path / "s.zarr").exists()  # refused before anything was written


def test_a_run_without_finite_weights_has_a_nan_mean_and_bad_histogram_arguments_are_named(store):
    # a failed run (every weight NaN) had a mean in-weight of 0.0, where mean_rate and plain xarray say NaN
    failed = store.copy()
    failed["w"] = store["w"].where(store["seed"] != store["seed"].values[1])
    mean_in = failed.bb.mean_weight("w", by="post")
    assert np.isnan(mean_in.values[1]).all() and np.isfinite(mean_in.values[0, -1]).all()
    np.testing.assert_allclose(mean_in.values[0], store.bb.mean_weight("w", by="post").values[0], rtol=1e-6)
    for kwargs, message in ((dict(bins=0), "bins must be a whole number of bins from 1 to 100000, got 0"),
                            (dict(bins=2.5), "got 2.5"), (dict(bins=10**9), "got 1000000000"),
                            (dict(range=(0.0, float("nan"))), r"range must be \(low, high\) with finite low < high"),
                            (dict(range=(1.0, 1.0)), "finite low < high, got"), (dict(range=(2.0, 1.0)), "got"),
                            (dict(range="ab"), r"range must be \(low, high\), two numbers")):
        with pytest.raises(bb.store.StoreError, match=message):
            store.bb.weight_histogram("w", **kwargs)
    with pytest.raises(bb.store.StoreError, match="no projection 'T' in the saved states.*Projections with saved connectivity: S"):
        store.bb.synapses("ws", projection="T")


@pytest.mark.parametrize("edit", ["delete", "add_offset", "big-endian"])
def test_a_damaged_post_coordinate_is_damage_found_and_repaired(store_path, tmp_path, edit):
    # fifth store audit: the per-run `post` labels (written with the final state) were outside every check: a deleted
    # chunk, add_offset or a flipped endianness served wrong neuron numbers for done runs, all verified
    import json
    import shutil

    from brainbatch.store import ResultStore

    path = tmp_path / "w.zarr"
    shutil.copytree(store_path, path)
    if edit == "delete":
        (path / "post" / "c" / "0" / "0").unlink()
    for meta, get in ((path / "post" / "zarr.json", lambda d: d),
                      (path / "zarr.json", lambda d: d["consolidated_metadata"]["metadata"]["post"])):
        doc = json.loads(meta.read_text())
        if edit == "add_offset":
            get(doc)["attributes"]["add_offset"] = 1.0
        elif edit == "big-endian":
            get(doc)["codecs"][0]["configuration"]["endian"] = "big"
        meta.write_text(json.dumps(doc))
    damaged = ResultStore.open(path, "r").verify(full=True)
    said = {"delete": "chunk c/0/0 of 'post' is missing", "add_offset": "its array 'post' carries add_offset",
            "big-endian": "its array 'post' is read as big-endian"}[edit]
    assert damaged and all(said in why for why in damaged.values()), damaged
    assert len(damaged) == (1 if edit == "delete" else 2)
    res = bb.sweep(str(Path(store_path).parent / "plastic.py"), seeds=2, out=str(path), progress=False, devices="cpu",
                   verify=True)
    assert res.done == (1 if edit == "delete" else 0)  # a header is rewritten from the spec; a lost chunk's run redone
    assert ResultStore.open(path, "r").verify(full=True) == {}
    np.testing.assert_array_equal(bb.open_results(path).post.values, bb.open_results(store_path).post.values)
