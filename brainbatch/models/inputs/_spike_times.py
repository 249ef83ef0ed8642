"""``SpikeTimeGroup``: neurons that spike at given times (BrainPy 2.8.2's ``dyn.SpikeTimeGroup``)."""
from __future__ import annotations

from typing import Any, Sequence

import brainunit as bu
import jax
import jax.numpy as jnp
import numpy as np

from ...core import NeuGroup, share
from ...core.checks import is_traced
from ...core.modes import Mode
from ...core.variable import Variable

__all__ = ["SpikeTimeGroup"]


class SpikeTimeGroup(NeuGroup):
    """Neuron ``indices[k]`` spikes at ``times[k]`` (ms): in the first step whose time ``t`` is ``>= times[k]``.

    BrainPy's rule (``brainpy/dyn/others/input.py``): the events are sorted by time (stably, unless
    ``need_sort=False``) and a pointer ``i`` walks them; every step sets ``spike`` to False, then
    fires ``indices[i]`` and advances ``i`` while ``t >= times[i]``, with ``t = t0 + step * dt`` in
    float32. So an event fires exactly once, the pointer carries over to a continued run, and
    ``reset_state`` starts it over. With a batch axis every row spikes alike. It is a spike source
    for projections, like ``PoissonGroup``.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> g = SpikeTimeGroup(2, indices=[0, 1, 0], times=[0.2, 0.1, 0.2])
    >>> spikes = bb.for_loop(lambda i: g.step_run(i), jnp.arange(4), dyn_vars=g)  # dt = 0.1 ms
    >>> spikes.astype(int).tolist()
    [[0, 0], [0, 1], [1, 0], [0, 0]]
    """

    # made by reset_state (init_variable): declared for the type checker only
    spike: Variable
    i: Variable

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"times": bu.ms}

    def __init__(self, size: Any, indices: Sequence[int] | Any, times: Sequence[float] | Any,
                 keep_size: bool = False, name: str | None = None, mode: Mode | None = None,
                 need_sort: bool = True) -> None:
        if keep_size:
            raise ValueError("SpikeTimeGroup: keep_size=True is not supported (as in BrainPy); indices are flat")
        super().__init__(size, keep_size=False, name=name, mode=mode)
        if is_traced(indices) or is_traced(times):
            raise TypeError("SpikeTimeGroup: indices and times must be concrete (lists or arrays), not traced values")
        raw_times = np.asarray(times)
        if raw_times.dtype.kind not in "iuf" and not (raw_times.size == 0 and raw_times.dtype.kind == "O"):
            # text failed as "could not convert string to float", complex as "float() argument must be..."
            raise TypeError(f"SpikeTimeGroup: times must be real numbers of ms, got {times!r}")
        idx, t = np.asarray(indices), raw_times.astype(np.float32)
        if idx.ndim != 1 or t.ndim != 1 or len(idx) != len(t):
            raise ValueError(f"SpikeTimeGroup: indices and times must be 1-D and of the same length, got shapes "
                             f"{idx.shape} and {t.shape}")
        if len(idx) and (idx.dtype.kind not in "iu" or idx.min() < 0 or idx.max() >= self.num):
            raw = np.asarray(times)
            # BrainPy's synapse tutorial gives the times first: BrainPy 2.8.2 takes it and spikes wrongly, silently
            swapped = (raw.dtype.kind in "iu" and len(raw) and raw.min() >= 0 and raw.max() < self.num
                       and idx.dtype.kind == "f")
            hint = (" (the times and the indices look swapped: the order is SpikeTimeGroup(size, indices, times))"
                    if swapped else "")
            raise ValueError(f"SpikeTimeGroup: indices must be integers in [0, {self.num}), got {indices!r}{hint}")
        if not np.all(np.isfinite(t)):
            raise ValueError(f"SpikeTimeGroup: times must be finite numbers of ms, got {times!r}")
        if need_sort:
            order = np.argsort(t, kind="stable")
            idx, t = idx[order], t[order]
        self.num_times = len(t)
        self.indices = jnp.asarray(idx, jnp.int32)
        self.times = jnp.asarray(t, jnp.float32)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("spike", False, batch_size=batch_size, dtype=jnp.bool_, units="1", kind="spikes",
                           description="whether the neuron spiked in this step")
        # one pointer for every row of a batch: the rows share the times (BrainPy's scalar `i`)
        self.init_variable("i", 0, shape=(), dtype=jnp.int32, batched=False,
                           description="number of events already emitted (the next event to fire)")

    def update(self) -> jax.Array:
        t = jnp.asarray(share.t, jnp.float32)
        k = jnp.arange(self.num_times, dtype=jnp.int32)
        start = self.i.value
        # BrainPy's while loop stops at the first event from the pointer on whose time is still ahead
        ahead = (k >= start) & (t < self.times)
        stop = jnp.min(jnp.where(ahead, k, self.num_times), initial=self.num_times)
        fired = ((k >= start) & (k < stop)).astype(jnp.int32)
        hit = jnp.zeros(self.num, jnp.int32).at[self.indices].add(fired) > 0
        self.i.value = stop
        self.spike.value = jnp.broadcast_to(hit, self.spike.shape)
        return self.spike.value
