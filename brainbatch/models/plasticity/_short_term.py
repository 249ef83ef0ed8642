"""Short-term plasticity: the Tsodyks-Markram model of a presynaptic terminal (docs/plasticity.md).

A projection with ``stp=STP(...)`` keeps ``u`` (release probability) and ``x`` (available resources)
for each presynaptic neuron; each spike that reaches the synapses is weighted by the fraction of
resources it releases, so a train of spikes depresses or facilitates the response.
"""
from __future__ import annotations

from typing import Any

import brainunit as bu
import jax
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem, NeuGroup, share
from ...core.checks import is_bool, is_traced, refuse_beyond_float32
from ...core.modes import Mode
from ...core.neugroup import normalize_size
from ...core.variable import Variable
from .._shape import ShapedOnAttach

__all__ = ["STP"]


class STP(ShapedOnAttach, DynamicalSystem):
    r"""Tsodyks-Markram short-term plasticity (Tsodyks, Pawelzik & Markram 1998; Brian2's STP example)::

        du/dt = -u / tau_f          a spike first facilitates:  u+ = u- + U (1 - u-)
        dx/dt = (1 - x) / tau_d     then releases r = u+ x-:    x+ = x- - r

    and the spike reaches every synapse of its neuron with its weight times ``r``. Between spikes ``u``
    and ``x`` relax exactly (the equations are linear). A terminal at rest (``u = 0``, ``x = 1``)
    releases ``U`` at its first spike. ``tau_f = 0`` turns facilitation off (``u+ = U`` at every
    spike: pure depression). Large ``U`` with short ``tau_f`` depresses, small ``U`` with long
    ``tau_f`` facilitates. ``STP`` belongs to one projection (``Projection(..., stp=STP(...))``),
    which gives it the presynaptic group's shape: ``u`` and ``x`` have one value per presynaptic
    neuron (the synapses of a neuron share them) and can be recorded (``"EE.stp.x"``).

    Step ``i`` (the projection's deliver phase): ``u`` and ``x`` relax over one step, then the spikes
    that reach the synapses in step ``i`` (after a scalar or per-neuron delay) jump them and return
    ``r``. With per-synapse delays the jump happens when the spike leaves (step ``i - 1``) and ``r``
    travels with it: the same numbers, as every synapse of a neuron sees the same train, shifted.

    Args:
        U: the release increment, in (0, 1] (default 0.15, BrainPy's).
        tau_f: facilitation time constant, ms (>= 0; default 1500); a number or one per neuron.
        tau_d: depression (recovery) time constant, ms (> 0; default 200); a number or one per neuron.
        size: the presynaptic shape; left out when a projection attaches it.

    Parameters may be swept (traced); ``U`` also per neuron (an array shaped like the group).

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> stp = STP(U=0.5, tau_f=0., tau_d=100., size=1)
    >>> with bb.environment(dt=0.1):
    ...     r = [float(stp.update(jnp.array([True]))[0]) for _ in range(2)]
    >>> [round(v, 4) for v in r]   # 0.5, then 0.5 of the half left (recovered over 0.1 ms)
    [0.5, 0.2502]
    """

    # made by reset_state (init_variable): declared for the type checker only
    u: Variable
    x: Variable

    update_phase = "deliver"
    unattached_hint = "pass it to a Projection (stp=...), which gives it the presynaptic group's shape"

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"U": bu.UNITLESS, "tau_f": bu.ms, "tau_d": bu.ms}

    def __init__(self, U: Any = 0.15, tau_f: Any = 1500.0, tau_d: Any = 200.0, size: Any = None,
                 keep_size: bool = False, name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(name=name, mode=mode)
        self.U = _check_fraction("U", U)
        self.tau_f = _check_ms("tau_f", tau_f, zero=True)
        self.tau_d = _check_ms("tau_d", tau_d, zero=False)
        self.size = None if size is None else normalize_size(size)
        self.keep_size = bool(keep_size)
        self._dims: tuple[str, ...] = ("neuron",)
        self._owner: str | None = None
        self.reset_state()

    def attach(self, pre: NeuGroup, owner: str) -> None:
        """Take the presynaptic group's shape for the projection named ``owner`` and create ``u``, ``x``."""
        if self._owner is not None and self._owner != owner:
            raise ValueError(f"this STP already belongs to projection {self._owner!r}; give projection {owner!r} "
                             "its own STP(...) (each projection's terminals have their own u and x)")
        if self.size is not None and int(np.prod(self.size)) != pre.num:
            raise ValueError(f"STP {self.name!r} has size {self.size} but the presynaptic group {pre.name!r} has "
                             f"{pre.num} neurons")
        for name in ("U", "tau_f", "tau_d"):
            value = getattr(self, name)
            if np.ndim(value) and not is_traced(value) and np.shape(value) not in (tuple(pre.varshape), (pre.num,)):
                raise ValueError(f"STP: {name} must be a number or one value per presynaptic neuron (shape "
                                 f"{pre.varshape}), got shape {np.shape(value)}")
        self._owner = owner
        self.size, self.keep_size, self._dims = pre.size, pre.keep_size, pre.dims
        self.mode = pre.mode
        self.reset_state()

    # -- state -------------------------------------------------------------------------------------
    def reset_state(self, batch_size: int | None = None) -> None:
        if self.size is None:
            return
        u0 = self.initial_u()
        self.init_variable("u", 0.0, shape=self.varshape, batch_size=batch_size, dims=self._dims, units="1",
                           description="release probability of each presynaptic terminal (Tsodyks-Markram u)")
        self.u.value = jnp.broadcast_to(jnp.reshape(u0, jnp.shape(u0) if np.ndim(u0) == 0 else self.varshape),
                                        self.u.shape).astype(jnp.float32)
        self.init_variable("x", 1.0, shape=self.varshape, batch_size=batch_size, dims=self._dims, units="1",
                           description="fraction of resources available at each presynaptic terminal")

    def initial_u(self) -> Any:
        """``u`` after a reset: 0, a terminal at rest (BrainPy's classes start at ``U``)."""
        return jnp.float32(0.0)

    # -- one step ----------------------------------------------------------------------------------
    def update(self, spike: Any) -> jax.Array:
        """Relax ``u``, ``x`` over one step, jump them at ``spike`` and return each spike's weight factor
        (``float32``, shaped like ``spike``; 0 where no spike)."""
        spike = jnp.asarray(spike)
        U = self._per_neuron(self.U)
        u_, x_ = self.relaxed()
        fired = spike if spike.dtype == jnp.bool_ else spike > 0
        u_plus = u_ + U * (1.0 - u_)
        factor, x_plus = self.release(u_plus, x_, U)
        self.u.value = jnp.where(fired, u_plus, u_)
        self.x.value = jnp.where(fired, x_plus, x_)
        return jnp.where(fired, factor, jnp.float32(0.0))

    def relaxed(self) -> tuple[jax.Array, jax.Array]:
        """``(u, x)`` after one step without spikes: ``u`` decays to 0, ``x`` recovers to 1, exactly."""
        dt = jnp.float32(share.dt)
        u_ = self.u.value * jnp.exp(-dt / self._per_neuron(self.tau_f))  # tau_f = 0: exp(-inf) = 0
        x_ = 1.0 - (1.0 - self.x.value) * jnp.exp(-dt / self._per_neuron(self.tau_d))
        return u_, x_

    def release(self, u_plus: jax.Array, x_minus: jax.Array, U: Any) -> tuple[jax.Array, jax.Array]:
        """``(weight factor, x after the spike)`` for a spike that finds ``u+`` and ``x-``: ``u+ x-``."""
        r = u_plus * x_minus
        return r, x_minus - r

    def _per_neuron(self, value: Any) -> Any:
        v = jnp.asarray(value, jnp.float32)
        return v if v.ndim == 0 else v.reshape(self.varshape)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(U={self.U!r}, tau_f={self.tau_f!r}, tau_d={self.tau_d!r})"


def _numbers(name: str, value: Any, allowed: str) -> np.ndarray | None:
    """``value`` as float64 numbers, None when traced (a sweep's value: unchecked); else a TypeError
    saying what is ``allowed``."""
    if is_bool(value) or isinstance(value, str) or value is None:
        raise TypeError(f"{name} must be {allowed}, got {value!r}")
    if is_traced(value):
        return None
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {allowed}, got {value!r}") from None


def _check_fraction(name: str, value: Any) -> Any:
    arr = _numbers(name, value, "a number in (0, 1]")
    if arr is None:
        return value
    if not np.all((arr > 0) & (arr <= 1)):
        raise ValueError(f"{name} must lie in (0, 1] (the fraction of resources a spike uses), got {value!r}")
    return value if arr.ndim else float(arr)


def _check_ms(name: str, value: Any, zero: bool) -> Any:
    allowed = ">= 0 (0 turns facilitation off)" if zero else "> 0"
    arr = _numbers(name, value, f"a number of ms {allowed}")
    if arr is None:
        return value
    ok = (arr >= 0) if zero else (arr > 0)
    if not np.all(np.isfinite(arr)) or not np.all(ok):
        raise ValueError(f"{name} must be finite numbers of ms {allowed}, got {value!r}")
    refuse_beyond_float32(name, arr, value)  # 1e40 ms is inf in the float32 model
    return value if arr.ndim else float(arr)
