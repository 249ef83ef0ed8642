"""What ``vars()``/``nodes()`` return and what ``bp.odeint``/``bp.sdeint`` return, as BrainPy 2.8.2's "BrainPyObject
and Collector" tutorial (docs/tutorial_advanced/base_and_collector.ipynb) and its ODE solver tutorial
(docs/tutorial_toolbox/ode_numerical_solvers.ipynb) use them. BrainPy 2.8.2, that notebook:

    fhn = FHN(10)                    # a BrainPyObject with self.integral = bp.odeint(method='rk4', f=self.derivative)
    fhn.nodes().keys()               # dict_keys(['FHN2', 'RK44']): "note: integrator is also a node"
    fhn.nodes().subset(bp.integrators.Integrator)   # {'RK44': <...RK4 ...>}
    net.nodes(method='relative')     # {'': ..., 'pre': ..., 'post': ..., 'pre.integral': RK4, 'post.integral': RK4}
    type(fhn.vars())                 # ArrayCollector; type(fhn.nodes()): Collector
    isinstance(bp.odeint(f), bp.ode.ODEIntegrator)  # True; .dt 0.1
"""
import subprocess
import sys

import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class FHN(bp.BrainPyObject):
    def __init__(self, num, a=0.7, b=0.8, tau=12.5, name=None):
        super().__init__(name=name)
        self.a, self.b, self.tau = a, b, tau
        self.V = bm.Variable(bm.zeros(num))
        self.w = bm.Variable(bm.zeros(num))
        self.integral = bp.odeint(method='rk4', f=self.derivative)

    def derivative(self, V, w, t, Iext):
        return V - V * V * V / 3 - w + Iext, (V + self.a - self.b * w) / self.tau

    def update(self, x=0.5):
        self.V.value, self.w.value = self.integral(self.V, self.w, bp.share['t'], x)


def test_vars_and_nodes_return_brainpys_collectors_with_their_methods():
    g = bp.neurons.LIF(2)
    held, nodes = g.vars(), g.nodes()
    assert type(held) is bp.ArrayCollector and type(nodes) is bp.Collector and type(g.train_vars()) is bp.ArrayCollector
    assert list(held.dict()) == list(held) and held.dict()["V"].tolist() == held["V"].value.tolist()
    assert held.data()[0].tolist() == held["V"].value.tolist()
    other = bm.Variable(bm.ones(1))
    merged = held + {"x": other}
    assert list(merged)[-1] == "x" and "x" not in held and type(merged) is bp.ArrayCollector
    with pytest.raises(ValueError, match='Name "V" conflicts'):
        held + {"V": other}  # the same name, another object: BrainPy refuses
    assert list(held - ["V"])[0] == "input" and "V" not in held - [held["V"]]  # by name or by object
    assert list(held - {"V": held["V"]})[0] == "input"
    with pytest.raises(ValueError, match="Cannot remove V, because we got two different values"):
        held - {"V": other}
    assert list(nodes.include(type(g))) == [""] and list(nodes.exclude(type(g))) == []
    copy = bp.Collector(held)
    copy.replace("V", other)
    assert copy["V"] is other and held["V"] is not other
    assert list(bp.Collector().update([other, other])) == ["_var0", "_var1"]  # a list: BrainPy's _var<i> names
    assert repr(bp.Collector(a=1)) == "{'a': 1}"  # printed as a dict, as BrainPy's


def test_an_odeint_integral_is_a_node_of_its_owner_with_brainpys_attributes():
    fhn = FHN(3)
    intg = fhn.integral
    assert isinstance(intg, bp.ode.ODEIntegrator) and isinstance(intg, bp.integrators.Integrator)
    assert type(intg) is bp.ode.RK4 and intg.name.startswith("RK4") and not isinstance(intg, bp.DynamicalSystem)
    assert list(fhn.nodes()) == ["", "integral"] and fhn.nodes()["integral"] is intg
    assert list(fhn.nodes("absolute")) == [fhn.name, intg.name]
    assert list(fhn.nodes().subset(bp.integrators.Integrator).values()) == [intg]
    assert list(fhn.nodes().subset(bp.DynamicalSystem)) == [""]
    assert intg.f == fhn.derivative and intg.dt == 0.1 and intg.integral is not None
    assert intg.variables == ["V", "w"] and intg.parameters == ["t", "Iext"]
    assert intg.arguments == ["V", "w", "t", "Iext", "dt=0.1"]
    with pytest.raises(ValueError, match='Cannot set "dt"'):
        intg.dt = 0.2
    assert list(fhn.vars()) == ["V", "w"]  # an integrator holds no Variable


def test_integrators_are_called_as_before_and_a_network_never_steps_one():
    class Net(bp.DynSysGroup):  # no update of its own: the Network steps its children, not its integral
        def __init__(self):
            super().__init__()
            self.fhn = FHN(2)
            self.integral = bp.odeint(lambda x, t: -x)

    net = Net()
    assert "integral" in net.nodes() and "fhn.integral" in net.nodes()
    runner = bp.DSRunner(net, monitors=["fhn.V"], progress_bar=False)
    runner.run(1.0)
    V = np.zeros(2, np.float32)
    w = np.zeros(2, np.float32)
    by_hand = FHN(2).integral  # the same scheme called step by step from Python
    for i in range(10):
        V, w = by_hand(V, w, i * 0.1, 0.5)
    np.testing.assert_allclose(runner.mon["fhn.V"][-1], np.asarray(V), rtol=1e-5)
    jitted = bm.jit(bp.odeint(lambda v, t, tau: -v / tau, method="exp_auto"))
    assert round(float(jitted(1.0, 0.0, 10.0, dt=0.1)), 5) == 0.99005

    class Decay(bp.DynamicalSystem):  # a derivative reading its model's Variable: bm.jit threads that Variable
        def __init__(self):
            super().__init__()
            self.k = bm.Variable(bm.ones(1))
            self.integral = bp.odeint(self.derivative)

        def derivative(self, x, t):
            return -self.k.value * x

    model = Decay()
    step = bm.jit(model.integral)
    assert step(bm.ones(1), 0.0).tolist() == pytest.approx([0.9])
    model.k.value = bm.ones(1) * 5.0
    assert step(bm.ones(1), 0.0).tolist() == pytest.approx([0.5])  # not the k it was traced with


def test_the_integrator_classes_of_bp_ode_and_bp_sde():
    @bp.ode.RK4
    def int_v(v, t, p):
        return -v * p

    assert type(int_v) is bp.ode.RK4 and int_v.variables == ["v"]
    made = bp.ode.RK4(lambda v, t, p: -v * p, dt=0.01)
    assert made.dt == 0.01 and float(made(1.0, 0.0, 2.0)) == pytest.approx(float(np.exp(-0.02)), rel=1e-6)
    assert type(bp.odeint(lambda v, t: -v, method="exp_auto")) is bp.ode.ExponentialEuler
    assert type(bp.odeint(lambda v, t: -v, method="rk2", beta=0.5)) is bp.ode.RK2
    with pytest.raises(TypeError, match="bp.ode.ODEIntegrator is the base"):
        bp.ode.ODEIntegrator(lambda v, t: -v)
    with pytest.raises(AttributeError, match="adaptive Runge-Kutta"):
        bp.ode.RKF45  # noqa: B018
    noisy = bp.sdeint(lambda x, t: -x, lambda x, t: 0.1 * x, method="milstein")
    assert type(noisy) is bp.sde.Milstein and isinstance(noisy, bp.sde.SDEIntegrator)
    assert noisy.g(2.0, 0.0) == pytest.approx(0.2) and noisy.intg_type == "Ito" and noisy.parameters == ["t"]
    heun = bp.sdeint(lambda x, t: -x, lambda x, t: 0.1, method="heun", intg_type=bp.integrators.STRA_SDE)
    assert type(heun) is bp.sde.Heun and bp.integrators.ode is bp.ode and bp.integrators.sde is bp.sde


def test_filled_arrays_and_draws_follow_jax_x64_as_brainpys():
    # BrainPy's bm.ones(3) is jnp.ones(3): float64 under jax_enable_x64 (float32 here before). A child process: the
    # flag is global to JAX
    code = ("import jax; jax.config.update('jax_enable_x64', True)\n"
            "import brainbatch.brainpy.math as bm\n"
            "print(bm.ones(3).dtype, bm.zeros(2).dtype, bm.full(2, 1.).dtype, bm.empty(2).dtype, "
            "bm.random.rand(2).dtype, bm.ones(2, dtype=int).dtype)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["float64"] * 5 + ["int64"]
    assert bm.ones(3).dtype == np.float32 and bm.random.rand(2).dtype == np.float32  # without x64: float32


def test_an_integral_object_keeps_the_signature_and_name_of_its_function():
    """Integrals were functions wrapping f (functools.wraps) before they became objects: code reading
    inspect.signature(intg) or intg.__name__, or jitting it with static_argnames, saw (*args, **kwargs) and an
    AttributeError instead."""
    import inspect

    import jax

    def dv(V, t, I, tau=10.0):
        return (-V + I) / tau

    intg = bp.odeint(dv, method="rk4", dt=0.1)
    assert str(inspect.signature(intg)) == "(V, t, I, tau=10.0)" and intg.__name__ == "dv"
    assert inspect.unwrap(intg) is dv
    stepped = jax.jit(intg, static_argnames="tau")(1.0, 0.0, 2.0, tau=5.0)
    assert float(stepped) == pytest.approx(float(intg(1.0, 0.0, 2.0, tau=5.0)), rel=1e-6)
    noisy = bp.sdeint(lambda x, t, s: -x, lambda x, t, s: s)
    assert list(inspect.signature(noisy).parameters) == ["x", "t", "s"]


def test_a_synapse_keeps_brainpys_method_name():
    # bp.dyn.Expon(method='euler').method read 'exact' (the native Exponential's own method, set after BrainPy's)
    import brainbatch.brainpy as bp

    assert [bp.dyn.Expon(3, method=m).method for m in ("euler", "exp_auto", "rk2")] == ["euler", "exp_auto", "rk2"]
