"""Fixtures for the integrator tests."""

from collections.abc import Iterator

import jax
import pytest

from brainbatch.integrators import RK2, RK4, AbstractIntegrator, Euler, ExponentialEuler

ALL_INTEGRATORS = [Euler(), ExponentialEuler(), RK2(), RK4()]


@pytest.fixture
def x64() -> Iterator[None]:
    """float64 for one test; the previous setting comes back afterwards."""
    with jax.enable_x64(True):
        yield


@pytest.fixture(params=ALL_INTEGRATORS, ids=lambda i: i.name)
def integrator(request: pytest.FixtureRequest) -> AbstractIntegrator:
    return request.param
