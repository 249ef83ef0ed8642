"""``odeint`` with BrainPy's calling convention, over brainbatch's integrators.

BrainPy: ``f(x1, x2, ..., t, *args)`` returns the derivatives (one, or a tuple for several variables;
the parameters before ``t`` are the variables), and the integral is called as
``intg(x1, x2, ..., t, *args, dt=dt)`` with ``dt`` defaulting to the current step size.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from ..core import share
from ..core.variable import unwrap
from ..integrators import get_integrator
from ._compat import method_name

__all__ = ["odeint"]


def _variable_names(f: Callable) -> tuple[list[str], list[str]]:
    params = [p for p in inspect.signature(f).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = [p.name for p in params]
    if "t" not in names:
        raise ValueError(f"odeint: f{inspect.signature(f)} has no parameter 't'; BrainPy's convention is "
                         "f(x, t, *args) with the variables before t")
    k = names.index("t")
    if k == 0:
        raise ValueError(f"odeint: f{inspect.signature(f)} has no variable before 't'")
    return names[:k], names[k + 1:]


def odeint(f: Callable | None = None, method: str = "exp_auto", var_type: Any = None, dt: float | None = None,
           name: str | None = None, show_code: bool = False, **kwargs: Any):
    """Integrate ``f`` one step at a time: ``intg(x, t, *args, dt=None)`` returns ``x`` at ``t + dt``.

    >>> import brainbatch.brainpy as bp
    >>> intg = bp.odeint(lambda v, t, tau: -v / tau, method="exp_auto")
    >>> round(float(intg(1.0, 0.0, 10.0, dt=0.1)), 5)  # exp(-0.01)
    0.99005
    """
    if kwargs:
        raise TypeError(f"odeint: {sorted(kwargs)} are not supported (delays belong in the model: "
                        "register_delay / Projection(delay=...))")
    integrator = get_integrator(method_name(method))
    default_dt = dt

    def wrap(fun: Callable) -> Callable:
        variables, rest = _variable_names(fun)
        n = len(variables)

        @functools.wraps(fun)
        def integral(*args: Any, dt: float | None = None, **kw: Any):
            args, kw = unwrap(args), unwrap(kw)
            if len(args) < n + 1:
                raise TypeError(f"{getattr(fun, '__name__', 'integral')} needs the variables {variables} and t, "
                                f"got {len(args)} positional arguments")
            ys, t, extra = args[:n], args[n], args[n + 1:]
            step = share.dt if dt is None and default_dt is None else (dt if dt is not None else default_dt)
            if n == 1:
                return integrator.step(lambda y, tt, *a: fun(y, tt, *a, **kw), ys[0], t, step, *extra)
            out = integrator.step(lambda y, tt, *a: tuple(fun(*y, tt, *a, **kw)), tuple(ys), t, step, *extra)
            return out

        integral.variables, integral.parameters, integral.f = variables, rest, fun
        integral.integrator = integrator
        return integral

    return wrap if f is None else wrap(f)
