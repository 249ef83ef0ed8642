"""One step, the phases of docs/step-order.md: deliver, dynamics, after-update hooks, delays record, inputs clear."""
import jax.numpy as jnp
import numpy as np

import brainbatch as bb


def test_deliver_children_run_before_dynamics_whatever_the_order_given(toys):
    log = []

    class LoggedLeaky(toys.Leaky):
        def update(self, x=0.0):
            log.append(("dyn", float(self.input.value[0])))
            super().update()

    E = LoggedLeaky(2, a=0.0)
    push = toys.Pusher(E, log, amount=3.0, name="push")
    net = bb.Network(E, push)  # dynamics given first
    assert list(net.children()) == ["push", "LoggedLeaky0"]
    net.step_run(0)
    # the pusher ran first, so the group integrated the delivered input in the same step
    assert log == [("push", "push"), ("dyn", 3.0)]
    np.testing.assert_array_equal(E.V.value, [3.0, 3.0])
    # inputs are cleared at the end of the step
    np.testing.assert_array_equal(E.input.value, [0.0, 0.0])


def test_phase_four_hooks_then_delays_then_clear(toys):
    seen = {}
    E = toys.Counter(2)
    E.input = bb.Variable(jnp.zeros(2))
    E.register_delay("d", 1, E.n)
    other = toys.Counter(1)
    net = bb.Network(E=E, other=other)

    def hook():
        # after every update of the step (the other group too), before delays record; E's input was
        # consumed (cleared) when E's update returned
        seen["other_n"] = float(other.n.value[0])
        seen["buffer"] = float(E.get_delay_buffer("n").data.value[0, 0])
        seen["input"] = float(E.input.value[0])
        E.n.value = E.n.value + 100.0  # what the hook writes is what the delay records

    E.add_aft_update("h", hook)
    E.input.value = jnp.ones(2)
    net.step_run(0)
    assert seen == {"other_n": 1.0, "buffer": 0.0, "input": 0.0}
    assert float(E.get_delay_buffer("n").data.value[0, 0]) == 101.0
    assert float(E.input.value[0]) == 0.0


def test_step_context_is_readable_in_update_and_restored(toys):
    seen = []

    class Clock(bb.DynamicalSystem):
        def update(self):
            seen.append((share_i(), share_t(), bb.share.dt))

    def share_i():
        return int(bb.share.i)

    def share_t():
        return float(bb.share.t)

    bb.set_dt(0.25)
    c = Clock()
    for i in range(3):
        c.step_run(i)
    assert seen == [(0, 0.0, 0.25), (1, 0.25, 0.25), (2, 0.5, 0.25)]
    with bb.environment(t0=10.0, dt=0.5):
        c.step_run(2)
        assert bb.share.dt == 0.5
    assert seen[-1] == (2, 11.0, 0.5)
    assert bb.get_dt() == 0.25
    assert bb.share.load("t") == 0.0 and bb.share.load("nothing", 7) == 7


def test_lone_group_step_run_runs_every_phase(toys):
    g = toys.Leaky(2, a=1.0)
    g.register_delay("d", 2, g.V)
    g.add_inp_fun("one", 1.0)
    for i in range(4):
        g.input.value = jnp.full(2, 10.0)
        g.step_run(i)
    # V grows by 11 per step; inputs cleared; the delay (2 steps) read as if during step 4 -> end of step 2
    np.testing.assert_array_equal(g.V.value, [44.0, 44.0])
    np.testing.assert_array_equal(g.input.value, [0.0, 0.0])
    np.testing.assert_array_equal(g.get_delay_data("d", 2), [33.0, 33.0])
