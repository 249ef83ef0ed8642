"""Look up integrators by name, and BrainPy's ``odeint`` habit on top of them."""

from __future__ import annotations

from typing import Any, Callable

from ..core.units import is_quantity, to_convention
from ..errors import did_you_mean
from .base import AbstractIntegrator, PyTree, VectorField
from .euler import Euler
from .exp_euler import ExponentialEuler
from .explicit_rk import TABLEAU_SCHEMES
from .rk2 import RK2
from .rk4 import RK4

_SCHEMES: tuple[type[AbstractIntegrator], ...] = (Euler, ExponentialEuler, RK2, RK4, *TABLEAU_SCHEMES)
_INTEGRATORS: dict[str, type[AbstractIntegrator]] = {cls.name: cls for cls in _SCHEMES}
_ALIASES: dict[str, str] = {"exponential_euler": "exp_euler", "heun2": "rk2"}


def get_integrator(name: str | AbstractIntegrator) -> AbstractIntegrator:
    """Return the integrator called ``name`` (case-insensitive); an instance is passed through.

    >>> from brainbatch.integrators import get_integrator
    >>> get_integrator("RK4")
    RK4()
    """
    if isinstance(name, AbstractIntegrator):
        return name
    if isinstance(name, type) and issubclass(name, AbstractIntegrator):
        return name()
    if not isinstance(name, str):
        raise TypeError(
            f"method must be an integrator name (str) or an AbstractIntegrator, got {name!r}"
        )
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key in _INTEGRATORS:
        return _INTEGRATORS[key]()
    allowed = sorted([*_INTEGRATORS, *_ALIASES])
    hint = did_you_mean(key, allowed, cutoff=0.6)
    raise ValueError(f"unknown integrator {name!r}; allowed names are {', '.join(allowed)}.{hint}")


def odeint(
    f: VectorField | None = None, method: str | AbstractIntegrator = "exp_euler"
) -> Callable[..., Any]:
    """Turn ``f(y, t, *args) -> dy/dt`` into a stepper ``(y, t, dt, *args) -> y_next``.

    Used directly, ``odeint(f, method="rk4")``, or as a decorator, ``@odeint(method="rk4")``.
    The method is checked here, so a misspelled name fails when the model is built.

    >>> from brainbatch.integrators import odeint
    >>> @odeint(method="exp_euler")
    ... def integral(v, t, tau, i):
    ...     return (-v + i) / tau
    >>> round(float(integral(0.0, 0.0, 5.0, 10.0, 2.0)), 5)  # 2 * (1 - exp(-0.5))
    0.78694

    ``dt`` may be a quantity of time, read in ms; another dimension is a ``UnitMismatch`` naming it.

    >>> import brainunit as u
    >>> round(float(integral(0.0, 0.0, 0.005 * u.second, 10.0, 2.0)), 5)
    0.78694
    """
    integrator = get_integrator(method)

    def wrap(fun: VectorField) -> Callable[..., PyTree]:
        if not callable(fun):
            raise TypeError(
                f"odeint needs a callable f(y, t, *args), got {fun!r}; "
                "pass the method by keyword: odeint(f, method='rk4') or @odeint(method='rk4')"
            )

        def stepper(y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
            if is_quantity(dt):  # a time with its unit (0.1 * u.ms): the step computes in ms (docs/units.md)
                dt = to_convention("dt", dt, "ms", "odeint")
            return integrator.step(fun, y, t, dt, *args)

        stepper.__name__ = getattr(fun, "__name__", "stepper")
        stepper.__doc__ = getattr(fun, "__doc__", None)
        stepper.integrator = integrator  # type: ignore[attr-defined]
        stepper.f = fun  # type: ignore[attr-defined]
        return stepper

    return wrap if f is None else wrap(f)
