"""``odeint`` with BrainPy's calling convention, over brainbatch's integrators.

BrainPy: ``f(x1, x2, ..., t, *args)`` returns the derivatives (one, or a tuple for several variables;
the parameters before ``t`` are the variables), and the integral is called as
``intg(x1, x2, ..., t, *args, dt=dt)`` with ``dt`` defaulting to the current step size.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import numpy as np

from ..core import share
from ..core.checks import is_traced
from ..core.units import is_quantity, to_convention
from ..core.variable import unwrap
from ..integrators import ColumnExponentialEuler, GenericRK2, get_integrator
from ..integrators import ExponentialEuler as RowExponentialEuler
from ._compat import method_name
from ._integrator import Integrator

__all__ = ["odeint", "JointEq", "time_step", "checked_derivatives", "ODEIntegrator", "Euler", "MidPoint", "Heun2",
           "Ralston2", "RK2", "RK3", "Heun3", "Ralston3", "SSPRK3", "RK4", "Ralston4", "RK4Rule38", "ExponentialEuler"]


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


class JointEq:
    """BrainPy's ``JointEq([dV, dh, dn])``: several derivative functions integrated together.

    Each function is ``f(x, t, *params)`` with its own variable first; a parameter named like another
    function's variable receives that variable's value at the start of the step. The joint function
    is ``f(*variables, t, *other_params)`` and returns a tuple (``bp.odeint`` integrates it).

    >>> import brainbatch.brainpy as bp
    >>> eq = bp.JointEq([lambda a, t, b: -a + b, lambda b, t, a, k: -k * b])
    >>> list(eq.__signature__.parameters)
    ['a', 'b', 't', 'k']
    >>> eq(1.0, 2.0, 0.0, 3.0)
    (1.0, -6.0)
    """

    def __init__(self, *eqs: Callable):
        if len(eqs) == 1 and isinstance(eqs[0], (list, tuple)):
            eqs = tuple(eqs[0])
        if not eqs or not all(callable(e) for e in eqs):
            raise TypeError(f"JointEq takes derivative functions f(x, t, *params), got {eqs!r}")
        self.eqs = eqs
        self._specs = []
        variables: list[str] = []
        for eq in eqs:
            names, eq_params = _variable_names(eq)
            if len(names) != 1:
                raise ValueError(f"JointEq: each function has one variable before t, got {names} in {eq!r}")
            if names[0] in variables:
                raise ValueError(f"JointEq: the variable {names[0]!r} appears in two functions")
            variables.append(names[0])
            self._specs.append((eq, eq_params))
        params: list[str] = []
        for _, ps in self._specs:
            params.extend(p for p in ps if p not in variables and p not in params)
        self.variables, self.parameters = variables, params
        P = inspect.Parameter
        self.__signature__ = inspect.Signature(
            [P(n, P.POSITIONAL_OR_KEYWORD) for n in variables + ["t"] + params])
        self.__name__ = "JointEq"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        bound = self.__signature__.bind(*args, **kwargs)
        values = dict(bound.arguments)
        t = values["t"]
        out = []
        for eq, params in self._specs:
            x = values[_variable_names(eq)[0][0]]
            out.append(eq(x, t, *[values[p] for p in params if p in values]))
        return tuple(out)


def split_call(fun: Callable, variables: list[str], rest: list[str], args: tuple, dt: Any,
               default_dt: Any) -> tuple[tuple, Any, tuple, Any]:
    """An integral's call ``intg(x1, ..., t, *params, dt=None)`` as ``(variables, t, params, step)``: BrainPy's
    ``dt`` may also come positionally last; the step is ``dt``, else the integrator's, else the current one."""
    n = len(variables)
    if len(args) < n + 1:
        raise TypeError(f"{getattr(fun, '__name__', 'integral')} needs the variables {variables} and t, "
                        f"got {len(args)} positional arguments")
    ys, t, extra = tuple(args[:n]), args[n], tuple(args[n + 1:])
    if len(extra) == len(rest) + 1 and dt is None and "dt" not in rest:
        extra, dt = extra[:-1], extra[-1]  # BrainPy's integral(x, t, *params, dt): dt positionally last
    step = share.dt if dt is None and default_dt is None else (dt if dt is not None else default_dt)
    return ys, t, extra, time_step(getattr(fun, "__name__", "integral"), step)


def time_step(where: str, dt: Any) -> Any:
    """``dt`` if it is a step an integral can take: a number > 0, finite (traced values pass). A negative one
    integrated backwards, 0 stood still and NaN made every variable NaN, each without a word; ``'0.1'`` was
    multiplied in as text. A quantity of time (``dt=0.01 * u.ms``) is converted to ms, as brainbatch's ``odeint``
    takes it."""
    value = unwrap(dt)
    if is_traced(value):
        return value
    if is_quantity(value):
        value = dt = to_convention("dt", value, "ms", where)
    try:
        number = not isinstance(value, (str, bytes, bool, np.bool_)) and np.ndim(value) == 0 and bool(
            np.issubdtype(np.asarray(value).dtype, np.number))
    except (TypeError, ValueError):
        number = False
    if not number or not float(value) > 0 or float(value) == float("inf"):
        raise ValueError(f"{where}: dt must be a time step in ms > 0, got {dt!r}")
    return value


def checked_derivatives(where: str, variables: list[str], values: Any, role: str = "f") -> tuple:
    """What ``role`` returned, one value per variable: a function that returned another number of values (None, a
    tuple for one variable) failed inside JAX with "pytree structure error" or "iteration over a 0-d array"."""
    n = len(variables)
    if n == 1:
        if isinstance(values, (tuple, list)) and len(values) == 1:
            values = values[0]
        if values is None or isinstance(values, (tuple, list, str)):
            raise ValueError(f"{where}: {role} must return the derivative of {variables[0]!r} (one array or number), "
                             f"got {_shown(values)}")
        return (values,)
    if getattr(values, "ndim", 0) >= 1 and values.shape[0] == n:  # one stacked array (jnp.stack([dx, dy])): BrainPy
        values = tuple(values)  # takes it as the n derivatives
    if not isinstance(values, (tuple, list)) or len(values) != n or any(v is None for v in values):
        raise ValueError(f"{where}: {role} must return {n} derivatives, one per variable {variables}, in that order, "
                         f"got {_shown(values)}")
    return tuple(values)


def _shown(values: Any) -> str:
    if isinstance(values, (tuple, list)):
        return f"a {type(values).__name__} of {len(values)}"
    if hasattr(values, "shape"):
        return f"one array of shape {tuple(values.shape)}"
    return "None" if values is None else f"{type(values).__name__} {values!r}"[:80]


#: ``bp.integrators.set_default_odeint``'s choice: the method of an ``odeint`` called without ``method=``
DEFAULT = {"method": "euler"}


def ode_integral(fun: Callable, variables: list[str], rest: list[str], integrator: Any, default_dt: Any) -> Callable:
    """``intg(x1, ..., t, *params, dt=None)``: one step of ``integrator`` over ``fun``'s derivatives."""
    n = len(variables)

    def integral(*args: Any, dt: float | None = None, **kw: Any) -> Any:
        args, kw = unwrap(args), unwrap(kw)
        ys, t, extra, step = split_call(fun, variables, rest, args, dt, default_dt)
        where = f"odeint({getattr(fun, '__name__', 'f')})"
        if n == 1:
            return integrator.step(lambda y, tt, *a: checked_derivatives(where, variables, fun(y, tt, *a, **kw))[0],
                                   ys[0], t, step, *extra)
        return integrator.step(lambda y, tt, *a: checked_derivatives(where, variables, fun(*y, tt, *a, **kw)),
                               tuple(ys), t, step, *extra)

    return integral if isinstance(fun, JointEq) else functools.wraps(fun)(integral)


def refuse_neutral_delays(where: str, neutral_delays: Any) -> None:
    """BrainPy's ``neutral_delays`` (delays of dx/dt) of an integral: refused, saying what to use."""
    if neutral_delays is not None:
        raise TypeError(f"{where}: neutral_delays (delays of the derivative, BrainPy's neutral DDEs) are not "
                        "supported: state_delays={'x': bm.TimeDelay(...)} delays a variable itself; for a delayed "
                        "derivative keep a bm.TimeDelay in the model and update it with f's value after each step")


def brainpy_scheme(method: str) -> Any:
    """brainbatch's scheme for BrainPy's ``method`` of an integral of a user's function: exponential Euler
    linearises as BrainPy's ``exp_auto`` does (column sums of the Jacobian), so a derivative coupling the elements
    of one variable (``-r + W @ f(r)``) steps as in BrainPy; the models' own elementwise equations are the same
    either way."""
    scheme = get_integrator(method_name(method))
    # a name only: brainbatch's own ExponentialEuler() given as the method is the scheme asked for (row sums)
    return ColumnExponentialEuler() if isinstance(method, str) and type(scheme) is RowExponentialEuler else scheme


class ODEIntegrator(Integrator):
    """BrainPy's ``bp.ode.ODEIntegrator``: the class of every integral ``bp.odeint`` makes, one subclass per scheme
    (``bp.ode.RK4(f, dt=0.01)`` is ``bp.odeint(f, method='rk4', dt=0.01)``); ``integrator`` is brainbatch's scheme.

    >>> import brainbatch.brainpy as bp
    >>> intg = bp.ode.RK4(lambda v, t, tau: -v / tau, dt=0.1)
    >>> round(float(intg(1.0, 0.0, 10.0)), 5), intg.dt, intg.parameters
    (0.99005, 0.1, ['t', 'tau'])
    """

    #: BrainPy's keyword of the scheme (``'rk4'``); the base class takes it as ``method=``
    method: Any = None

    def __init__(self, f: Callable, var_type: Any = None, dt: float | None = None, name: str | None = None,
                 show_code: bool = False, state_delays: Any = None, neutral_delays: Any = None, *,
                 method: Any = None, scheme: Any = None) -> None:
        refuse_neutral_delays(type(self).__name__, neutral_delays)
        method = type(self).method if method is None else method
        if method is None and scheme is None:
            raise TypeError("bp.ode.ODEIntegrator is the base of the schemes: use bp.odeint(f, method=...) or a "
                            "scheme's class (bp.ode.RK4(f), bp.ode.ExponentialEuler(f))")
        if not callable(f):
            raise TypeError(f"{type(self).__name__}: f must be the derivative function f(x, t, *args), got {f!r}")
        scheme = brainpy_scheme(method) if scheme is None else scheme
        default_dt = None if dt is None else time_step("odeint", dt)
        variables, rest = _variable_names(f)
        super().__init__(f, ode_integral(f, variables, rest, scheme, default_dt), variables, ["t", *rest],
                         share.dt if default_dt is None else default_dt, name, state_delays)
        self.integrator, self.var_type, self.show_code = scheme, var_type, show_code


class Euler(ODEIntegrator):
    """BrainPy's ``bp.ode.Euler`` (``method='euler'``)."""
    method = "euler"


class MidPoint(ODEIntegrator):
    """BrainPy's ``bp.ode.MidPoint`` (``method='midpoint'``)."""
    method = "midpoint"


class Heun2(ODEIntegrator):
    """BrainPy's ``bp.ode.Heun2`` (``method='heun2'``)."""
    method = "heun2"


class Ralston2(ODEIntegrator):
    """BrainPy's ``bp.ode.Ralston2`` (``method='ralston2'``)."""
    method = "ralston2"


class RK2(ODEIntegrator):
    """BrainPy's ``bp.ode.RK2`` (``method='rk2'``): the generic second-order scheme, ``beta=2/3`` (Ralston's)
    unless given."""
    method = "rk2"

    def __init__(self, f: Callable, beta: float | None = None, var_type: Any = None, dt: float | None = None,
                 name: str | None = None, show_code: bool = False, state_delays: Any = None,
                 neutral_delays: Any = None) -> None:
        super().__init__(f, var_type, dt, name, show_code, state_delays, neutral_delays,
                         scheme=None if beta is None else GenericRK2(beta))


class RK3(ODEIntegrator):
    """BrainPy's ``bp.ode.RK3`` (``method='rk3'``, Kutta's)."""
    method = "rk3"


class Heun3(ODEIntegrator):
    """BrainPy's ``bp.ode.Heun3`` (``method='heun3'``)."""
    method = "heun3"


class Ralston3(ODEIntegrator):
    """BrainPy's ``bp.ode.Ralston3`` (``method='ralston3'``)."""
    method = "ralston3"


class SSPRK3(ODEIntegrator):
    """BrainPy's ``bp.ode.SSPRK3`` (``method='ssprk3'``)."""
    method = "ssprk3"


class RK4(ODEIntegrator):
    """BrainPy's ``bp.ode.RK4`` (``method='rk4'``)."""
    method = "rk4"


class Ralston4(ODEIntegrator):
    """BrainPy's ``bp.ode.Ralston4`` (``method='ralston4'``)."""
    method = "ralston4"


class RK4Rule38(ODEIntegrator):
    """BrainPy's ``bp.ode.RK4Rule38`` (``method='rk4_38rule'``)."""
    method = "rk4_38rule"


class ExponentialEuler(ODEIntegrator):
    """BrainPy's ``bp.ode.ExponentialEuler`` (``method='exp_auto'``, ``'exp_euler'``...)."""
    method = "exp_auto"


#: BrainPy's class of each scheme, by the keyword ``odeint`` takes (what BrainPy's nodes() name them after: 'RK40')
SCHEMES: dict[str, type[ODEIntegrator]] = {
    **{cls.method: cls for cls in (Euler, MidPoint, Heun2, Ralston2, RK2, RK3, Heun3, Ralston3, SSPRK3, RK4, Ralston4,
                                   RK4Rule38)},
    **dict.fromkeys(("exp_auto", "exp_euler", "exp_euler_auto", "exponential_euler"), ExponentialEuler)}


def odeint(f: Callable | None = None, method: str | None = None, var_type: Any = None, dt: float | None = None,
           name: str | None = None, show_code: bool = False, **kwargs: Any) -> Any:
    """Integrate ``f`` one step at a time: ``intg(x, t, *args, dt=None)`` returns ``x`` at ``t + dt``.

    ``method`` defaults to ``'euler'``, as BrainPy 2.8.2's (``bp.ode.get_default_odeint()``); the names are
    BrainPy's: ``'euler'``, ``'exp_auto'`` (``'exp_euler'``...), the explicit Runge-Kutta schemes ``'midpoint'``,
    ``'heun2'``, ``'ralston2'``, ``'rk2'`` (``beta=2/3`` unless given), ``'rk3'``, ``'heun3'``, ``'ralston3'``,
    ``'ssprk3'``, ``'rk4'``, ``'ralston4'``, ``'rk4_38rule'``. The integral is an object of the scheme's class
    (``bp.ode.RK4``...), a node of the model holding it, as BrainPy's.

    >>> import brainbatch.brainpy as bp
    >>> intg = bp.odeint(lambda v, t, tau: -v / tau, method="exp_auto")
    >>> round(float(intg(1.0, 0.0, 10.0, dt=0.1)), 5)  # exp(-0.01)
    0.99005
    >>> round(float(bp.odeint(lambda v, t, tau: -v / tau)(1.0, 0.0, 10.0, dt=0.1)), 5)  # Euler: 1 - 0.01
    0.99
    """
    method = DEFAULT["method"] if method is None else method
    beta = kwargs.pop("beta", None)
    state_delays = kwargs.pop("state_delays", None)
    refuse_neutral_delays("odeint", kwargs.pop("neutral_delays", None))
    if kwargs:
        adaptive = {"adaptive", "tol"} & set(kwargs)
        raise TypeError(f"odeint: {sorted(kwargs)} are not supported" + (
            " (BrainPy's adaptive step: every run of a batch steps with one fixed dt; use a fixed-step method)"
            if adaptive else ""))
    method_name(method)  # a name brainbatch does not provide is refused here, with the list
    key = method.strip().lower() if isinstance(method, str) else None
    if beta is not None and key != "rk2":
        raise TypeError(f"odeint: beta= belongs to method='rk2' (the generic second-order scheme), not {method!r}")
    if dt is not None:
        time_step("odeint", dt)  # refused at the call, not at the first step

    def wrap(fun: Callable) -> ODEIntegrator:
        if key == "rk2":
            return RK2(fun, beta, var_type, dt, name, show_code, state_delays)
        cls = SCHEMES.get(key) if key is not None else None
        if cls is None:  # a brainbatch integrator given as the method
            return ODEIntegrator(fun, var_type, dt, name, show_code, state_delays, method=method)
        return cls(fun, var_type, dt, name, show_code, state_delays)

    return wrap if f is None else wrap(f)
