"""``brainbatch.brainpy.visualize``: BrainPy's two everyday plots, drawn with matplotlib.

For stores, ``brainbatch plot`` and ``ds.bb.raster()`` do more.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.errors import did_you_mean
from ._compat import unsupported

__all__ = ["raster_plot", "line_plot", "remove_axis", "get_figure", "animate_1D", "animate_2D"]


def raster_plot(ts: Any, sp_matrix: Any, ax: Any = None, marker: str = ".", markersize: float = 2, color: str = "k",
                xlabel: str = "Time (ms)", ylabel: str = "Neuron index", xlim: Any = None, ylim: Any = None,
                title: Any = None,
                show: bool = False, **kwargs: Any) -> Any:
    """Dots at (time, neuron) of every spike in a ``(time, neuron)`` boolean array."""
    import matplotlib.pyplot as plt

    ts, sp = np.asarray(ts), np.asarray(sp_matrix)
    # BrainPy 2.8.2 refuses these; more times than rows drew the spikes at the first times without a word
    if sp.ndim == 0 or ts.ndim != 1 or sp.shape[0] != len(ts):
        raise ValueError(f"raster_plot: sp_matrix needs one row per time in ts ({ts.size} times), got shape "
                         f"{sp.shape}")
    rows, cols = np.nonzero(sp.reshape(sp.shape[0], -1))
    ax = ax or plt.gca()
    # color='' is BrainPy's "no colour given": the axes' colour cycle
    ax.plot(ts[rows], cols, marker, markersize=markersize, color=color or None, linestyle="None", **kwargs)
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


def line_plot(ts: Any, val_matrix: Any, plot_ids: Any = None, ax: Any = None, xlim: Any = None, ylim: Any = None,
              xlabel: str = "Time (ms)",
              ylabel: str | None = None, legend: str | None = None, title: Any = None, show: bool = False,
              colors: Any = None, alpha: float = 1.0, linewidth: float = 1.0, **kwargs: Any) -> Any:
    """Lines of ``val_matrix[:, i]`` against ``ts`` for each ``i`` in ``plot_ids`` (default: the first), as BrainPy
    2.8.2's: ``colors`` one per line (cycled when fewer), ``alpha`` and ``linewidth`` for every line.

    >>> line_plot(np.arange(3.), np.zeros((4, 2)))
    Traceback (most recent call last):
    ValueError: line_plot: val_matrix needs one row per time in ts (3), got 4 rows
    """
    import matplotlib.pyplot as plt

    ts = np.asarray(ts)
    vals = np.asarray(val_matrix)
    # BrainPy 2.8.2 refuses these; a reshape to len(ts) rows drew the wrong columns without a word
    if vals.ndim == 0 or vals.shape[0] != len(ts):
        raise ValueError(f"line_plot: val_matrix needs one row per time in ts ({len(ts)}), got "
                         f"{'a scalar' if vals.ndim == 0 else f'{vals.shape[0]} rows'}")
    vals = vals.reshape(len(ts), -1)
    ids: list[Any] = [0] if plot_ids is None else ([plot_ids] if np.isscalar(plot_ids) else list(plot_ids))
    bad = [i for i in ids if not isinstance(i, (int, np.integer)) or not 0 <= i < vals.shape[1]]
    if bad:
        raise ValueError(f"line_plot: plot_ids must be column indices from 0 to {vals.shape[1] - 1}, got {bad}")
    if colors is not None:
        colors = list(colors) if not isinstance(colors, str) else [colors]
        colors = [colors[k % len(colors)] for k in range(len(ids))]
    ax = ax or plt.gca()
    for k, i in enumerate(ids):
        # BrainPy's labels: the legend alone for one line, with each line's index for several
        label = (legend if len(ids) == 1 else f"{legend}-{i}") if legend else None
        style = dict(kwargs, alpha=alpha, linewidth=linewidth)
        if colors is not None:
            style["color"] = colors[k]
        ax.plot(ts, vals[:, i], label=label, **style)
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


def remove_axis(ax: Any, *pos: str) -> None:
    """Hide the named spines of ``ax`` (``'left'``, ``'right'``, ``'top'``, ``'bottom'``); with none named, all four
    and the ticks (a blank panel), as BrainPy 2.8.2's."""
    sides = ("left", "right", "top", "bottom")
    for p in pos:
        if p not in sides:
            raise ValueError(f"remove_axis: a spine is one of {', '.join(map(repr, sides))}, got {p!r}"
                             f"{did_you_mean(str(p), sides)}")
    for p in pos or sides:
        ax.spines[p].set_visible(False)
    if not pos:
        ax.set_xticks([])
        ax.set_yticks([])


def get_figure(row_num: int, col_num: int, row_len: float = 3, col_len: float = 6, name: str | None = None) -> Any:
    """A figure and a ``row_num`` x ``col_num`` GridSpec (``fig.add_subplot(gs[0, 0])``), as BrainPy's."""
    import matplotlib.pyplot as plt
    from matplotlib.gridspec import GridSpec

    fig = plt.figure(num=name, figsize=(col_num * col_len, row_num * row_len), constrained_layout=True)
    return fig, GridSpec(row_num, col_num, figure=fig)


def animate_1D(dynamical_vars: Any, static_vars: Any = (), dt: float | None = None, xlim: Any = None,
               ylim: Any = None, xlabel: Any = None,
               ylabel: Any = None, frame_delay: float = 50.0, frame_step: int = 1, title_size: int = 10,
               figsize: Any = None, gif_dpi: Any = None, video_fps: Any = None, save_path: str | None = None,
               show: bool = False,
               **kwargs: Any) -> Any:
    """An animation of 1-D values over time (``(time, n)`` arrays, or dicts with ``'ys'``, ``'xs'``,
    ``'legend'``); saved to ``save_path`` (gif or mp4) when given. Returns the matplotlib animation."""
    import matplotlib.pyplot as plt
    from matplotlib import animation

    from ..core.context import get_dt

    dt = get_dt() if dt is None else dt
    items = dynamical_vars if isinstance(dynamical_vars, (list, tuple)) else [dynamical_vars]
    items = [v if isinstance(v, dict) else {"ys": v} for v in items]
    statics = static_vars if isinstance(static_vars, (list, tuple)) else [static_vars]
    statics = [v if isinstance(v, dict) else {"ys": v} for v in statics]
    ys = [np.asarray(v["ys"]).reshape(len(np.asarray(v["ys"])), -1) for v in items]
    fig, ax = plt.subplots(figsize=figsize)
    lines, spans = [], []
    for v, y in zip(items, ys):
        xs = np.asarray(v.get("xs", np.arange(y.shape[1])))
        lines.append(ax.plot(xs, y[0], label=v.get("legend"))[0])
        spans.append((float(np.min(xs)), float(np.max(xs))))
    for v in statics:
        y = np.asarray(v["ys"])
        xs = np.asarray(v.get("xs", np.arange(len(y))))
        ax.plot(xs, y, label=v.get("legend"))
        spans.append((float(np.min(xs)), float(np.max(xs))))
    # the x positions given ('xs': a CANN's [-pi, pi]), not the indices: those curves were squeezed at the left
    ax.set_xlim(xlim if xlim is not None else (min(a for a, _ in spans), max(b for _, b in spans)))
    lo, hi = min(float(y.min()) for y in ys), max(float(y.max()) for y in ys)
    ax.set_ylim(ylim if ylim is not None else (lo - 0.1 * abs(hi - lo) - 1e-9, hi + 0.1 * abs(hi - lo) + 1e-9))
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if any(v.get("legend") for v in items + statics):
        ax.legend()
    frames = range(0, ys[0].shape[0], frame_step)

    def frame(i: Any) -> Any:
        for line, y in zip(lines, ys):
            line.set_ydata(y[i])
        ax.set_title(f"Time: {i * dt:.2f} ms", fontsize=title_size)
        return lines

    anim = animation.FuncAnimation(fig, frame, frames=frames, interval=frame_delay, blit=False)
    return _saved_and_shown(anim, save_path, gif_dpi, video_fps, show)


def _saved_and_shown(anim: Any, save_path: str | None, gif_dpi: Any, video_fps: Any, show: bool) -> Any:
    """``anim`` saved to ``save_path`` (a gif through pillow, else matplotlib's default writer) and shown, as asked."""
    import matplotlib.pyplot as plt

    if save_path is not None:
        writer = "pillow" if str(save_path).endswith(".gif") else None
        anim.save(save_path, writer=writer, dpi=gif_dpi, fps=video_fps)
    if show:
        plt.show()
    return anim


def _frames_2d(values: Any, net_size: Any) -> np.ndarray:
    """``values`` as ``(time, height, width)``: a ``(time, neurons)`` matrix is reshaped, a mismatch refused."""
    values = np.asarray(values)
    height, width = net_size
    if values.ndim == 2 and values.shape[1] == height * width:
        return values.reshape((values.shape[0], height, width))
    if values.ndim == 3 and values.shape[1:] == (height, width):
        return values
    raise ValueError(f"animate_2D: values of shape {values.shape} do not fit net_size {tuple(net_size)}: give "
                     f"(time, {height * width}) or (time, {height}, {width})")


def animate_2D(values: Any, net_size: Any, dt: float | None = None, val_min: Any = None, val_max: Any = None,
               cmap: Any = None, frame_delay: float = 10, frame_step: int = 1, title_size: int = 10,
               figsize: Any = None, gif_dpi: Any = None, video_fps: Any = None, save_path: str | None = None,
               show: bool = True, repeat: bool = True, **kwargs: Any) -> Any:
    """An animation of a 2-D group's values over time (``(time, height * width)`` or ``(time, height, width)``),
    one colour mesh per frame as BrainPy's (Wu 2008's 2-D CANN); saved to ``save_path`` (gif or mp4) when given.
    Returns the matplotlib animation."""
    import matplotlib.pyplot as plt
    from matplotlib import animation

    from ..core.context import get_dt

    dt = get_dt() if dt is None else dt
    frames = _frames_2d(values, net_size)
    lo = frames.min() if val_min is None else val_min
    hi = frames.max() if val_max is None else val_max
    fig, ax = plt.subplots(figsize=figsize or (6, 6), constrained_layout=True)
    mesh = ax.pcolor(frames[0], cmap=cmap, vmin=lo, vmax=hi)
    fig.colorbar(mesh, ax=ax)
    ax.axis("off")
    title = fig.suptitle(f"Time: {dt:.2f} ms", fontsize=title_size, fontweight="bold")

    def frame(i: int) -> Any:
        mesh.set_array(frames[i].ravel())
        title.set_text(f"Time: {(i + 1) * dt:.2f} ms")
        return [mesh, title]

    anim = animation.FuncAnimation(fig, frame, frames=range(0, frames.shape[0], frame_step), interval=frame_delay,
                                   repeat=repeat, blit=False)
    return _saved_and_shown(anim, save_path, gif_dpi, video_fps, show)


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.visualize", name, {"animator": "plot with matplotlib"}, __all__)
