"""numpy-only helpers of experiments/whole_brain.py, shared with its BrainPy twin (bench case 9).

Not an experiment (the leading underscore keeps it out of the experiment list): the synthetic
structural connectome, the delay matrix in steps, and the statistics of a run.
"""
import numpy as np

N_REGIONS = 80
MIN_REGIONS = 4


def connectome(n: int = N_REGIONS, seed: int = 0):
    """A synthetic structural connectome: weights ``C`` (max 1, zero diagonal) and fibre lengths ``D`` (mm).

    Regions sit at random places in a 120 mm box; a pair's weight falls off with distance
    (exp(-d / 40 mm)) times a log-normal factor, keeping the strongest 30 %; fibres are 1.5 x the
    straight distance (so off-diagonal delays are 3 to 135 steps of 0.1 ms at 20 mm/ms).

    >>> C, D = connectome(); C.shape, float(C.max()), float(C.diagonal().sum())
    ((80, 80), 1.0, 0.0)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < MIN_REGIONS:
        # fewer regions kept no pair among the strongest 30 % (the diagonal is among them): C was 0 / 0, all NaN,
        # and every run failed with "NaN in recorded variable 'x' at t = 0 ms"
        raise ValueError(f"n must be a whole number of regions >= {MIN_REGIONS} (with fewer, keeping the strongest "
                         f"30 % of the weights leaves no connection), got {n!r}")
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-60.0, 60.0, (n, 3))
    dist = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=-1)
    w = np.exp(-dist / 40.0) * rng.lognormal(0.0, 1.0, (n, n))
    w = (w + w.T) / 2
    w[w < np.quantile(w, 0.7)] = 0.0
    np.fill_diagonal(w, 0.0)
    return (w / w.max()).astype(np.float32), 1.5 * dist


def delay_steps(D, signal_speed: float = 20.0, dt: float = 0.1):
    """Fibre lengths (mm) -> whole steps of ``dt`` at ``signal_speed`` mm/ms, zero diagonal (BrainPy's example)."""
    if not (np.isfinite(signal_speed) and signal_speed > 0):  # 0 gave inf steps, wrapped to -2**31 by the cast
        raise ValueError(f"signal_speed must be a positive number of mm/ms, got {signal_speed!r}")
    steps = np.round(np.asarray(D, np.float64) / signal_speed / dt)
    if steps.max() > 10**6:  # a history buffer of that many steps per region
        raise ValueError(f"signal_speed {signal_speed!r} mm/ms makes delays of up to {steps.max():.3g} steps of {dt} "
                         "ms; give a speed of at least about 1e-3 mm/ms")
    steps = steps.astype(np.int32)
    np.fill_diagonal(steps, 0)
    return steps


def statistics(x, dt_record: float = 1.0, t_stat: float = 200.0) -> dict:
    """One run's ``x`` (``(time, region)``, sampled every ``dt_record`` ms): the mean off-diagonal
    correlation between regions (functional connectivity), the mean of x, and the mean over regions
    of x's standard deviation in time, all after ``t_stat`` ms."""
    recorded = np.asarray(x, dtype=np.float64)
    x = recorded[int(round(t_stat / dt_record)):]
    if x.shape[0] < 2:  # a run of t_stat or less (--duration 100): every statistic was NaN, without a word
        raise ValueError(f"the statistics leave out the first {t_stat:g} ms and need at least two samples after them; "
                         f"this run's x has {recorded.shape[0]} sample(s) every {dt_record:g} ms: sweep with a "
                         f"--duration of more than {t_stat + 2 * dt_record:g} ms")
    fc = np.corrcoef(x.T)
    off = fc[~np.eye(fc.shape[0], dtype=bool)]
    return {"fc_mean": float(np.nanmean(off)), "x_mean": float(x.mean()), "x_std": float(x.std(axis=0).mean())}
