"""BrainPy's integrator objects: what ``bp.odeint`` and ``bp.sdeint`` return, a node of the model that holds it.

BrainPy's integrals are objects (``bp.ode.ODEIntegrator``, a ``BrainPyObject``) with ``f``, ``dt``, ``variables``,
``parameters`` (``t`` first), ``arguments`` and ``integral``, listed by the owner's ``nodes()`` under their
attribute (``'integral'``) or their name (``'RK40'``), and called as the function they integrate:
``intg(x, t, *args, dt=dt)``. Here an integrator is a node of the graph that the step never runs itself (its owner
calls it), so listing it changes neither the numbers nor the program of a run.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from ..core.errors import did_you_mean
from ..core.node import Node

__all__ = ["Integrator"]


class Integrator(Node):
    """The base of BrainPy's integrators (``bp.Integrator``): ``self(*args, **kwargs)`` is ``self.integral(...)``.

    >>> import brainbatch.brainpy as bp
    >>> intg = bp.odeint(lambda V, w, t, Iext: (-V + Iext, -w), method='rk4', dt=0.1)
    >>> intg.variables, intg.parameters, intg.arguments
    (['V', 'w'], ['t', 'Iext'], ['V', 'w', 't', 'Iext', 'dt=0.1'])
    >>> isinstance(intg, bp.ode.ODEIntegrator), type(intg).__name__
    (True, 'RK4')
    """

    def __init__(self, f: Callable, integral: Callable, variables: list[str], parameters: list[str], dt: Any,
                 name: str | None = None, state_delays: Any = None) -> None:
        super().__init__(name=name)
        self.f = f
        delays = _state_delays(type(self).__name__, state_delays, variables)
        if delays:
            # BrainPy's delay differential equations: after each step the new value of each delayed variable is
            # written into its delay (delay.update(x)), which f reads at earlier times (xdelay(t - 1)); the delays
            # are nodes of the integral (their Variables carried by the runner or model holding it)
            self.register_implicit_nodes(delays)
            integral = _updating(integral, delays, list(variables))
        self._state_delays = delays
        self._integral, self._dt = integral, dt
        self._variables, self._parameters = list(variables), list(parameters)
        self._arguments = [*_arguments(f, variables, parameters), f"dt={dt}"]
        # integrals were functions wrapping f (functools.wraps) before they were objects: inspect.signature(intg),
        # intg.__name__ and jax.jit(intg, static_argnames=...) still read f's, not __call__'s (*args, **kwargs)
        for attr in ("__wrapped__", "__name__", "__qualname__", "__doc__"):
            if attr == "__wrapped__" or hasattr(integral, attr):
                object.__setattr__(self, attr, getattr(integral, attr, integral))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._integral(*args, **kwargs)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} {self.name!r} is an integral, called by the model that holds it "
                        "(self.integral(V, t, ...)), not a node a step updates")

    @property
    def dt(self) -> Any:
        """The step the integral takes when called without ``dt=`` (the current step size when it was made)."""
        return self._dt

    @property
    def state_delays(self) -> dict:
        """The delays of the variables (``{'x': bm.TimeDelay(...)}``), each updated with the variable's new value
        after every step."""
        return dict(self._state_delays)

    @property
    def variables(self) -> list[str]:
        """The names of the integrated variables (the parameters of ``f`` before ``t``)."""
        return self._variables

    @property
    def parameters(self) -> list[str]:
        """The parameters of ``f`` from ``t`` on (``['t', 'Iext']``), as BrainPy's."""
        return self._parameters

    @property
    def arguments(self) -> list[str]:
        """Every argument of the integral, as text: ``f``'s and ``dt=<dt>``."""
        return self._arguments

    @property
    def integral(self) -> Callable:
        """The integral function itself (what calling this object calls)."""
        return self._integral

    def __setattr__(self, key: str, value: Any) -> None:
        if key in _READ_ONLY:
            raise ValueError(f'Cannot set "{key}" by users: it is fixed when the integrator is made '
                             f"(bp.odeint(f, dt=...) for dt)")
        super().__setattr__(key, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, variables={self.variables}, dt={self.dt})"


_READ_ONLY = frozenset({"dt", "variables", "parameters", "arguments", "integral", "state_delays"})


def _arguments(f: Callable, variables: list[str], parameters: list[str]) -> list[str]:
    """``f``'s parameters as BrainPy writes them (``'c=1'``, ``'*args'``); a ``JointEq``'s from its names."""
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return [*variables, *parameters]
    return [str(p) for p in params if p.kind is not p.VAR_KEYWORD]


def _state_delays(where: str, given: Any, variables: list[str]) -> dict:
    """BrainPy's ``state_delays``: ``{variable: bm.TimeDelay or bm.LengthDelay}``, checked."""
    from .math import LengthDelay, TimeDelay

    if given is None:
        return {}
    if not isinstance(given, dict):
        raise TypeError(f"{where}: state_delays must be a dict of the delayed variables' delays "
                        f"({{'x': bm.TimeDelay(...)}}), got {type(given).__name__} {given!r}")
    for key, delay in given.items():
        if key not in variables:
            raise ValueError(f"{where}: state_delays names {key!r}, not a variable of the equation {variables}."
                             f"{did_you_mean(key, variables)}")
        if not isinstance(delay, (TimeDelay, LengthDelay)):
            raise TypeError(f"{where}: state_delays[{key!r}] must be a bm.TimeDelay or bm.LengthDelay of the "
                            f"variable, got {type(delay).__name__} {delay!r}")
    return dict(given)


def _updating(integral: Callable, delays: dict, variables: list[str]) -> Callable:
    """``integral`` followed by each delay's ``update`` with its variable's new value (BrainPy's integrators)."""

    @functools.wraps(integral)
    def call(*args: Any, **kwargs: Any) -> Any:
        out = integral(*args, **kwargs)
        new = (out,) if len(variables) == 1 else tuple(out)
        for key, delay in delays.items():
            delay.update(new[variables.index(key)])
        return out

    return call
