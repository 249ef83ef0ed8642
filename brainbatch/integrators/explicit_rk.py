"""Explicit Runge-Kutta schemes, one generic step driven by a Butcher tableau.

A scheme with ``s`` stages is its tableau: the strictly lower-triangular matrix ``a`` (row ``i`` holds
the ``i`` weights of the earlier stages), the weights ``b`` and the nodes ``c``::

    k_i = f(y + dt * sum_j a[i][j] * k_j,  t + c[i] * dt)      i = 1 .. s
    y_next = y + dt * sum_i b[i] * k_i

Zero entries are skipped, so a stage costs only the terms it uses. ``Euler``, ``RK2`` (Heun) and
``RK4`` are this step with their tableaus (their own files); the other schemes of BrainPy 2.x's
``explicit_rk`` module live here: the midpoint rule, Ralston's second-, third- and fourth-order
methods, Kutta's third-order method (BrainPy's ``rk3``), Heun's third-order method, the strong
stability preserving SSPRK(3,3), the 3/8 rule, and the generic second-order family ``GenericRK2(beta)``
(BrainPy's ``rk2``, ``beta = 2/3`` by default: Ralston's method).
"""

from __future__ import annotations

from typing import Any

from ..errors import is_bool
from .base import AbstractIntegrator, PyTree, VectorField, _as_arrays, _combine, _eval

Row = tuple[float, ...]


class ExplicitRK(AbstractIntegrator):
    """An explicit Runge-Kutta scheme: subclasses give the tableau ``a``, ``b``, ``c`` (and ``name``, ``order``).

    Works on any pytree state (one array, the tuple of a joint equation, a dict), like every integrator.

    >>> from brainbatch.integrators import Ralston3
    >>> y = Ralston3().step(lambda y, t: -y, 1.0, 0.0, 0.1)
    >>> round(float(y), 6)  # exp(-0.1) = 0.904837..., third order: 1 - h + h^2/2 - h^3/6
    0.904833
    """

    #: rows of the strictly lower-triangular matrix: ``a[i]`` has ``i`` entries
    a: tuple[Row, ...] = ()
    #: the weights of the stages in the step
    b: Row = ()
    #: the nodes: stage ``i`` is evaluated at ``t + c[i] * dt``
    c: Row = ()

    def step(self, f: VectorField, y: PyTree, t: Any, dt: Any, *args: Any) -> PyTree:
        y = _as_arrays(y)
        ks: list[PyTree] = []
        for row, node in zip(self.a, self.c):
            terms = [(w, k) for w, k in zip(row, ks) if w != 0]
            stage_y = _combine(y, dt, terms) if terms else y
            stage_t = t if node == 0 else (t + dt if node == 1 else t + node * dt)
            ks.append(_eval(f, stage_y, stage_t, args))
        return _combine(y, dt, [(w, k) for w, k in zip(self.b, ks) if w != 0])


class Midpoint(ExplicitRK):
    """The explicit midpoint rule: the slope at a half Euler step carries the whole step. Second order.

    >>> from brainbatch.integrators import Midpoint
    >>> round(float(Midpoint().step(lambda y, t: -y, 1.0, 0.0, 0.1)), 6)  # 1 - h + h^2/2
    0.905
    """

    name = "midpoint"
    order = 2
    a = ((), (0.5,))
    b = (0.0, 1.0)
    c = (0.0, 0.5)


class Ralston2(ExplicitRK):
    """Ralston's second-order method (the two-stage scheme of least error bound): a stage at 2/3 of the step."""

    name = "ralston2"
    order = 2
    a = ((), (2 / 3,))
    b = (0.25, 0.75)
    c = (0.0, 2 / 3)


class GenericRK2(ExplicitRK):
    """The second-order family with its second stage at ``beta`` of the step: BrainPy's ``rk2`` (``beta=2/3``).

    Weights ``1 - 1/(2 beta)`` and ``1/(2 beta)``: ``beta=1/2`` is the midpoint rule, ``1`` Heun's
    method, ``2/3`` Ralston's. Not registered by name (it has a parameter); pass an instance.

    >>> from brainbatch.integrators import GenericRK2, Ralston2
    >>> GenericRK2().b == Ralston2.b
    True
    """

    name = "rk2_beta"
    order = 2

    def __init__(self, beta: float = 2 / 3) -> None:
        try:  # a number of any kind (a 0-d array too), never text or a bool
            value = None if isinstance(beta, (str, bytes)) or is_bool(beta) else float(beta)
        except (TypeError, ValueError):
            value = None
        if value is None or not 0 < value < float("inf"):
            raise ValueError(f"GenericRK2: beta must be positive and finite, got {beta!r}")
        beta = value
        self.beta = beta
        self.a = ((), (beta,))
        self.b = (1 - 1 / (2 * beta), 1 / (2 * beta))
        self.c = (0.0, beta)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.beta == other.beta

    def __hash__(self) -> int:
        return hash((type(self), self.beta))

    def __repr__(self) -> str:
        return f"GenericRK2(beta={self.beta!r})"


class Kutta3(ExplicitRK):
    """Kutta's third-order method (BrainPy's ``rk3``): stages at 0, 1/2 and 1, weights 1/6, 2/3, 1/6."""

    name = "kutta3"
    order = 3
    a = ((), (0.5,), (-1.0, 2.0))
    b = (1 / 6, 2 / 3, 1 / 6)
    c = (0.0, 0.5, 1.0)


class Heun3(ExplicitRK):
    """Heun's third-order method: stages at 0, 1/3 and 2/3, weights 1/4, 0, 3/4."""

    name = "heun3"
    order = 3
    a = ((), (1 / 3,), (0.0, 2 / 3))
    b = (0.25, 0.0, 0.75)
    c = (0.0, 1 / 3, 2 / 3)


class Ralston3(ExplicitRK):
    """Ralston's third-order method (least error bound among three stages): stages at 0, 1/2, 3/4."""

    name = "ralston3"
    order = 3
    a = ((), (0.5,), (0.0, 0.75))
    b = (2 / 9, 1 / 3, 4 / 9)
    c = (0.0, 0.5, 0.75)


class SSPRK3(ExplicitRK):
    """The strong stability preserving third-order scheme SSPRK(3,3) of Shu and Osher (BrainPy's ``ssprk3``)."""

    name = "ssp_rk3"
    order = 3
    a = ((), (1.0,), (0.25, 0.25))
    b = (1 / 6, 1 / 6, 2 / 3)
    c = (0.0, 1.0, 0.5)


class Ralston4(ExplicitRK):
    """Ralston's fourth-order method (least truncation error), with the 8-digit coefficients BrainPy 2.x uses.

    The exact coefficients involve sqrt(5); the published 8-digit ones keep every row sum exact and
    meet the order conditions to about 1e-8, far below float32's resolution.
    """

    name = "ralston4"
    order = 4
    a = ((), (0.4,), (0.29697761, 0.15875964), (0.21810040, -3.05096516, 3.83286476))
    b = (0.17476028, -0.55148066, 1.20553560, 0.17118478)
    c = (0.0, 0.4, 0.45573725, 1.0)


class RK4Rule38(ExplicitRK):
    """Kutta's 3/8 rule: fourth order, stages at 0, 1/3, 2/3 and 1, weights 1/8, 3/8, 3/8, 1/8."""

    name = "rk4_38rule"
    order = 4
    a = ((), (1 / 3,), (-1 / 3, 1.0), (1.0, -1.0, 1.0))
    b = (0.125, 0.375, 0.375, 0.125)
    c = (0.0, 1 / 3, 2 / 3, 1.0)


#: The schemes of this module registered by name (``GenericRK2`` takes a parameter, so it is not).
TABLEAU_SCHEMES: tuple[type[ExplicitRK], ...] = (Midpoint, Ralston2, Kutta3, Heun3, Ralston3, SSPRK3, Ralston4,
                                                 RK4Rule38)
