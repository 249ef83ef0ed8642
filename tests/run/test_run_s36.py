"""A demanding user of the runner and the core (session 36): a loaded state keeps its delay history, a start over
equals a new Runner, a node in two Networks, a continued run of another dt keeps its delays in time, indexed writes."""
import jax.numpy as jnp
import pytest
import numpy as np

import brainbatch as bb


class Count(bb.NeuGroup):
    """x gains 1 each step: its value at the end of step i is i + 1 (from 0)."""

    def __init__(self, n=2):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0, batch_size=batch_size)

    def update(self):
        self.x.value = self.x.value + 1.0


class Reader(bb.DynamicalSystem):
    """Reads its source's x 2 steps ago (y) and 1 and 3 steps ago per element (y2), by register_delay."""

    def __init__(self, src):
        super().__init__()
        self.register_delay("xd", 3, src.x)
        self.y = bb.Variable(jnp.zeros(2))
        self.y2 = bb.Variable(jnp.zeros(2))

    def update(self):
        self.y.value = self.get_delay_data("xd", 2)
        self.y2.value = self.get_delay_data("xd", jnp.array([1, 3]))


class Delayed(bb.Network):
    def __init__(self):
        super().__init__()
        self.c = Count()
        self.r = Reader(self.c)


def _runner(net, **kw):
    return bb.Runner(net, monitors=["r.y", "r.y2", "c.x"], dt=1.0, progress_bar=False, **kw)


def test_a_loaded_state_keeps_its_delay_history_in_a_new_runner():
    # A state saved after 6 steps, loaded into a new model that a new (default) Runner runs: its delay buffer's
    # history was overwritten by the loaded x (the rule for a value set by hand without a history), so the reads
    # 2 and 3 steps back gave x's value at the hand-over (6) in place of what the buffer held (4, 3).
    net = Delayed()
    runner = _runner(net)
    runner.run(6.0)
    saved = {path: np.asarray(value) for path, value in net.state_dict().items()}
    assert "c.x_delay.data" in saved
    on = runner.run(3.0)  # one long run: steps 6, 7, 8
    np.testing.assert_array_equal(on["r.y"][:, 0], [5.0, 6.0, 7.0])  # x at the end of step i - 2 is i - 1
    np.testing.assert_array_equal(on["r.y2"], [[6.0, 4.0], [7.0, 5.0], [8.0, 6.0]])
    for reset in (True, False):
        other = Delayed()
        other.load_state_dict(saved)
        out = _runner(other, reset=reset).run(3.0)
        for name in ("r.y", "r.y2", "c.x"):
            np.testing.assert_array_equal(out[name], on[name], err_msg=f"{name}, reset={reset}")


class Tally(bb.DynamicalSystem):
    """A Variable made in __init__ that no reset_state writes (BrainPy's reset leaves it as it is)."""

    def __init__(self):
        super().__init__()
        self.y = bb.Variable(jnp.zeros(2))

    def update(self):
        self.y.value = self.y.value + 1.0


def test_a_start_over_equals_a_new_runner_for_a_variable_no_reset_writes():
    # run(reset=True) started y from the value it had when this Runner first compiled (0), a new Runner from
    # its value now (3): two "fresh runs of that seed" that differed (docs/random.md, "Continuing"), and a
    # later run(reset=True) went back to a stale value set by hand long before
    model = Tally()
    runner = bb.Runner(model, monitors=["y"], dt=1.0, progress_bar=False)
    np.testing.assert_array_equal(runner.run(3.0)["y"][:, 0], [1.0, 2.0, 3.0])
    again = runner.run(2.0, reset=True)["y"][:, 0]
    model.y.value = jnp.full(2, 10.0)  # as set before a new Runner's first run: kept
    new = bb.Runner(model, monitors=["y"], dt=1.0, progress_bar=False).run(2.0)["y"][:, 0]
    np.testing.assert_array_equal(again, [4.0, 5.0])  # as BrainPy's reset: what no reset_state writes stays
    np.testing.assert_array_equal(new, [11.0, 12.0])
    np.testing.assert_array_equal(runner.run(2.0, reset=True)["y"][:, 0], [13.0, 14.0])


def test_a_node_in_two_networks_is_refused_not_stepped_twice():
    # outer.E and outer.sub.E2 are one group: both Networks stepped it, so x gained 2 per step ([2, 4, 6]) silently
    group = Count(1)
    outer = bb.Network(E=group, sub=bb.Network(E2=group))
    runner = bb.Runner(outer, monitors=["E.x"], dt=1.0, progress_bar=False)
    with pytest.raises(ValueError, match=r"^Count 'Count\d+' is a child of two Networks \(the root and 'sub', as "
                                         r"'E2'\), so it would be stepped twice in every step; .* under a name "
                                         r"starting with '_' \(self._E2 = ...\)"):
        runner.run(3.0)


def test_a_network_a_custom_update_calls_twice_steps_its_children_twice():
    # substeps on purpose (one Network called twice in a step) are not the shared-child mistake above
    class Twice(bb.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.inner = bb.Network(c=Count(1))

        def update(self):
            self.inner()
            self.inner()

    out = bb.Runner(Twice(), monitors=["inner.c.x"], dt=1.0, progress_bar=False).run(2.0)
    np.testing.assert_array_equal(out["inner.c.x"][:, 0], [2.0, 4.0])


def test_an_indexed_write_of_the_wrong_shape_names_the_variable():
    # JAX's "Incompatible types for broadcasting: input type=float32[3] and requested type=float32[2]" named no
    # Variable and no index
    group = Count(4)
    with pytest.raises(ValueError, match=r"^cannot assign a value of shape \(3,\) to Variable 'x' of Count\d+ at index "
                                         r"slice\(0, 2, None\), which selects shape \(2,\): give one value or one per "
                                         r"selected element$"):
        group.x[0:2] = jnp.array([1.0, 2.0, 3.0])
    group.x[0:2] = jnp.array([1.0, 2.0])
    group.x[3] = 5.0
    np.testing.assert_array_equal(group.x.value, [1.0, 2.0, 0.0, 5.0])


class Ramp(bb.NeuGroup):
    """x is the time at the end of each step; y reads x 1 ms ago (register_local_delay, in ms)."""

    def __init__(self):
        super().__init__(1)
        self.reset_state()
        self.register_local_delay("x", "d", 1.0)

    def reset_state(self, batch_size=None):
        self.init_variable("x", 0.0)
        self.init_variable("y", 0.0)

    def update(self):
        self.y.value = self.get_local_delay("x", "d")
        self.x.value = self.x.value + bb.share.dt


@pytest.mark.parametrize(("dt", "atol"), [(0.2, 0.0), (0.05, 0.05)])
def test_a_runner_of_another_dt_goes_on_with_the_delay_in_time(dt, atol):
    # The buffer held 10 rows of 0.1 ms; a Runner of 0.2 ms going on from it read its 1 ms delay as 5 of those
    # rows (0.5 ms: y = 1.6, 1.7, ... beside x = 2.2, 2.4, ...). Now the history is recounted in steps of the new
    # dt, as the step indices are: y is x 1 ms before each step (during step i, x at the end of step i - 1/dt), to
    # the nearest recorded row where the history is coarser than the new dt (0.05 ms steps in 0.1 ms rows)
    with bb.environment(dt=0.1):
        model = Ramp()
    bb.Runner(model, monitors=["x"], dt=0.1, progress_bar=False).run(2.0)
    out = bb.Runner(model, monitors=["x", "y"], dt=dt, progress_bar=False, reset=False).run(0.4)
    starts = 2.0 + dt * np.arange(round(0.4 / dt))
    np.testing.assert_allclose(out["x"][:, 0], starts + dt, rtol=1e-6)
    np.testing.assert_allclose(out["y"][:, 0], starts + dt - 1.0, rtol=1e-6, atol=atol + 1e-6)


def test_net_reset_state_starts_a_projections_synapse_over_as_a_graph_reset_does():
    # a trial loop by hand (net.reset_state() between trials): the projection's own reset_state drew its graph but left
    # its synapse's g as the last trial ended, where net.reset() (and every run) puts it back
    E, I = bb.LIF(4), bb.LIF(3)
    P = bb.Projection(E, I, bb.AllToAll(), bb.Exponential(tau=5.0), bb.CUBA(), weight=1.0)
    net = bb.Network(E=E, I=I, P=P)
    net.reset()
    fresh = {path: np.asarray(v.value) for path, v in net.vars().items()}
    for reset in (net.reset_state, P.reset_state, net.reset):
        P.syn.g.value = jnp.ones_like(P.syn.g.value)
        reset()
        np.testing.assert_array_equal(np.asarray(P.syn.g.value), fresh["P.syn.g"], err_msg=str(reset))
    np.testing.assert_array_equal(np.asarray(P.targets.value), fresh["P.targets"])  # the same graph: the same key
