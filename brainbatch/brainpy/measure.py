"""``brainbatch.brainpy.measure``: BrainPy's measures of recorded activity (numpy, after a run).

>>> import numpy as np, brainbatch.brainpy as bp
>>> sp = np.zeros((40, 2), bool); sp[::10, :] = True  # every neuron spikes once a ms
>>> round(float(bp.measure.firing_rate(sp, width=4., dt=0.1)[20]), 1)  # 4 spikes in a 4.1 ms window
975.6
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.context import get_dt
from ._compat import unsupported

__all__ = ["firing_rate", "functional_connectivity", "cross_correlation", "raster_plot"]


def firing_rate(spikes: Any, width: float, dt: float | None = None, numpy: bool = True) -> np.ndarray:
    """Population rate (Hz) per step: the mean over neurons of ``spikes`` (time, neuron), smoothed by a
    centred window of ``width`` ms rounded to an odd number of steps (BrainPy 2.8.2's ``measure.firing_rate``,
    normalised by that window's length)."""
    dt = get_dt() if dt is None else float(dt)
    sp = np.asarray(spikes, dtype=float).reshape(len(spikes), -1)
    width1 = int(width / 2 / dt) * 2 + 1
    window = np.ones(width1) / (width1 * dt) * 1000.0
    return np.convolve(sp.mean(axis=1), window, mode="same")


def functional_connectivity(activities: Any) -> np.ndarray:
    """Pearson correlation matrix of the columns of ``activities`` (time, node); NaN-free."""
    x = np.asarray(activities, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"activities must be a (time, node) array, got shape {x.shape}")
    fc = np.corrcoef(x.T)
    return np.nan_to_num(fc)


def cross_correlation(spikes: Any, bin: float, dt: float | None = None) -> float:
    """Mean pairwise synchrony of binned spike trains (Wang & Buzsaki 1996's kappa)."""
    dt = get_dt() if dt is None else float(dt)
    sp = np.asarray(spikes, dtype=float).reshape(len(spikes), -1)
    per = int(round(bin / dt))
    n_bins = sp.shape[0] // per
    binned = (sp[:n_bins * per].reshape(n_bins, per, -1).sum(axis=1) > 0).astype(float)
    counts = binned.sum(axis=0)
    co = binned.T @ binned
    denom = np.sqrt(np.outer(counts, counts))
    kappa = np.divide(co, denom, out=np.zeros_like(co), where=denom > 0)
    n = kappa.shape[0]
    return float((kappa.sum() - np.trace(kappa)) / (n * (n - 1))) if n > 1 else 0.0


def raster_plot(sp_matrix: Any, times: Any) -> tuple[np.ndarray, np.ndarray]:
    """BrainPy's ``measure.raster_plot``: the neuron index and the time of every spike of a ``(time,
    neuron)`` raster (to draw them: ``bp.visualize.raster_plot``).

    >>> raster_plot(np.array([[0, 1], [1, 0]], bool), np.array([0.0, 0.1]))
    (array([1, 0]), array([0. , 0.1]))
    """
    steps, neurons = np.nonzero(np.asarray(sp_matrix))
    return neurons, np.asarray(times)[steps]


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.measure", name,
                      {"voltage_fluctuation": "compute it with numpy from a monitored V",
                       "matrix_correlation": "use numpy.corrcoef"}, __all__)
