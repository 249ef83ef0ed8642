"""get_integrator, odeint, the docstring examples, and the layer's import rule."""

import ast
import pathlib

import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch.integrators as integrators
from brainbatch.integrators import (
    RK2,
    RK4,
    AbstractIntegrator,
    Euler,
    ExponentialEuler,
    get_integrator,
    odeint,
)

PACKAGE_DIR = pathlib.Path(integrators.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE_DIR.glob("*.py"))


@pytest.mark.parametrize(
    "name, cls",
    [
        ("euler", Euler),
        ("EULER", Euler),
        ("exp_euler", ExponentialEuler),
        ("Exponential_Euler", ExponentialEuler),
        (" rk2 ", RK2),
        ("RK4", RK4),
    ],
)
def test_names_case_insensitive(name, cls):
    assert type(get_integrator(name)) is cls


def test_instances_and_classes_pass_through():
    rk4 = RK4()
    assert get_integrator(rk4) is rk4
    assert get_integrator(Euler) == Euler()


def test_every_integrator_is_registered_and_declares_an_order():
    for cls in (Euler, ExponentialEuler, RK2, RK4):
        assert issubclass(cls, AbstractIntegrator)
        assert isinstance(cls.order, int) and cls.order >= 1
        assert type(get_integrator(cls.name)) is cls
    assert {c.name: c.order for c in (Euler, ExponentialEuler, RK2, RK4)} == {
        "euler": 1, "exp_euler": 1, "rk2": 2, "rk4": 4,
    }


def test_abstract_base_cannot_be_instantiated():
    with pytest.raises(TypeError):
        AbstractIntegrator()  # type: ignore[abstract]


@pytest.mark.parametrize("bad, suggestion", [("eulr", "euler"), ("exp-euler", "exp_euler"),
                                             ("rk44", "rk4"), ("expo_euler", "exp_euler")])
def test_unknown_name_suggests_closest(bad, suggestion):
    with pytest.raises(ValueError) as err:
        get_integrator(bad)
    message = str(err.value)
    assert repr(bad) in message
    assert f"Did you mean {suggestion!r}?" in message
    for allowed in ("euler", "exp_euler", "exponential_euler", "rk2", "rk4"):
        assert allowed in message


def test_unknown_name_without_close_match():
    with pytest.raises(ValueError, match="unknown integrator 'dopri8'") as err:
        get_integrator("dopri8")
    assert "Did you mean" not in str(err.value)


@pytest.mark.parametrize("bad", [None, 4, ["rk4"]])
def test_wrong_type_is_a_type_error(bad):
    with pytest.raises(TypeError, match=repr(bad).replace("[", r"\[").replace("]", r"\]")):
        get_integrator(bad)


def test_odeint_direct_and_decorator():
    def dv(v, t, tau, i):
        return (-v + i) / tau

    direct = odeint(dv, method="rk4")
    assert direct.integrator == RK4() and direct.f is dv and direct.__name__ == "dv"

    @odeint(method="Exponential_Euler")
    def integral(v, t, tau, i):
        return (-v + i) / tau

    v = integral(jnp.zeros(2, jnp.float32), 0.0, 5.0, 10.0, jnp.array([1.0, 2.0]))
    assert v.dtype == jnp.float32
    np.testing.assert_allclose(v, np.array([1.0, 2.0]) * -np.expm1(-0.5), rtol=1e-6)
    assert type(odeint(dv).integrator) is ExponentialEuler  # the BrainPy default


def test_odeint_checks_method_and_f_when_built():
    with pytest.raises(ValueError, match="Did you mean 'rk[24]'"):
        odeint(lambda y, t: -y, method="rk3")
    with pytest.raises(TypeError, match="method="):
        odeint("rk4")


@pytest.mark.parametrize("module", MODULES)
def test_imports_only_jax_numpy_stdlib(module):
    # The layer rule: integrators sit on top of JAX alone, never on the rest of brainbatch.
    import sys

    tree = ast.parse((PACKAGE_DIR / f"{module}.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside brainbatch.integrators
                continue
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            assert root in {"jax", "numpy"} or root in sys.stdlib_module_names, (module, root)


def test_odeint_reads_a_dt_with_a_unit_in_ms_and_names_one_of_another_dimension():
    import brainunit as u

    from brainbatch.core.units import UnitMismatch

    step = odeint(lambda v, t: -v, method="rk4")
    # a quantity failed inside brainunit ("Only dimensionless quantities can be converted to NumPy arrays")
    assert float(step(1.0, 0.0, 0.0001 * u.second)) == float(step(1.0, 0.0, 0.1))
    with pytest.raises(UnitMismatch, match=r"^odeint: dt takes a time \(ms\), got 0.1 mV \(a potential\)$"):
        step(1.0, 0.0, 0.1 * u.mV)
