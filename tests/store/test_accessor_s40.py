"""Session 40: ``ds.bb``'s weight analyses checked against numpy on the raw Zarr arrays, runs not done included.

An independent reader (zarr + numpy, the documented ``status`` codes and ``pre``/``post`` coordinates) and ``ds.bb``
disagreed on runs that are not done:

- ``weight_histogram`` gave a run that is not done a histogram: all zeros for a failed run (its weights read NaN: a
  projection without synapses), and, opened with plain ``xr.open_zarr``, the counts of a pending run's partial weights.
  Every other ``ds.bb`` statistic reads such a run as NaN; now so does this one (and its default range is the done
  runs' largest weight).
- ``mean_weight(by="pre")`` (and ``synapses("w")``), opened with plain ``xr.open_zarr``, gave a pending run's written
  weights as a result; ``synapses`` now masks runs that are not done.

- A subset that drops the runs' status (``ds[["spikes"]]`` keeps coordinates only) read failed and pending runs as
  silent neurons (0 Hz); ``open_results``' status kept without ``done`` (``ds[["spikes", "status"]]``: text) did too.
  Now the first is refused in one line naming what to keep, and a text status masks as the numeric one does.

The pending run is made as an interrupted sweep leaves one (its chunks written, its status not ``done``): the status
is set back with zarr, as an extension in time does before it grows the store.
"""
from __future__ import annotations

import shutil

import numpy as np
import pytest
import xarray as xr
import zarr

import brainbatch as bb

EXPERIMENT = '''
import brainbatch as bb
monitors = {"w": bb.Monitor("S.w", every=10), "sp": "neu.spike"}
duration = 3.0


def build(dA=0.05):
    if dA > 0.15:
        raise ValueError("dA > 0.15 fails on purpose")
    inp = bb.PoissonGroup(8, freqs=300.0)
    neu = bb.LIF(3, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0)
    S = bb.Projection(inp, neu, bb.FixedProb(0.5), bb.Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.5),
                      plasticity=bb.STDP(dApre=dA, dApost=-0.06, w_max=0.5))
    return bb.Network(inp=inp, neu=neu, S=S)
'''
N_POST, N_PRE = 3, 8
VALUES = [0.05, 0.1, 0.2]  # 0.2 fails


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    """A store with two done runs and a failed one, and a copy whose second run is pending with its data written."""
    root = tmp_path_factory.mktemp("accessor40")
    (root / "plastic.py").write_text(EXPERIMENT)
    result = bb.sweep(str(root / "plastic.py"), seeds=1, params={"dA": VALUES}, out=str(root / "w.zarr"),
                      progress=False, devices="cpu")
    assert len(result.failed) == 1 and result.done == 2
    shutil.copytree(root / "w.zarr", root / "pending.zarr")
    status = zarr.open_group(str(root / "pending.zarr"), mode="r+")["status"]
    codes = np.asarray(status[...])
    codes[0, 1] = 0  # pending: an interrupted sweep's run, its chunks written
    status[...] = codes
    return root / "w.zarr", root / "pending.zarr"


def _raw(path):
    """Weights (run..., time, synapse) with runs not done NaN, per-run post labels, pre labels, the done mask: from zarr."""
    g = zarr.open_group(str(path), mode="r")
    done = np.asarray(g["status"][...]) == dict(zip(g["status"].attrs["flag_meanings"].split(),
                                                    g["status"].attrs["flag_values"]))["done"]
    w = np.asarray(g["w"][...], dtype=np.float64)
    w[~done] = np.nan
    post = np.asarray(g["post"][...], dtype=np.float64)
    post = np.broadcast_to(post, w.shape[:-2] + post.shape[-1:]) if post.ndim == 1 else post
    return w, post, np.asarray(g["pre"][...]), done


def _grouped_means(w, labels, n):
    """Mean of each run's and time's finite weights per label 0..n-1 (NaN where none)."""
    out = np.full(w.shape[:-1] + (n,), np.nan)
    for idx in np.ndindex(*w.shape[:-1]):
        row, lab = w[idx], labels[idx[:-1]] if labels.ndim > 1 else labels
        for k in range(n):
            pick = np.isfinite(row) & (lab == k)
            if pick.any():
                out[idx + (k,)] = row[pick].mean()
    return out


@pytest.mark.parametrize("which", ["failed", "pending"])
@pytest.mark.parametrize("opener", [bb.open_results, xr.open_zarr])
def test_weight_histogram_and_mean_weight_leave_out_runs_not_done(paths, which, opener):
    path = paths[0] if which == "failed" else paths[1]
    w, post, pre, done = _raw(path)
    assert (~done).sum() == (1 if which == "failed" else 2)
    ds = opener(path)
    bins = 4
    edges = np.linspace(0.0, np.nanmax(w), bins + 1)  # (0, largest weight of the done runs)
    expected = np.full(w.shape[:-1] + (bins,), np.nan)
    for idx in np.ndindex(*w.shape[:-1]):
        if done[idx[:-1]]:
            expected[idx] = np.histogram(w[idx][np.isfinite(w[idx])], bins=edges)[0]
    hist = ds.bb.weight_histogram("w", bins=bins)
    np.testing.assert_allclose(hist.transpose("seed", "dA", "time_every10", "bin").values, expected)
    np.testing.assert_allclose(hist["bin"].values, (edges[:-1] + edges[1:]) / 2)
    synapses = ds.bb.synapses("w").transpose("seed", "dA", "time_every10", "S_synapse").values
    np.testing.assert_array_equal(np.isnan(synapses).all(axis=(-2, -1)), ~done)  # a run not done: no weights
    by_pre = ds.bb.mean_weight("w", by="pre")
    np.testing.assert_allclose(by_pre.transpose("seed", "dA", "time_every10", "pre").values,
                               _grouped_means(np.where(np.isfinite(post)[..., None, :], w, np.nan), pre, N_PRE),
                               rtol=1e-12)
    by_post = ds.bb.mean_weight("w", by="post")
    np.testing.assert_allclose(by_post.transpose("seed", "dA", "time_every10", "post").values,
                               _grouped_means(w, np.where(np.isfinite(post), post, -1), N_POST), rtol=1e-12)


def _raw_rates(path):
    """Hz per neuron of the record ``sp`` over its whole time, runs not done NaN: from zarr and numpy alone."""
    g = zarr.open_group(str(path), mode="r")
    _, _, _, done = _raw(path)
    spikes = np.asarray(g["sp"][...], dtype=np.float64)
    rates = spikes.sum(-2) / (spikes.shape[-2] * float(g.attrs["dt"]) / 1000.0)
    rates[~done] = np.nan
    return rates


def test_spike_rates_of_the_same_store_leave_out_runs_not_done(paths):
    # the spike statistics held already: pinned beside the weights, from the raw raster
    rates = _raw_rates(paths[1])
    got = xr.open_zarr(paths[1]).bb.rates("sp").transpose("seed", "dA", "neu_neuron").values
    np.testing.assert_allclose(got, rates, rtol=1e-12)


def test_a_subset_without_the_runs_status_is_refused_and_a_text_status_masks(paths):
    # ds[["sp"]] keeps coordinates only: the failed run (all False) read as silent, 0 Hz, where the store has no result
    rates = _raw_rates(paths[0])
    for opener in (bb.open_results, xr.open_zarr):
        with pytest.raises(bb.store.StoreError, match=r"'sp' names its runs' status in 'status', which this dataset "
                                                      r"lacks.*keep it, ds\[\['sp', 'status'\]\]"):
            opener(paths[0])[["sp"]].bb.rates("sp")
        with pytest.raises(bb.store.StoreError, match="'w' names its runs' status"):
            opener(paths[0])[["w"]].bb.weight_histogram("w")
        # open_results' status is text ("done", "failed"): kept without ``done``, it masks the runs as well
        got = opener(paths[0])[["sp", "status"]].bb.rates("sp").transpose("seed", "dA", "neu_neuron").values
        np.testing.assert_allclose(got, rates, rtol=1e-12)
