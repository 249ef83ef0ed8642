"""Every way of delivering input reaches the neuron exactly once (issue 20, items 1-2).

Each source adds its own power of two per step, so the per-step total a neuron integrates says which
sources arrived and how many times. A source that runs before the neuron in the step counts in that
step; one that runs after it (a later "dynamics" node, an after-update hook) counts in the next step,
with a LateInputWarning; an input registered with add_inp_fun that the neuron never sums is an error
when the step is traced. Nothing is zeroed unseen, whatever the phase or the attribute order.
"""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch import InputNotReadError, LateInputWarning

N_STEPS = 6


class Sink(bb.NeuGroup):
    """``got`` is what this step brought: input + current inputs + delta inputs."""

    def __init__(self, **kw):
        super().__init__(1, **kw)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("input", 0.0, batch_size=batch_size)
        self.init_variable("got", 0.0, batch_size=batch_size)

    def update(self):
        self.got.value = self.input.value + self.sum_current_inputs() + self.sum_delta_inputs()


class Writer(bb.DynamicalSystem):
    """``target.input += amount`` in its own update (phase given per instance)."""

    def __init__(self, target, amount, phase="dynamics", **kw):
        super().__init__(**kw)
        self.update_phase = phase
        self._target, self.amount = target, amount

    def update(self):
        self._target.input.value = self._target.input.value + self.amount


def received(net, sink, inputs=()):
    runner = bb.Runner(net, monitors={"got": "sink.got"}, inputs=inputs, progress_bar=False)
    return runner.run(N_STEPS * 0.1)["got"][:, 0]


@pytest.mark.parametrize("sink_first", [True, False])
def test_each_source_arrives_once_per_step_in_any_attribute_order(sink_first):
    sink = Sink()
    deliver = Writer(sink, 1.0, phase="deliver")  # a projection-like node
    sink.add_inp_fun("current", lambda: 4.0)
    sink.add_inp_fun("delta", lambda: 8.0, category="delta")
    sink.add_aft_update("hook", lambda: sink.input.update(sink.input.value + 16.0))
    early, late = Writer(sink, 32.0), Writer(sink, 64.0)  # dynamics-phase writers before / after the sink
    nodes = dict(early=early, sink=sink, late=late, deliver=deliver) if sink_first is False else \
        dict(deliver=deliver, sink=sink, late=late, early=early)
    net = bb.Network(**nodes)
    with pytest.warns(LateInputWarning, match="next step"):
        got = received(net, sink, inputs=[("sink.input", 2.0)])
    now = 1 + 2 + 4 + 8 + (32 if not sink_first else 0)  # what runs before the sink counts at once
    later = 16 + 64 + (32 if sink_first else 0)  # what runs after it counts in the next step
    np.testing.assert_array_equal(got, [now] + [now + later] * (N_STEPS - 1))
    # the last step's late input is kept for a continuation, not lost
    assert float(sink.input.value[0]) == later


def test_a_registered_input_the_update_never_sums_is_an_error_at_trace_time():
    class Deaf(Sink):
        def update(self):
            self.got.value = self.input.value  # reads input only, never sum_current_inputs()

    sink = Deaf()
    sink.add_inp_fun("syn", lambda: 1.0)
    with pytest.raises(InputNotReadError, match=r"Deaf.*\(syn\).*never summed.*sum_current_inputs"):
        received(bb.Network(sink=sink), sink)


def test_an_input_on_a_node_that_is_not_updated_is_an_error():
    sink, stray = Sink(), Sink()
    stray.add_inp_fun("syn", lambda: 1.0)

    class OnlySink(bb.Network):
        def update(self):
            self.sink()

    with pytest.raises(InputNotReadError, match="did not run in this step"):
        received(OnlySink(sink=sink, stray=stray), sink)


def test_projection_currents_and_delta_projections_reach_builtin_neurons_once():
    # one presynaptic spike at step 0 through a CUBA projection (g jumps by w and stays) and a
    # Delta projection (V jumps by w): the neuron (leak negligible: tau = 1e6 ms) integrates each once
    pre = bb.LIF(1, V_rest=0.0, V_reset=0.0, V_th=1.0, tau=1e6, V_initializer=bb.Constant(2.0))
    post = bb.LIF(1, V_rest=0.0, V_reset=0.0, V_th=1e9, tau=1e6, V_initializer=bb.Constant(0.0))
    cuba = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(1e9), bb.CUBA(), weight=0.5e6)
    jump = bb.Projection(pre, post, bb.AllToAll(), bb.Delta(), weight=0.25)
    net = bb.Network(cuba=cuba, jump=jump, pre=pre, post=post)
    V = bb.Runner(net, monitors=["post.V"], progress_bar=False).run(0.4)["post.V"][:, 0]
    # pre spikes in step 0; both projections deliver in step 1: V jumps 0.25 and gains g dt / tau = 0.05 a step
    dt = 0.1
    expected = [0.0, 0.25 + 0.5 * dt, 0.25 + 2 * 0.5 * dt, 0.25 + 3 * 0.5 * dt]  # 0.5 = 0.5e6 / 1e6
    np.testing.assert_allclose(V, expected, rtol=1e-4)
