"""Spike-train statistics on plain numpy boolean rasters (time on the last axis)."""
from __future__ import annotations

import numpy as np


def cv_isi(spikes: np.ndarray) -> np.ndarray:
    """Coefficient of variation (std / mean, ddof=0) of the inter-spike intervals of each train.

    ``spikes`` is boolean (or 0/1 floats) with time on the last axis; the result drops that axis.
    Trains with fewer than 3 spikes (fewer than 2 intervals) give NaN, and so do trains holding NaN
    (the padding of a smaller run in a store, which is no neuron). Otherwise it is elephant's
    ``cv(isi(train))`` (scipy's ``variation``, ddof=0); for a train of 2 spikes elephant gives 0 (the spread
    of one interval), which would read as a perfectly regular neuron: here it is NaN, on purpose.

    >>> regular = np.zeros((1, 20), bool); regular[0, ::4] = True
    >>> cv_isi(regular)
    array([0.])
    """
    spikes = np.asarray(spikes)
    padded = np.isnan(spikes).any(axis=-1).ravel() if spikes.dtype.kind == "f" else None
    spikes = spikes > 0 if spikes.dtype.kind == "f" else spikes.astype(bool)
    lead, n_time = spikes.shape[:-1], spikes.shape[-1]
    flat = spikes.reshape(-1, n_time)
    n_trains = flat.shape[0]
    # all trains at once: nonzero() lists spikes row by row, so intervals are diffs within a row
    rows, cols = np.nonzero(flat)
    same = rows[1:] == rows[:-1]
    isi = np.diff(cols)[same].astype(np.float64)
    owner = rows[1:][same]
    count = np.bincount(owner, minlength=n_trains)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(owner, isi, minlength=n_trains) / count
        # two-pass variance: exact 0 for regular trains, no cancellation
        var = np.bincount(owner, (isi - mean[owner]) ** 2, minlength=n_trains) / count
        cv = np.sqrt(var) / mean
    cv[count < 2] = np.nan
    if padded is not None:
        cv[padded] = np.nan
    return cv.reshape(lead)
