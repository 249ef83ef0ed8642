"""The example experiments' analyse (``brainbatch show STORE --experiment FILE``) and figures on each kind of store a
user makes: a failed or pending combination, a sampled design, a swept size. Each gives one line per swept
combination with finished runs, numbers equal to a direct numpy computation, or says why it cannot."""
import pathlib

import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]
DT = 0.1


def _experiment(name):
    return load_experiment(ROOT / "experiments" / f"{name}.py")


@pytest.fixture(scope="module")
def failed_coba(tmp_path_factory):
    """A tiny COBA over we = 0.6 and 1e38: the second value's runs end with Inf conductances (failed)."""
    out = tmp_path_factory.mktemp("show37") / "coba.zarr"
    bb.sweep(ROOT / "experiments" / "coba.py", out=out, seeds=2, progress=False, duration=20.0,
             params={"n_exc": [16], "n_inh": [4], "prob": [0.2], "we": [0.6, 1e38]})
    return bb.open_results(out)


def test_a_combination_with_no_finished_run_is_named_not_given_a_line_of_nan(failed_coba):
    """coba, cuba, poisson_lif, coba_stdp, microcircuit and whole_brain printed ``we=1e+38: mean nan Hz, E nan Hz, I
    nan Hz`` for a swept value whose runs all failed (or were not run yet, as a ``brainbatch run`` grid leaves)."""
    ds = failed_coba
    assert ds["done"].squeeze().values.tolist() == [[True, False], [True, False]]  # seed x we
    out = _experiment("coba").analyse(ds)
    assert list(out) == ["we=0.6", "no finished run"] and out["no finished run"] == "we=1e+38"
    # the numbers of the finished cell: spikes / (neurons x 20 ms), mean over the two seeds
    raster = {p: ds[f"spikes_{p}"].sel(we=0.6).values.astype(float) for p in "EI"}
    per_pop = {p: (r.sum(axis=(-2, -1)) / (r.shape[-1] * 0.02)).mean() for p, r in raster.items()}
    total = ((raster["E"].sum(axis=(-2, -1)) + raster["I"].sum(axis=(-2, -1))) / (20 * 0.02)).mean()
    assert out["we=0.6"] == f"mean {total:.2f} Hz, E {per_pop['E']:.2f} Hz, I {per_pop['I']:.2f} Hz"
    assert per_pop["E"] > 0


def test_figures_say_why_a_store_without_spikes_has_no_activity_picture(tmp_path):
    """``python experiments/figures.py whole_brain STORE FOLDER`` raised ``TypeError: 'Axes' object is not iterable``
    (no spike record to draw)."""
    import importlib.util

    out = tmp_path / "wb.zarr"
    bb.sweep(ROOT / "experiments" / "whole_brain.py", out=out, seeds=1, progress=False, duration=5.0,
             params={"n": [6], "G": [1.0], "sigma": [0.01]})
    spec = importlib.util.spec_from_file_location("figures_s37", ROOT / "experiments" / "figures.py")
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    with pytest.raises(SystemExit, match=r"records no spikes \(x, .*brainbatch show STORE --experiment"):
        figures.main("whole_brain", str(out), str(tmp_path / "fig"))


# -- analyses on synthetic results Datasets (as open_results gives them), no simulation ------------------------------
def _sampled(values, extra=None):
    """coords of a 2-sample design over `rate` (or another name) beside its index."""
    return {"sample": [0, 1], **{k: ("sample", v) for k, v in values.items()}, **(extra or {})}


def test_coba_stdp_analyse_labels_a_sampled_design_by_its_parameters():
    """A sampled ratio raised KeyError 'ratio=1.08199': the weight record's last time (a scalar coordinate left by
    ``isel``) was taken for a sampled parameter, so the weights' labels differed from the rates'."""
    steps, n = 100, 4
    spikes = np.zeros((1, 2, steps, n), np.float32)
    spikes[:, :, ::50] = 1.0  # 2 spikes in 10 ms: 200 Hz
    w = np.array([[[[0.5, 0.7]] * 2, [[0.1, 0.3]] * 2]], np.float32)  # (seed, sample, time_w, syn)
    ds = xr.Dataset(
        {"spikes_E": (("seed", "sample", "time", "E_neuron"), spikes, {"kind": "spikes", "every": 1}),
         "w": (("seed", "sample", "time_w", "w_syn"), w),
         "done": (("seed", "sample"), np.ones((1, 2), bool))},
        coords={"seed": [0], "time": np.arange(steps) * DT, "time_w": [0.0, 5.0],
                **_sampled({"ratio": [1.08199, 1.15072]})}, attrs={"dt": DT, "t0": 0.0})
    out = _experiment("coba_stdp").analyse(ds)
    assert out == {"ratio=1.08199": "E 200.00 Hz, mean w 0.6000 (last record)",
                   "ratio=1.15072": "E 200.00 Hz, mean w 0.2000 (last record)"}


def _stp(coords, dims, shape, done):
    g = np.full((*shape, 10, 1), 0.2, np.float32)
    sent = np.full((*shape, 10), 4.0, np.float32)
    return xr.Dataset({"g": ((*dims, "time_g", "post_neuron"), g), "sent": ((*dims, "time_sent"), sent),
                       "done": (dims, done)}, coords=coords, attrs={"dt": DT})


def test_stp_analyse_gives_each_sample_its_rate_and_theory_and_names_unfinished_runs():
    """A sampled rate raised ValueError ('can only convert an array of size 1'): the theory read ``ds["rate"]``, a
    coordinate over ``sample``, as one number. A grid value whose run failed printed ``nan (theory ...)``."""
    stp = _experiment("stp_tsodyks")
    release = 0.2 * -np.expm1(-DT / 5.0) / 4.0  # g x (1 - exp(-dt / tau_s)) / (w x spikes per step)
    ds = _stp(_sampled({"rate": [10.0, 20.0]}, {"seed": [0]}), ("seed", "sample"), (1, 2), np.ones((1, 2), bool))
    out = stp.analyse(ds)
    assert out == {f"rate {r:g}": f"{release:.4f} (theory {stp.module.theory(r, 0.5, 200.0):.4f})" for r in (10, 20)}
    grid = _stp({"seed": [0, 1], "rate": [10.0, 20.0]}, ("seed", "rate"), (2, 2), np.array([[True, False]] * 2))
    grid["g"] = grid["g"].where(grid["done"])  # a run not done reads NaN
    out = stp.analyse(grid)
    assert out == {"rate 10": f"{release:.4f} (theory 0.2500)", "no finished run": "rate 20"}


def test_whole_brain_analyse_labels_samples_by_g_and_reads_each_runs_own_regions():
    """A sampled G was labelled ``sample=0``; a swept ``n`` gave the smaller runs ``x_mean nan`` (their padding
    regions, NaN, were averaged in)."""
    wb = _experiment("whole_brain")
    rng = np.random.default_rng(0)
    x = rng.normal(0.3, 0.1, (1, 2, 400, 4))  # (seed, sample | n, time, region): 1 ms samples, 400 ms
    ds = xr.Dataset({"x": (("seed", "sample", "time_x", "fhn_neuron"), x), "done": (("seed", "sample"), [[True] * 2])},
                    coords={"seed": [0], "time_x": np.arange(400.0), **_sampled({"G": [0.5, 1.25]})})
    out = wb.analyse(ds)
    assert list(out) == ["G=0.5", "G=1.25"]
    after = x[0, 0, 200:]  # statistics after 200 ms
    assert out["G=0.5"].split(", ")[1] == f"x_mean {after.mean():.4g}"
    sized = x.copy()
    sized[0, 0, :, 3] = np.nan  # n=3: one padding region
    ds = xr.Dataset({"x": (("seed", "n", "time_x", "fhn_neuron"), sized), "done": (("seed", "n"), [[True] * 2])},
                    coords={"seed": [0], "n": [3, 4], "time_x": np.arange(400.0)})
    out = wb.analyse(ds)
    assert out["n=3"].split(", ")[1:] == [f"x_mean {after[:, :3].mean():.4g}",
                                         f"x_std {after[:, :3].std(axis=0).mean():.4g}"]


def test_brunel_analyse_reads_each_runs_own_neurons_and_labels_samples():
    """A swept ``n_e`` gave the smaller run ``rate nan Hz`` (its NaN padding summed in); a sampled g was labelled
    ``sample=0``."""
    steps = 3000  # 300 ms: statistics over [200, 300)
    e = np.full((1, 2, steps, 4), np.nan, np.float32)
    e[:, 0, :, :2] = 0.0
    e[:, 1] = 0.0
    e[:, :, ::100] = np.where(np.isnan(e[:, :, ::100]), np.nan, 1.0)  # every 10 ms: 100 Hz
    i = np.zeros((1, 2, steps, 1), np.float32)
    i[:, :, ::100] = 1.0
    spikes = {"spikes_E": (("seed", "n_e", "time", "E_neuron"), e, {"kind": "spikes"}),
              "spikes_I": (("seed", "n_e", "time", "I_neuron"), i, {"kind": "spikes"}),
              "done": (("seed", "n_e"), np.ones((1, 2), bool))}
    ds = xr.Dataset(spikes, coords={"seed": [0], "n_e": [2, 4], "time": np.arange(steps) * DT}, attrs={"dt": DT})
    out = _experiment("brunel").analyse(ds)
    assert [v.split(",")[0] for v in out.values()] == ["rate 100.00 Hz"] * 2 and list(out) == ["n_e=2", "n_e=4"]
    sampled = ds.rename({"n_e": "sample"}).assign_coords(sample=[0, 1], g=("sample", [4.5, 5.5]))
    assert list(_experiment("brunel").analyse(sampled)) == ["g=4.5", "g=5.5"]
