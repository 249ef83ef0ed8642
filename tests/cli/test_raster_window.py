"""A raster too dense to read shows the run's last stretch (issue 23 item 13: readable at 3200 neurons)."""
import numpy as np
import xarray as xr

from brainbatch.cli.plots import RASTER_MAX_SPIKES, _readable_window


def _run(neurons: int, steps: int, rate_hz: float, dt: float = 0.1) -> xr.Dataset:
    """One run's raster of independent Bernoulli spikes, as a store holds it (time in ms)."""
    # drawn as the number of spikes (binomial) at uniform places: the same law as one Bernoulli draw per
    # step and neuron (up to the rare place drawn twice) without 10^8 random numbers for the dense case
    rng = np.random.default_rng(0)
    spikes = np.zeros((1, steps, neurons), dtype=bool)
    count = rng.binomial(steps * neurons, rate_hz * dt / 1000.0)
    spikes.reshape(-1)[rng.integers(0, steps * neurons, count)] = True
    return xr.Dataset({"spikes_E": (("seed", "time", "E_neuron"), spikes)},
                      coords={"seed": [0], "time": np.arange(steps) * dt, "E_neuron": np.arange(neurons)})


def test_a_sparse_raster_is_drawn_whole():
    ds = _run(100, 5000, 10.0)  # ~500 spikes
    assert _readable_window(ds, ["spikes_E"], {"seed": 0}) == (None, None, None)


def test_a_dense_raster_shows_a_round_last_stretch_with_about_the_readable_number_of_spikes():
    ds = _run(3200, 50_000, 5.0)  # 5 s of 3200 neurons at 5 Hz: ~80 000 spikes, a solid block at full length
    t0, t1, neurons = _readable_window(ds, ["spikes_E"], {"seed": 0})
    end = float(ds.time[-1])
    assert neurons is None and t1 == end
    length = t1 - t0
    assert length in (1000.0, 2000.0)  # a round length (1, 2 or 5 x 10^k ms) below the readable share
    shown = int(ds.spikes_E.sel(time=slice(t0, t1)).sum())
    assert shown <= RASTER_MAX_SPIKES * 1.1 and shown >= RASTER_MAX_SPIKES / 5
