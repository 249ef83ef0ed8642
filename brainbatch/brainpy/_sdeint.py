"""``sdeint`` with BrainPy's calling convention: stochastic differential equations ``dx = f dt + g dW``.

BrainPy 2.8.2's ``bp.sdeint(f, g, method='euler', intg_type='Ito', wiener_type='scalar')``: ``f`` and
``g`` take ``(x1, x2, ..., t, *args)`` like ``odeint``'s ``f`` and return the drift and the diffusion
(a tuple for several variables; ``g`` may give ``None`` for a variable without noise), and the integral
is called as ``intg(x1, x2, ..., t, *args, dt=dt)``. The Wiener increments are ``sqrt(dt)`` times
``bm.random.randn`` draws: inside a run they come from the run's streams (one lane, one stream), so a
noisy model is reproducible from its seed and each run of a batch has its own noise.

Methods: ``'euler'`` (Euler-Maruyama for Ito; for ``intg_type='Stratonovich'`` the Euler-Heun
predictor-corrector), ``'heun'`` (Euler-Heun, Stratonovich only) and ``'milstein'`` (Ito, scalar noise:
the Milstein correction ``g g' (dW^2 - dt) / 2`` with ``g'`` from JAX's derivative; strong order 1).
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
from ._odeint import _variable_names, split_call
from .math import random as bm_random

__all__ = ["sdeint"]

METHODS = ("euler", "heun", "milstein")
INTG_TYPES = ("Ito", "Stratonovich")
WIENER_TYPES = ("scalar", "vector")


def _choice(what: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"sdeint: {what}={value!r} is not available; use one of {list(allowed)}."
                         f"{did_you_mean(str(value), list(allowed))}")
    return str(value)


#: ``bp.integrators.set_default_sdeint``'s choice: the method of an ``sdeint`` called without ``method=``
DEFAULT = {"method": "euler"}


def sdeint(f: Callable | None = None, g: Callable | None = None, method: str | None = None, dt: float | None = None,
           name: str | None = None, show_code: bool = False, var_type: Any = None, intg_type: str | None = None,
           wiener_type: str | None = None, state_delays: Any = None) -> Any:
    """Integrate ``dx = f dt + g dW`` one step at a time: ``intg(x, t, *args, dt=None)`` returns ``x`` at ``t + dt``.

    >>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
    >>> intg = bp.sdeint(f=lambda x, t, tau: -x / tau, g=lambda x, t, tau: 0.0 * x)  # no noise: plain Euler
    >>> round(float(intg(1.0, 0.0, 10.0, dt=0.1)), 5)
    0.99
    """
    if state_delays is not None:
        raise TypeError("sdeint: state_delays is not supported (delays belong in the model: register_delay / "
                        "Projection(delay=...))")
    method = _choice("method", DEFAULT["method"] if method is None else method, METHODS)
    intg_type = _choice("intg_type", "Ito" if intg_type is None else intg_type, INTG_TYPES)
    wiener_type = _choice("wiener_type", "scalar" if wiener_type is None else wiener_type, WIENER_TYPES)
    if method == "heun" and intg_type != "Stratonovich":
        raise ValueError("sdeint: method='heun' integrates Stratonovich SDEs; give intg_type='Stratonovich' "
                         "(or method='euler' for Ito)")
    if method == "milstein" and (intg_type != "Ito" or wiener_type != "scalar"):
        raise ValueError("sdeint: method='milstein' is implemented for Ito SDEs with scalar noise; use "
                         "method='euler' otherwise")
    stratonovich = method == "heun" or intg_type == "Stratonovich"

    def build(drift: Callable, diffusion: Callable) -> Callable:
        for fn, role in ((drift, "f"), (diffusion, "g")):
            if not callable(fn):
                raise TypeError(f"sdeint: {role} must be a function (x, t, *args), got {fn!r}")
        variables, rest = _variable_names(drift)
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
                for k, (y, fv, gv, dw) in enumerate(zip(ys, fs, gs, dws)):
                    new = y + fv * step
                    if gv is not None:
                        new = new + noise_term(gv, dw)
                        if method == "milstein":
                            new = new + 0.5 * gv * _dg_dx(diffusion, ys, k, t, extra, kw, n) * (dw * dw - step)
                    out.append(new)
            return out[0] if n == 1 else out

        integral = functools.wraps(drift)(integral)
        for attr, value in (("variables", variables), ("parameters", rest), ("f", drift), ("g", diffusion),
                            ("dt", share.dt if dt is None else dt)):
            setattr(integral, attr, value)
        return integral

    default_dt = dt
    if f is not None and g is not None:
        return build(f, g)
    if f is not None:
        return lambda g_: build(f, g_)
    if g is not None:
        return lambda f_: build(f_, g)
    raise TypeError("sdeint needs the drift f and the diffusion g: bp.sdeint(f=f, g=g)")


def _dg_dx(diffusion: Callable, ys: tuple, k: int, t: Any, extra: tuple, kw: dict, n: int) -> jax.Array:
    """d g_k / d x_k element by element (g_k of x_k alone; the other variables held)."""
    def g_k(x: Any) -> Any:
        vals = list(ys)
        vals[k] = x
        out = diffusion(*vals, t, *extra, **kw)
        return out if n == 1 else out[k]

    y = jnp.asarray(ys[k], jnp.float32)
    tangent = jnp.ones_like(y)
    return jax.jvp(g_k, (y,), (tangent,))[1]
