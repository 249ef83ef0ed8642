"""Toy models shared by the core tests (exposed as fixtures; see ``toys``)."""
import types

import jax
import jax.numpy as jnp
import pytest

import brainbatch as bb


class Leaky(bb.NeuGroup):
    """A leaky integrator: V <- a*V + input + current inputs; then delta inputs are added."""

    def __init__(self, size=3, a=0.5, **kw):
        super().__init__(size, **kw)
        self.a = a
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("V", 0.0, batch_size=batch_size, units="mV")
        self.init_variable("input", 0.0, batch_size=batch_size)

    def update(self, x=0.0):
        self.V.value = self.a * self.V.value + self.input.value + x + self.sum_current_inputs(self.V.value)
        self.V.value = self.V.value + self.sum_delta_inputs()


class Counter(bb.NeuGroup):
    """``n`` equals k+1 at the end of step k (0 at reset): the value n steps ago is known exactly."""

    def __init__(self, size=3, **kw):
        super().__init__(size, **kw)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("n", 0.0, batch_size=batch_size)

    def update(self):
        self.n.value = self.n.value + 1.0


class Noise(bb.NeuGroup):
    """Draws uniform numbers from its own step stream each step."""

    def __init__(self, size=4, **kw):
        super().__init__(size, **kw)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)
        self.init_variable("x0", bb.Uniform(0.0, 1.0), batch_size=batch_size)

    def update(self):
        self.x.value = jax.random.uniform(self.step_key(), self.x.shape)


class Pusher(bb.DynamicalSystem):
    """A deliver-phase node that writes into a target's ``input`` and records when it ran."""

    update_phase = "deliver"

    def __init__(self, target, log, amount=1.0, **kw):
        super().__init__(**kw)
        self._target = target  # a reference, not a child
        self._log = log
        self.amount = amount

    def update(self):
        self._log.append(("push", self.name))
        self._target.input.value = self._target.input.value + self.amount


@pytest.fixture
def toys():
    return types.SimpleNamespace(Leaky=Leaky, Counter=Counter, Noise=Noise, Pusher=Pusher)


def has_tracer(x) -> bool:
    return any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree_util.tree_leaves(x))


@pytest.fixture
def no_tracers():
    """``check(system)`` asserts no Variable of the graph and no step-context value holds a tracer."""

    def check(*systems):
        for system in systems:
            for path, var in system.vars().items():
                assert not isinstance(var._value, jax.core.Tracer), f"{path} holds a tracer"
        for key, value in bb.share.snapshot().items():
            assert not has_tracer(value), f"share.{key} holds a tracer"

    return check


@pytest.fixture(autouse=True)
def _clean_share():
    snap = bb.share.snapshot()
    yield
    bb.share.restore(snap)


def jnp_equal(a, b) -> bool:
    return bool(jnp.array_equal(jnp.asarray(a), jnp.asarray(b)))
