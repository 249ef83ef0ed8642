"""``brainbatch.brainpy.visualize``: BrainPy's two everyday plots, drawn with matplotlib.

For stores, ``brainbatch plot`` and ``ds.bb.raster()`` do more.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._compat import unsupported

__all__ = ["raster_plot", "line_plot"]


def raster_plot(ts, sp_matrix, ax: Any = None, marker: str = ".", markersize: float = 2, color: str = "k",
                xlabel: str = "Time (ms)", ylabel: str = "Neuron index", xlim=None, ylim=None, title=None,
                show: bool = False, **kwargs: Any):
    """Dots at (time, neuron) of every spike in a ``(time, neuron)`` boolean array."""
    import matplotlib.pyplot as plt

    ts, sp = np.asarray(ts), np.asarray(sp_matrix)
    rows, cols = np.nonzero(sp.reshape(sp.shape[0], -1))
    ax = ax or plt.gca()
    ax.plot(ts[rows], cols, marker, markersize=markersize, color=color, linestyle="None", **kwargs)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(xlim if xlim is not None else (ts[0], ts[-1]) if len(ts) else None)
    if ylim is not None:
        ax.set_ylim(ylim)
    if title:
        ax.set_title(title)
    if show:
        plt.show()
    return ax


def line_plot(ts, val_matrix, plot_ids=None, ax: Any = None, xlim=None, ylim=None, xlabel: str = "Time (ms)",
              ylabel: str | None = None, legend: str | None = None, title=None, show: bool = False, **kwargs: Any):
    """Lines of ``val_matrix[:, i]`` against ``ts`` for each ``i`` in ``plot_ids`` (default: the first)."""
    import matplotlib.pyplot as plt

    vals = np.asarray(val_matrix).reshape(len(ts), -1)
    ids = [0] if plot_ids is None else ([plot_ids] if np.isscalar(plot_ids) else list(plot_ids))
    ax = ax or plt.gca()
    for i in ids:
        ax.plot(np.asarray(ts), vals[:, i], label=f"{legend}-{i}" if legend else None, **kwargs)
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if xlim is not None:
        ax.set_xlim(xlim)
    if ylim is not None:
        ax.set_ylim(ylim)
    if legend:
        ax.legend()
    if title:
        ax.set_title(title)
    if show:
        plt.show()
    return ax


def __getattr__(name: str):
    raise unsupported("brainbatch.brainpy.visualize", name,
                      {"animate_1D": "plot with matplotlib", "animate_2D": "plot with matplotlib",
                       "animator": "plot with matplotlib"}, __all__)
