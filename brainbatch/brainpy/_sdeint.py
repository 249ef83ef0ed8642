"""``sdeint`` with BrainPy's calling convention: stochastic differential equations ``dx = f dt + g dW``.

BrainPy 2.8.2's ``bp.sdeint(f, g, method='euler', intg_type='Ito', wiener_type='scalar')``: ``f`` and
``g`` take ``(x1, x2, ..., t, *args)`` like ``odeint``'s ``f`` and return the drift and the diffusion
(a tuple for several variables; ``g`` may give ``None`` for a variable without noise), and the integral
is called as ``intg(x1, x2, ..., t, *args, dt=dt)``. The Wiener increments are ``sqrt(dt)`` times
``bm.random.randn`` draws: inside a run they come from the run's streams (one lane, one stream), so a
noisy model is reproducible from its seed and each run of a batch has its own noise.

Methods: ``'euler'`` (Euler-Maruyama for Ito; for ``intg_type='Stratonovich'`` the Euler-Heun
predictor-corrector), ``'heun'`` (Euler-Heun, Stratonovich only), ``'milstein'`` (Ito, scalar noise:
the Milstein correction ``g g' (dW^2 - dt) / 2`` with ``g'`` from JAX's derivative; strong order 1) and
``'exp_euler'`` (``'exponential_euler'``, ``'exp_euler_auto'``, ``'exp_auto'``; Ito only): BrainPy's exponential
Euler, the drift stepped as ``odeint(f, method='exp_auto')`` steps it (each variable exact in its own linear
part), then ``g dW`` added with ``g`` of the step's start, as BrainPy 2.8.2's ``bp.sde.ExponentialEuler``.

``state_delays={'x': bm.TimeDelay(...)}`` as ``odeint``'s: after each step the integral writes the variable's new
value (noise included) into its delay, which ``f`` or ``g`` read at earlier times (BrainPy's delay equations).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import jax
import jax.numpy as jnp

from ..core import share
from ..core.errors import did_you_mean
from ..core.checks import fits_shape
from ..core.variable import unwrap
from ._odeint import _variable_names, brainpy_scheme, ode_integral, split_call
from ._integrator import Integrator
from .math import random as bm_random

__all__ = ["sdeint", "SDEIntegrator", "Euler", "Heun", "Milstein", "ExponentialEuler"]

METHODS = ("euler", "heun", "milstein", "exp_euler")
#: BrainPy's other names of its SDE exponential Euler (``register_sde_integrator`` in its sde/normal.py)
ALIASES = dict.fromkeys(("exponential_euler", "exp_euler_auto", "exp_auto"), "exp_euler")
INTG_TYPES = ("Ito", "Stratonovich")
WIENER_TYPES = ("scalar", "vector")


def _choice(what: str, value: Any, allowed: tuple[str, ...]) -> str:
    if what == "method" and isinstance(value, str):
        value = ALIASES.get(value, value)
    if value not in allowed:
        raise ValueError(f"sdeint: {what}={value!r} is not available; use one of {list(allowed)}."
                         f"{did_you_mean(str(value), list(allowed))}")
    return str(value)


#: ``bp.integrators.set_default_sdeint``'s choice: the method of an ``sdeint`` called without ``method=``
DEFAULT = {"method": "euler"}


class SDEIntegrator(Integrator):
    """BrainPy's ``bp.sde.SDEIntegrator``: the class of every integral ``bp.sdeint`` makes, one subclass per method
    (``bp.sde.Milstein(f, g)`` is ``bp.sdeint(f, g, method='milstein')``), with ``f``, ``g``, ``intg_type`` and
    ``wiener_type``.

    >>> import brainbatch.brainpy as bp
    >>> intg = bp.sde.Euler(lambda x, t: -x, lambda x, t: 0.0 * x)
    >>> intg.g is not None, intg.intg_type, intg.parameters
    (True, 'Ito', ['t'])
    """

    #: BrainPy's keyword of the method (``'euler'``); the base class takes it as ``method=``
    method: str | None = None

    def __init__(self, f: Callable, g: Callable, dt: float | None = None, name: str | None = None,
                 show_code: bool = False, var_type: Any = None, intg_type: str | None = None,
                 wiener_type: str | None = None, state_delays: Any = None, *, method: str | None = None) -> None:
        method = type(self).method if method is None else method
        if method is None:
            raise TypeError("bp.sde.SDEIntegrator is the base of the methods: use bp.sdeint(f, g, method=...) or a "
                            "method's class (bp.sde.Euler(f, g))")
        method = _choice("method", method, METHODS)
        intg_type = _choice("intg_type", "Ito" if intg_type is None else intg_type, INTG_TYPES)
        wiener_type = _choice("wiener_type", "scalar" if wiener_type is None else wiener_type, WIENER_TYPES)
        if method == "heun" and intg_type != "Stratonovich":
            raise ValueError("sdeint: method='heun' integrates Stratonovich SDEs; give intg_type='Stratonovich' "
                             "(or method='euler' for Ito)")
        if method == "milstein" and (intg_type != "Ito" or wiener_type != "scalar"):
            raise ValueError("sdeint: method='milstein' is implemented for Ito SDEs with scalar noise; use "
                             "method='euler' otherwise")
        if method == "exp_euler" and intg_type != "Ito":
            raise ValueError("sdeint: method='exp_euler' integrates Ito SDEs only, as BrainPy's; use method='heun' "
                             "(or 'euler') for intg_type='Stratonovich'")
        for fn, role in ((f, "f"), (g, "g")):
            if not callable(fn):
                raise TypeError(f"sdeint: {role} must be a function (x, t, *args), got {fn!r}")
        variables, rest = _variable_names(f)
        integral = sde_integral(f, g, variables, rest, method, intg_type, wiener_type, dt)
        super().__init__(f, integral, variables, ["t", *rest], share.dt if dt is None else dt, name, state_delays)
        self.g, self.var_type, self.show_code = g, var_type, show_code
        self.intg_type, self.wiener_type = intg_type, wiener_type


class Euler(SDEIntegrator):
    """BrainPy's ``bp.sde.Euler`` (``method='euler'``: Euler-Maruyama; Euler-Heun for Stratonovich SDEs)."""
    method = "euler"


class Heun(SDEIntegrator):
    """BrainPy's ``bp.sde.Heun`` (``method='heun'``: Euler-Heun, for ``intg_type='Stratonovich'``, given)."""
    method = "heun"


class Milstein(SDEIntegrator):
    """BrainPy's ``bp.sde.Milstein`` (``method='milstein'``, Ito SDEs with scalar noise)."""
    method = "milstein"


class ExponentialEuler(SDEIntegrator):
    """BrainPy's ``bp.sde.ExponentialEuler`` (``method='exp_euler'``, Ito SDEs): the drift by exponential Euler, then
    ``g dW``."""
    method = "exp_euler"


#: BrainPy's class of each method, by the keyword ``sdeint`` takes
SCHEMES: dict[str, type[SDEIntegrator]] = {"euler": Euler, "heun": Heun, "milstein": Milstein,
                                           "exp_euler": ExponentialEuler}


def sdeint(f: Callable | None = None, g: Callable | None = None, method: str | None = None, dt: float | None = None,
           name: str | None = None, show_code: bool = False, var_type: Any = None, intg_type: str | None = None,
           wiener_type: str | None = None, state_delays: Any = None) -> Any:
    """Integrate ``dx = f dt + g dW`` one step at a time: ``intg(x, t, *args, dt=None)`` returns ``x`` at ``t + dt``.

    >>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
    >>> intg = bp.sdeint(f=lambda x, t, tau: -x / tau, g=lambda x, t, tau: 0.0 * x)  # no noise: plain Euler
    >>> round(float(intg(1.0, 0.0, 10.0, dt=0.1)), 5)
    0.99
    """
    method = _choice("method", DEFAULT["method"] if method is None else method, METHODS)
    _choice("intg_type", "Ito" if intg_type is None else intg_type, INTG_TYPES)
    _choice("wiener_type", "scalar" if wiener_type is None else wiener_type, WIENER_TYPES)

    def build(drift: Callable, diffusion: Callable) -> SDEIntegrator:
        return SCHEMES[method](drift, diffusion, dt, name, show_code, var_type, intg_type, wiener_type, state_delays)

    if f is not None and g is not None:
        return build(f, g)
    if f is not None:
        return lambda g_: build(f, g_)
    if g is not None:
        return lambda f_: build(f_, g)
    raise TypeError("sdeint needs the drift f and the diffusion g: bp.sdeint(f=f, g=g)")


def sde_integral(drift: Callable, diffusion: Callable, variables: list[str], rest: list[str], method: str,
                 intg_type: str, wiener_type: str, default_dt: Any) -> Callable:
    """``intg(x1, ..., t, *params, dt=None)``: one step of ``method`` for ``dx = drift dt + diffusion dW``."""
    stratonovich = method == "heun" or intg_type == "Stratonovich"
    n = len(variables)

    def as_tuple(values: Any, role: str) -> tuple:
        if n == 1:
            return (values,)
        if not isinstance(values, (tuple, list)) or len(values) != n:
            raise ValueError(f"sdeint: {role} must return {n} values (one per variable {variables}), got {values!r}")
        return tuple(values)

    def increments(ys: tuple, gs: tuple, step: Any) -> tuple:
        out: list[Any] = []
        for y, gv in zip(ys, gs):
            if gv is None:
                out.append(None)
                continue
            shape = tuple(jnp.shape(y))
            if wiener_type == "vector":
                if jnp.ndim(gv) == 0:
                    raise ValueError("sdeint: a vector Wiener process needs the diffusion's last axis to count "
                                     "the noise sources; got a scalar diffusion")
                shape += tuple(jnp.shape(gv))[-1:]
            out.append(bm_random.randn(*shape) * jnp.sqrt(step))
        return tuple(out)

    def fitting(fs: tuple, gs: tuple, ys: tuple) -> None:
        """A drift or diffusion of another shape than its variable grew the state (g of shape (3,) for x of
        shape (1,)) or failed with "mul got incompatible shapes"; odeint refuses the same."""
        for name, y, fv, gv in zip(variables, ys, fs, gs):
            for role, value in (("f", fv), ("g", gv)):
                if value is None:
                    continue
                shape = tuple(jnp.shape(value))
                if role == "g" and wiener_type == "vector":
                    shape = shape[:-1]  # its last axis counts the noise sources
                if not fits_shape(shape, jnp.shape(y)):
                    raise ValueError(f"sdeint: {role} returned shape {tuple(jnp.shape(value))} for the variable "
                                     f"{name!r} of shape {tuple(jnp.shape(y))}; return one value per element "
                                     "of it (or a scalar)" + (", then the noise sources' axis" if role == "g"
                                                              and wiener_type == "vector" else ""))

    # BrainPy's exponential Euler steps the drift alone as its ODE exp_auto does, then adds g dW (sde/normal.py)
    drift_step = (ode_integral(drift, variables, rest, brainpy_scheme("exp_auto"), default_dt)
                  if method == "exp_euler" else None)

    def noise_term(gv: Any, dw: Any) -> Any:
        return jnp.sum(gv * dw, axis=-1) if wiener_type == "vector" else gv * dw

    def integral(*args: Any, dt: float | None = None, **kw: Any) -> Any:
        args, kw = unwrap(args), unwrap(kw)
        ys, t, extra, step = split_call(drift, variables, rest, args, dt, default_dt)
        fs = as_tuple(drift(*ys, t, *extra, **kw), "f")
        gs = as_tuple(diffusion(*ys, t, *extra, **kw), "g")
        fitting(fs, gs, ys)
        dws = increments(ys, gs, step)
        out: list[Any] = []
        if stratonovich:  # Euler-Heun: g averaged at the start and at the predictor Y + g dW
            bars = tuple(y if gv is None else y + noise_term(gv, dw) for y, gv, dw in zip(ys, gs, dws))
            g_bar = as_tuple(diffusion(*bars, t, *extra, **kw), "g")
            for y, fv, gv, gb, dw in zip(ys, fs, gs, g_bar, dws):
                new = y + fv * step
                out.append(new if gv is None else new + noise_term((gv + gb) / 2, dw))
        else:
            drifted = None if drift_step is None else as_tuple(drift_step(*ys, t, *extra, dt=step, **kw), "f")
            for k, (y, fv, gv, dw) in enumerate(zip(ys, fs, gs, dws)):
                new = y + fv * step if drifted is None else drifted[k]
                if gv is not None:
                    new = new + noise_term(gv, dw)
                    if method == "milstein":
                        new = new + 0.5 * gv * _dg_dx(diffusion, ys, k, t, extra, kw, n) * (dw * dw - step)
                out.append(new)
        return out[0] if n == 1 else out

    return functools.wraps(drift)(integral)


def _dg_dx(diffusion: Callable, ys: tuple, k: int, t: Any, extra: tuple, kw: dict, n: int) -> jax.Array:
    """d g_k / d x_k element by element (g_k of x_k alone; the other variables held)."""
    def g_k(x: Any) -> Any:
        vals = list(ys)
        vals[k] = x
        out = diffusion(*vals, t, *extra, **kw)
        return out if n == 1 else out[k]

    y = jnp.asarray(ys[k])
    # the state's own float type (float64 under x64: a float32 derivative lost its digits), a float for an int start
    y = y if jnp.issubdtype(y.dtype, jnp.floating) else y.astype(jnp.result_type(float))
    tangent = jnp.ones_like(y)
    return jax.jvp(g_k, (y,), (tangent,))[1]
