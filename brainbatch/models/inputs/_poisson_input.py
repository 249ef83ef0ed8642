"""``PoissonInput``: independent Poisson spike trains added to a target Variable, generated on the fly."""
from __future__ import annotations

import numbers
from typing import Any

import jax
import jax.numpy as jnp
import brainunit as u
import numpy as np

from ...core import DynamicalSystem, Variable, share
from ...core.units import in_units_of
from ...core.modes import Mode
from ...core.checks import is_bool, is_traced, refuse_beyond_float32
from ..synapses import AbstractSynapse
from ._binomial import binomial_counts

__all__ = ["PoissonInput"]


def _check_num_input(num_input: Any) -> Any:
    if is_traced(num_input):
        return num_input
    if is_bool(num_input) or not isinstance(num_input, (numbers.Real, np.ndarray, jax.Array)):
        raise ValueError(f"num_input must be an integer >= 1, got {num_input!r}")
    arr = np.asarray(num_input)
    if arr.ndim or not np.isfinite(arr) or arr != np.rint(arr) or arr < 1:
        raise ValueError(f"num_input must be an integer >= 1, got {num_input!r}")
    refuse_beyond_float32("num_input", arr, num_input)  # the counts are drawn in float32: 1e40 gave NaN states
    return int(arr)


def _check_scalar(name: str, value: Any) -> Any:
    if is_traced(value):
        if value.ndim:
            raise ValueError(f"{name} must be a scalar, got a traced value of shape {value.shape}")
        return value
    if is_bool(value) or isinstance(value, str):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if arr.ndim or not np.isfinite(arr):
        raise ValueError(f"{name} must be a finite scalar, got {value!r}")
    refuse_beyond_float32(name, arr, value)
    return value


class PoissonInput(DynamicalSystem):
    """Adds ``num_input`` independent Poisson trains at ``freq`` Hz, each of weight ``weight``, to a Variable.

    Every element of ``target_var`` (every neuron, every batch lane) gets its own
    Binomial(``num_input``, ``p = freq * dt / 1000``) count each step, and ``count * weight`` is added
    to ``target_var`` in the "deliver" phase, i.e. before the target's group integrates that step;
    nothing is preloaded. Counts are exact (an inverse-CDF search from one uniform per element) where
    ``num_input p (1 - p) < 100`` and a skew-corrected normal approximation above (see
    ``_binomial.py``). ``freq`` and ``weight`` are scalars, Python or JAX (a sweep may vmap over
    them). Randomness comes from this node's step key only.

    ``target_var`` may also be a synapse (``Exponential`` etc., e.g. a projection's ``syn`` or
    ``Pathways.syn["L23E"]``): the counts are then added to its input with the spikes it receives,
    so they enter the synaptic current (NEST's Poisson generator onto ``I_syn_ex``), whatever the order
    of the nodes in the network. A ``LifRef`` target drops what arrives
    while a neuron is refractory and in the first step after (Brian2's boundary: see
    ``brainbatch/models/README.md``, "Refractory boundary") — unlike BrainPy, where it adds up.

    >>> import brainbatch as bb
    >>> from brainbatch.models.neurons import LifRef
    >>> E = LifRef(4000, V_rest=-60., V_reset=-60., V_th=-50., tau=20., tau_ref=5.)
    >>> net = bb.Network(E=E, inp=PoissonInput(E.V, num_input=1000, freq=10., weight=0.06))
    >>> list(net.vars())  # E.V is held by reference: stored once, under its owner's path
    ['E.V', 'E.input', 'E.spike', 'E.t_last_spike', 'E.i_last_spike', 'E.refractory']
    """

    update_phase = "deliver"

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"freq": u.Hz}

    def __init__(self, target_var: Variable, num_input: int, freq: Any, weight: Any, mode: Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        self._synapse = target_var if isinstance(target_var, AbstractSynapse) else None
        if self._synapse is not None:
            if not self._synapse.attached:
                raise ValueError(f"synapse {self._synapse.name!r} is not attached to a group yet: use it in a Projection "
                                 "(or Pathways) first, then give it to PoissonInput")
            target_var = self._synapse.g
        if not isinstance(target_var, Variable):
            raise TypeError(
                f"target_var must be a brainbatch Variable (e.g. group.V) or an attached synapse (proj.syn), got {type(target_var).__name__}: "
                f"{target_var!r}"
            )
        if not jnp.issubdtype(target_var.dtype, jnp.inexact):
            # bool + counts * weight would be cast back to a flag (a spike wherever an input arrived)
            raise TypeError(f"target_var must hold real numbers (a potential such as group.V, or group.input), got a "
                            f"Variable of dtype {jnp.dtype(target_var.dtype).name}"
                            + (" (a flag such as group.spike)" if target_var.dtype == jnp.bool_ else ""))
        self.num_input = _check_num_input(num_input)
        self.freq = _check_scalar("freq", freq)
        self.weight = _check_scalar("weight", in_units_of("weight", weight, target_var.units, "PoissonInput", strict=True))
        if not is_traced(self.freq) and float(self.freq) < 0:
            raise ValueError(f"freq must be >= 0 Hz, got {freq!r}")
        self._check_probability(share.dt)
        # A reference, not a child: the Variable keeps its owner's path ("E.V").
        self._target_var = target_var
        if self._synapse is not None:
            self._synapse.add_input_source(self.name, self._draw)

    @property
    def target_var(self) -> Variable:
        """The Variable this input adds to."""
        return self._target_var

    def probability(self, dt: float | None = None) -> Any:
        """``p = freq * dt / 1000``: the chance that one source fires in one step."""
        return self.freq * (share.dt if dt is None else dt) / 1000.0

    def _check_probability(self, dt: float) -> None:
        if is_traced(self.freq):
            return
        p = float(self.freq) * dt / 1000.0
        if p > 1.0 + 1e-9:  # a hair above 1 is rounding of freq * dt
            raise ValueError(
                f"freq * dt / 1000 must be <= 1 (at most one spike per source per step), got freq={self.freq!r} Hz "
                f"with dt={dt} ms (p = {p:.6g}); lower freq or dt"
            )

    def _draw(self) -> jax.Array:
        self._check_probability(share.dt)  # dt may have changed since construction
        counts = binomial_counts(self.step_key(), self.num_input, self.probability(), self._target_var.shape)
        return counts * self.weight

    def update(self) -> None:
        if self._synapse is None:  # a synapse target draws when its projection advances it
            self._target_var.value = self._target_var.value + self._draw()

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(num_input={self.num_input!r}, freq={self.freq!r}, "
                f"weight={self.weight!r}, name={self.name!r})")
