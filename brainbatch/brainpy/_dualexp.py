"""BrainPy 2.5+'s dual-exponential synapse: a spike's jump in ``h`` is scaled so that ``g`` peaks at ``A``
(1 by default), where brainbatch's ``DualExponential`` (BrainPy 2.4's rule) adds the weight itself to ``h``.

>>> import brainbatch as bb
>>> syn = PeakScaledDualExponential(tau_rise=1.0, tau_decay=5.0, size=1)
>>> with bb.environment(dt=0.01):
...     peak = max(float(syn.update(1.0 if i == 0 else 0.0)[0]) for i in range(300))
>>> round(peak, 3)
1.0
"""
from __future__ import annotations

import math
from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp
import numpy as np

from ..core import share
from ..core.checks import is_traced
from ..core.variable import Variable
from ..models.synapses import AbstractSynapse, DualExponential, check_time_constant

__all__ = ["PeakScaledDualExponential", "peak_scale", "TwoGateDualExponential"]


def peak_scale(tau_rise: Any, tau_decay: Any, A: Any = None) -> Any:
    """The factor on what reaches ``h``: BrainPy 2.5+'s ``a = (tau_decay - tau_rise) / (tau_rise tau_decay) * A``,
    where ``A`` defaults to ``tau_decay / (tau_decay - tau_rise) * (tau_rise / tau_decay) ** (tau_rise /
    (tau_rise - tau_decay))``, the ``A`` that makes one unit input peak at 1. For equal time constants (where
    BrainPy divides by zero) the limit of that default, ``e / tau``, times ``A`` when given.

    >>> round(float(peak_scale(1.0, 5.0)), 4), round(float(peak_scale(2.0, 2.0)), 4)
    (1.4953, 1.3591)
    """
    tau_r, tau_d = jnp.asarray(tau_rise, jnp.float32), jnp.asarray(tau_decay, jnp.float32)
    equal = jnp.abs(tau_d - tau_r) <= 1e-6 * tau_d
    gap = jnp.where(equal, 1.0, tau_d - tau_r)  # a stand-in where equal, so neither branch divides by zero
    to_peak_one = tau_d / gap * (tau_r / tau_d) ** (-tau_r / gap)
    a = gap / (tau_r * tau_d) * (to_peak_one if A is None else A)
    return jnp.where(equal, math.e / tau_d * (1.0 if A is None else A), a)


class PeakScaledDualExponential(DualExponential):
    """``DualExponential`` whose input is scaled by ``peak_scale`` (BrainPy 2.5+'s ``A``)."""

    def __init__(self, tau_rise: Any = 1.0, tau_decay: Any = 10.0, A: Any = None, **kwargs: Any) -> None:
        super().__init__(tau_rise=tau_rise, tau_decay=tau_decay, **kwargs)
        self.A = A

    def update(self, x: Any = None) -> jax.Array:
        return super().update(None if x is None else x * peak_scale(self.tau_rise, self.tau_decay, self.A))


class TwoGateDualExponential(AbstractSynapse):
    """BrainPy 2.8.2's ``DualExponV2``: ``g_rise`` and ``g_decay`` decay with their own time constants and each
    take the whole input; the synapse gives ``g = A (g_decay - g_rise)``. ``A=None`` is BrainPy's peak normaliser
    ``tau_decay / (tau_decay - tau_rise) (tau_rise / tau_decay) ** (tau_rise / (tau_rise - tau_decay))`` (one
    unit of input peaks at 1), undefined, and refused, for equal time constants. Both gates decay exactly.

    ``input_decays``: the input is added before the step's decay (BrainPy's merging projections add it with
    ``add_current`` and the synapse then updates as a before-update of the neuron group), so a spike's step
    already sees ``A w (exp(-dt/tau_decay) - exp(-dt/tau_rise))``; otherwise after it (``FullProjAlignPost``,
    ``syn(x)``), and a spike starts ``g`` one step later.

    >>> import brainbatch as bb
    >>> syn = TwoGateDualExponential(tau_rise=1.0, tau_decay=5.0, size=1)
    >>> with bb.environment(dt=0.01):
    ...     peak = max(float(syn.update(1.0 if i == 0 else 0.0)[0]) for i in range(300))
    >>> round(peak, 3)
    1.0
    """

    # made by reset_state (init_variable): declared for the type checker only
    g_rise: Variable
    g_decay: Variable

    param_units = {"tau_rise": u.ms, "tau_decay": u.ms}

    def __init__(self, tau_rise: Any = 1.0, tau_decay: Any = 10.0, A: Any = None, size: Any = None,
                 keep_size: bool = False, name: str | None = None, mode: Any = None, input_decays: bool = False) -> None:
        super().__init__(size, keep_size, name=name, mode=mode)
        self.tau_rise = check_time_constant("tau_rise", tau_rise)
        self.tau_decay = check_time_constant("tau_decay", tau_decay)
        if A is None and not is_traced((self.tau_rise, self.tau_decay)) \
                and np.any(np.asarray(self.tau_rise) == np.asarray(self.tau_decay)):
            raise ValueError(f"DualExponV2: tau_rise == tau_decay ({self.tau_rise!r}): g_decay - g_rise is then always "
                             "0 and no A normalises its peak (BrainPy refuses it too); give different time constants")
        self.A = A
        self.input_decays = bool(input_decays)
        self.reset_state()

    def init_state(self, batch_size: int | None = None) -> None:
        self.state_var("g_rise", batch_size, "rising gate: decays with tau_rise, takes every input")
        self.state_var("g_decay", batch_size, "decaying gate: decays with tau_decay, takes every input")
        self.state_var("g", batch_size, "A (g_decay - g_rise): the synapse's output")

    def scale(self) -> jax.Array:
        """``A``, or BrainPy's peak normaliser when ``A`` is None."""
        if self.A is not None:
            return jnp.asarray(self.A, jnp.float32)
        tau_r, tau_d = jnp.asarray(self.tau_rise, jnp.float32), jnp.asarray(self.tau_decay, jnp.float32)
        return tau_d / (tau_d - tau_r) * (tau_r / tau_d) ** (tau_r / (tau_r - tau_d))

    def update(self, x: Any = None) -> jax.Array:
        e_r, e_d = self.decay(self.tau_rise, share.dt), self.decay(self.tau_decay, share.dt)
        rise, decay = self.g_rise.value, self.g_decay.value
        if x is not None and self.input_decays:
            rise, decay = rise + x, decay + x
        rise, decay = rise * e_r, decay * e_d
        if x is not None and not self.input_decays:
            rise, decay = rise + x, decay + x
        self.g_rise.value, self.g_decay.value = rise, decay
        self.g.value = self.scale() * (decay - rise)
        return self.g.value
