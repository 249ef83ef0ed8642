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
from ..core.variable import unwrap
from ._compat import unsupported

__all__ = ["firing_rate", "functional_connectivity", "cross_correlation", "raster_plot", "voltage_fluctuation",
           "matrix_correlation", "weighted_correlation", "unitary_LFP"]


def firing_rate(spikes: Any, width: float, dt: float | None = None, numpy: bool = True) -> np.ndarray:
    """Population rate (Hz) per step: the mean over neurons of ``spikes`` (time, neuron), smoothed by a
    centred window of ``width`` ms rounded to an odd number of steps (BrainPy 2.8.2's ``measure.firing_rate``,
    normalised by that window's length)."""
    dt = _step("firing_rate", dt)
    if not np.isfinite(width) or width < 0:
        raise ValueError(f"firing_rate: width must be a window of >= 0 ms, got {width!r}")
    sp = np.asarray(spikes, dtype=float).reshape(len(spikes), -1)
    width1 = int(width / 2 / dt) * 2 + 1
    window = np.ones(width1) / (width1 * dt) * 1000.0
    return np.convolve(sp.mean(axis=1), window, mode="same")


def functional_connectivity(activities: Any) -> np.ndarray:
    """Pearson correlation matrix of the columns of ``activities`` (time, node); NaN-free: 0 between a constant
    node and any other, 1 on the diagonal (BrainPy 2.8.2's, a constant node's own entry included).

    >>> functional_connectivity(np.ones((10, 2))).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    x = np.asarray(activities, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"activities must be a (time, node) array, got shape {x.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = np.nan_to_num(np.corrcoef(x.T))
    np.fill_diagonal(fc, 1.0)
    return fc


def cross_correlation(spikes: Any, bin: float, dt: float | None = None, method: str = "loop") -> float:
    """Mean pairwise synchrony of binned spike trains (Wang & Buzsaki 1996's kappa), as BrainPy 2.8.2's: bins of
    ``round(bin / dt)`` steps, the last one padded with silence, 0 for a pair with a silent neuron and for fewer
    than two neurons (``method`` is BrainPy's way of computing it; both give this number).

    >>> sp = np.zeros((10, 2)); sp[[0, 9], 0] = 1; sp[[1, 4], 1] = 1
    >>> round(cross_correlation(sp, 0.3, dt=0.1), 4)  # bins [0:3) [3:6) [6:9) [9:10): coincident in 1 of 2 x 2
    0.5
    """
    if method not in ("loop", "vmap"):
        raise ValueError(f"cross_correlation: method must be 'loop' or 'vmap', got {method!r}")
    dt = _step("cross_correlation", dt)
    sp = np.asarray(spikes, dtype=float).reshape(len(spikes), -1)
    per = int(round(bin / dt))
    if per < 1:
        raise ValueError(f"cross_correlation: bin ({bin!r} ms) must be at least as large as dt ({dt} ms)")
    n_bins = -(-sp.shape[0] // per)  # the last bin padded with silence
    padded = np.concatenate([sp, np.zeros((n_bins * per - sp.shape[0], sp.shape[1]))])
    binned = (padded.reshape(n_bins, per, -1).sum(axis=1) > 0).astype(float)
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
    sp = np.asarray(unwrap(sp_matrix))
    if sp.ndim != 2:
        raise ValueError(f"raster_plot: sp_matrix must be a (time, neuron) array, got shape {sp.shape}")
    ts = np.asarray(unwrap(times))
    # BrainPy 2.8.2 indexes times by step: fewer times was an IndexError there and here
    if ts.ndim == 0 or ts.shape[0] != sp.shape[0]:
        raise ValueError(f"raster_plot: times must have one entry per step of sp_matrix ({sp.shape[0]} steps), got "
                         f"shape {ts.shape}")
    steps, neurons = np.nonzero(sp)
    return neurons, ts[steps]


def voltage_fluctuation(potentials: Any, method: str = "loop") -> float:
    """Golomb & Rinzel's synchrony ``chi^2``: the variance of the population-mean potential over the mean of
    the neurons' variances, for ``potentials`` (time, neuron); 1 for a constant population (BrainPy 2.8.2's
    ``measure.voltage_fluctuation``; ``method`` is BrainPy's way of computing it, both give this number).

    >>> t = np.linspace(0, 1, 200)[:, None]
    >>> round(voltage_fluctuation(np.sin(6 * t) + np.zeros((1, 5))), 3), voltage_fluctuation(np.ones((4, 3)))
    (1.0, 1.0)
    """
    if method not in ("loop", "vmap"):
        raise ValueError(f"voltage_fluctuation: method must be 'loop' or 'vmap', got {method!r}")
    v = _matrix("voltage_fluctuation", "potentials", potentials)
    var_mean = float(np.mean(np.var(v, axis=0)))
    return 1.0 if var_mean == 0.0 else float(np.var(v.mean(axis=1)) / var_mean)


def matrix_correlation(x: Any, y: Any) -> float:
    """Pearson correlation of the upper triangles (diagonal left out) of two matrices of one shape; 0 where
    one of them is constant (BrainPy 2.8.2's ``measure.matrix_correlation``).

    >>> a = np.array([[1., .8, .3], [.8, 1., .5], [.3, .5, 1.]])
    >>> round(matrix_correlation(a, 2 * a + 1), 6)
    1.0
    """
    a, b = _matrix("matrix_correlation", "x", x), _matrix("matrix_correlation", "y", y)
    if a.shape != b.shape:
        raise ValueError(f"matrix_correlation: x and y must have the same shape, got {a.shape} and {b.shape}")
    upper = np.triu_indices_from(a, k=1)
    return float(np.nan_to_num(_pearson(a[upper], b[upper])))


def weighted_correlation(x: Any, y: Any, w: Any) -> float:
    """Pearson correlation of two vectors with a weight per point, clipped to [-1, 1]; 0 where a weighted
    variance is 0 (BrainPy 2.8.2's ``measure.weighted_correlation``).

    >>> round(weighted_correlation([1., 2., 3.], [2., 4., 7.], [1., 1., 0.]), 6)
    1.0
    """
    a, b, c = (_vector("weighted_correlation", name, v) for name, v in (("x", x), ("y", y), ("w", w)))
    if not a.shape == b.shape == c.shape:
        raise ValueError(f"weighted_correlation: x, y and w must have the same length, got {a.shape}, {b.shape} "
                         f"and {c.shape}")
    total = c.sum() if c.sum() != 0 else 1.0

    def cov(p: np.ndarray, q: np.ndarray) -> float:
        return float(np.sum(c * (p - np.sum(p * c) / total) * (q - np.sum(q * c) / total)) / total)

    denom = np.sqrt(cov(a, a) * cov(b, b))
    return 0.0 if denom == 0 else float(np.clip(cov(a, b) / denom, -1.0, 1.0))


_LFP_AMPLITUDES = {"soma layer": (0.48, 3.0), "deep layer": (-0.16, -0.2), "superficial layer": (0.24, -1.2),
                   "surface layer": (-0.08, 0.3), "surface": (-0.08, 0.3)}


def unitary_LFP(times: Any, spikes: Any, spike_type: str, xmax: float = 0.2, ymax: float = 0.2, va: float = 200.0,
                lambda_: float = 0.2, sig_i: float = 2.1, sig_e: float = 2.1 * 1.5, location: str = "soma layer",
                seed: int | None = None) -> np.ndarray:
    """The LFP at the centre of a ``xmax`` x ``ymax`` mm sheet of neurons placed at random, from their spikes
    (Telenczuk et al. 2020's unitary LFP kernels; BrainPy 2.8.2's ``measure.unitary_LFP``): each spike adds a
    Gaussian of width ``sig_e``/``sig_i`` ms, delayed 10.4 ms plus the distance over ``va`` mm/s, with an
    amplitude decaying with distance (``lambda_`` mm) and set by ``location`` and ``spike_type`` ('exc' or
    'inh'). ``seed`` places the neurons where BrainPy places them for that seed; without it the places come
    from ``bm.random``'s stream (``bm.random.seed``).

    >>> sp = np.zeros((300, 4), bool); sp[10, :] = True
    >>> lfp = unitary_LFP(np.arange(300) * 0.1, sp, 'exc', seed=0)
    >>> lfp.shape, bool(lfp.max() > 0), int(lfp.argmax()) > 100  # peaks after the 10.4 ms delay
    ((300,), True, True)
    """
    import jax

    if spike_type not in ("exc", "inh"):
        raise ValueError(f"unitary_LFP: spike_type must be 'exc' or 'inh', got {spike_type!r}")
    if location not in _LFP_AMPLITUDES:
        raise ValueError(f"unitary_LFP: location must be one of {sorted(_LFP_AMPLITUDES)}, got {location!r}")
    sp = _matrix("unitary_LFP", "spikes", spikes)
    ts = np.asarray(times, dtype=float).reshape(-1)
    if ts.shape[0] != sp.shape[0]:
        raise ValueError(f"unitary_LFP: times and spikes must have one entry per step, got {ts.shape[0]} times "
                         f"and {sp.shape[0]} steps")
    if seed is None:
        from .math.random import _key

        key = _key()
    else:
        key = jax.random.split(jax.random.key(int(seed)))[1]  # BrainPy's RandomState(seed).rand
    unit = np.asarray(jax.random.uniform(key, (2, sp.shape[1])), dtype=float)
    xs, ys = unit[0] * xmax, unit[1] * ymax
    dist = np.sqrt((xs - xmax / 2) ** 2 + (ys - ymax / 2) ** 2)
    amp_e, amp_i = _LFP_AMPLITUDES[location]
    amplitude = np.exp(-dist / lambda_) * (amp_e if spike_type == "exc" else amp_i)
    delay = 10.4 + dist / va * 1e3
    steps, neurons = np.nonzero(sp)
    peaks, amps = ts[steps] + delay[neurons], amplitude[neurons]
    width = 2 * (sig_e if spike_type == "exc" else sig_i) ** 2
    out = np.empty(len(ts))
    per = max(1, 2**22 // max(1, len(peaks)))  # bounded memory: a block of times against every spike
    for start in range(0, len(ts), per):
        t = ts[start:start + per, None]
        out[start:start + per] = np.sum(amps * np.exp(-(t - peaks) ** 2 / width), axis=1)
    return out


def _step(what: str, dt: Any) -> float:
    """``dt`` in ms, > 0 and finite: 0 was a ZeroDivisionError and a negative step numpy's "negative dimensions"
    (as in BrainPy 2.8.2)."""
    step = get_dt() if dt is None else dt
    try:
        value = float(step)
    except (TypeError, ValueError):
        raise TypeError(f"{what}: dt must be a number of ms, got {dt!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{what}: dt must be a finite number of ms > 0, got {dt!r}")
    return value


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.corrcoef(a, b)[0, 1]) if a.size > 1 else float("nan")


def _matrix(what: str, name: str, value: Any) -> np.ndarray:
    arr = np.asarray(unwrap(value), dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"{what}: {name} must be a 2-D array, got shape {arr.shape}")
    return arr


def _vector(what: str, name: str, value: Any) -> np.ndarray:
    arr = np.asarray(unwrap(value), dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{what}: {name} must be a 1-D array, got shape {arr.shape}")
    return arr


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.measure", name, {}, __all__)
