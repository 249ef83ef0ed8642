"""A second ``run`` continues (BrainPy's DSRunner); ``reset=True`` starts over; a user's batch size stays."""
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
from brainbatch.run import Monitor, Runner


def test_two_runs_equal_one_long_run(noisy):
    whole = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, seed=4).run(30.0)
    runner = Runner(noisy(), monitors=["V", "spike"], progress_bar=False, seed=4)
    first, second = runner.run(10.0), runner.run(20.0)
    for name in ("V", "spike"):  # same state, same step keys: bitwise equal
        np.testing.assert_array_equal(np.concatenate([first[name], second[name]]), whole[name])
    np.testing.assert_allclose(second["ts"], whole["ts"][100:])
    assert runner.mon is second


def test_reset_true_starts_over_from_the_seed(noisy):
    runner = Runner(noisy(), monitors=["V"], progress_bar=False, seed=2)
    first = runner.run(5.0)
    runner.run(5.0)
    again = runner.run(5.0, reset=True)
    np.testing.assert_array_equal(again["V"], first["V"])
    np.testing.assert_allclose(again["ts"], first["ts"])


def test_edits_between_runs_are_picked_up(noisy):
    net = noisy()
    runner = Runner(net, monitors=["V"], progress_bar=False, dt=0.1)
    runner.run(1.0)
    net.V.value = jnp.full(net.V.shape, 0.5)
    net.drive = 0.5  # V stays at its fixed point but for the noise
    out = runner.run(0.1)
    assert abs(float(out["V"][0].mean()) - 0.5) < 0.3 * 3 / 4  # 3 sigma of the mean of 16 noise draws


def test_a_batch_size_set_by_reset_state_is_kept(noisy):
    net = noisy()
    net.reset_state(3)
    out = Runner(net, monitors=["V", "spike"], progress_bar=False).run(2.0)
    assert out["V"].shape == (3, 20, 16) and net.V.shape == (3, 16)
    assert not np.array_equal(out["V"][0], out["V"][1])


def test_reset_false_starts_from_the_current_values_and_monitor_times_continue():
    class Clock(bb.NeuGroup):
        def __init__(self):
            super().__init__(1)
            self.reset_state()

        def reset_state(self, batch_size=None):
            self.init_variable("x", 0.0, batch_size=batch_size)

        def update(self):
            self.x += bb.share.dt

    clock = Clock()
    clock.x.value = jnp.full(1, 10.0)
    runner = Runner(clock, monitors={"x": "x", "thin": Monitor("x", every=3)}, dt=1.0, reset=False,
                    progress_bar=False)
    first = runner.run(4.0)
    assert first["x"][:, 0].tolist() == [11.0, 12.0, 13.0, 14.0]
    second = runner.run(4.0)
    assert second["x"][:, 0].tolist() == [15.0, 16.0, 17.0, 18.0]
    assert second.times["thin"].tolist() == [6.0] and second["thin"][:, 0].tolist() == [17.0]
    assert runner.run(2.0, reset=True)["x"][:, 0].tolist() == [1.0, 2.0]


def test_a_new_runner_continuing_a_model_draws_noise_no_runner_drew_on_it(noisy):
    # A warm-up Runner, then a recording one made with reset=False: the recording Runner's steps count
    # from 0 again, and on the seed's own stream its noise would be the warm-up's again, draw for draw.
    # The noise is read off V: with drive = V = 0 and no spike, V' = V + 0.3 * noise exactly.
    def noise_of(runner, net, steps):
        out = []
        for _ in range(steps):
            before = np.asarray(net.V.value)
            runner.run(1.0)
            out.append((np.asarray(net.V.value) - before) / 0.3)
        return np.stack(out)

    def warm_then_record(seed):
        net = noisy(n=2000, drive=0.0)
        net.V.value = jnp.zeros(net.V.shape)
        warm = Runner(net, monitors=[], dt=1.0, seed=seed, reset=False, progress_bar=False)
        first = noise_of(warm, net, 3)
        net.V.value = jnp.zeros(net.V.shape)
        record = Runner(net, monitors=[], dt=1.0, seed=seed, reset=False, progress_bar=False)
        second = noise_of(record, net, 3)
        net.V.value = jnp.zeros(net.V.shape)
        third = noise_of(Runner(net, monitors=[], dt=1.0, seed=seed, reset=False, progress_bar=False), net, 3)
        return first, second, third

    first, second, third = warm_then_record(seed=5)
    # independent standard normal draws: their correlation is ~N(0, 1/6000), not the 1 of a replay
    for a, b in ((first, second), (first, third), (second, third)):
        assert abs(np.corrcoef(a.ravel(), b.ravel())[0, 1]) < 5 / np.sqrt(a.size)
    assert abs(second.mean()) < 5 / np.sqrt(second.size) and abs(second.std() - 1) < 5 / np.sqrt(2 * second.size)
    again = warm_then_record(seed=5)  # the same script, the same numbers
    for a, b in zip((first, second, third), again):
        np.testing.assert_array_equal(a, b)


def test_a_new_runner_starting_from_the_seed_equals_the_first_whatever_ran_before(noisy):
    net = noisy()
    first = Runner(net, monitors=["V", "spike"], progress_bar=False, seed=3).run(5.0)
    Runner(net, monitors=[], progress_bar=False, seed=3, reset=False).run(5.0)  # a continuing one between
    fresh = Runner(net, monitors=["V", "spike"], progress_bar=False, seed=3).run(5.0)
    for name in ("V", "spike"):
        np.testing.assert_array_equal(fresh[name], first[name])


def _lif_ref():
    return bb.LifRef(2, V_rest=0.0, V_reset=0.0, V_th=1.0, tau=10.0, tau_ref=5.0, I_bias=[1.5, 2.5])


def test_a_new_runner_continuing_a_model_keeps_its_refractory_periods():
    # The refractory rule counts steps since the last spike (i_last_spike). A Runner made with reset=False counts its
    # own steps from 0, so the model's step indices are moved onto its count: the neurons that spiked in steps 253
    # and 268 of the warm-up (both within the 50 steps of tau_ref of its end) stay refractory for the rest of their
    # 50 steps, not until the new Runner's count passes their old step indices.
    runner = Runner(_lif_ref(), monitors=["V", "spike"], dt=0.1, progress_bar=False)
    warm = runner.run(27.0)
    expected = [runner.run(30.0), runner.run(10.0)]
    assert np.flatnonzero(warm["spike"][:, 0])[-1] == 268 and np.flatnonzero(warm["spike"][:, 1])[-1] == 253
    model = _lif_ref()
    first = Runner(model, monitors=["V", "spike"], dt=0.1, progress_bar=False)
    first.run(27.0)
    got = [Runner(model, monitors=["V", "spike"], dt=0.1, t0=27.0, reset=False, progress_bar=False).run(30.0),
           first.run(10.0)]  # and the first Runner goes on, on its own count, after the other moved the model on
    for g, e in zip(got, expected):
        assert e["spike"].sum() >= 2
        np.testing.assert_array_equal(g["spike"], e["spike"])
        np.testing.assert_array_equal(g["V"], e["V"])


def test_brainpys_time_kept_refractory_goes_on_in_a_new_runner_given_the_clock():
    # bp.dyn.LifRef keeps BrainPy's t_last_spike, a time of the run's clock, which is not moved (docs/random.md): a
    # new Runner given t0 = the end of the last run goes on as one run; from t0 = 0 the spike at 26.7 ms is to come
    import brainbatch.brainpy as bp

    def model():
        return bb.Network(E=bp.dyn.LifRef(2, V_rest=0., V_reset=0., V_th=1., tau=10., tau_ref=5.))

    kw = dict(monitors=["E.spike"], inputs=[("E.input", 2.5)], dt=0.1, progress_bar=False)
    one = Runner(model(), **kw).run(54.0)["E.spike"][270:]
    m = model()
    Runner(m, **kw).run(27.0)
    np.testing.assert_array_equal(Runner(m, reset=False, t0=27.0, **kw).run(27.0)["E.spike"], one)
    assert one.sum() >= 4
    m = model()
    Runner(m, **kw).run(27.0)
    assert Runner(m, reset=False, **kw).run(27.0)["E.spike"].sum() < one.sum()  # BrainPy's rule: held longer


def test_a_saved_state_loaded_into_a_new_model_keeps_its_refractory_periods():
    # between runs the step indices count from the end of the last run, so a state saved after a warm-up and
    # loaded into a model no runner ran goes on in a new Runner (counting from 0) as the warm-up's own Runner would
    runner = Runner(_lif_ref(), monitors=["V", "spike"], dt=0.1, progress_bar=False)
    runner.run(27.0)
    saved = runner.target.state_dict()
    assert np.asarray(saved["i_last_spike"]).tolist() == [268 - 270, 253 - 270]  # spiked in steps 268, 253 of 270
    expected = runner.run(30.0)
    model = _lif_ref()
    model.load_state_dict(saved)
    got = Runner(model, monitors=["V", "spike"], dt=0.1, progress_bar=False).run(30.0)
    np.testing.assert_array_equal(got["spike"], expected["spike"])
    np.testing.assert_array_equal(got["V"], expected["V"])


def test_a_transmitter_pulse_goes_on_in_a_new_runner_continuing_the_model():
    def net():
        pre = bb.SpikeTimeGroup(1, times=[1.0], indices=[0])
        post = bb.LifRef(1, V_rest=-60.0, V_reset=-60.0, V_th=100.0, tau=20.0, tau_ref=1.0)
        return bb.Network(pre=pre, post=post,
                          proj=bb.AlignPreProjection(pre, post, bb.OneToOne(), bb.AMPA(), bb.COBA(E=0.0), weight=0.5))

    whole = Runner(net(), monitors={"g": "proj.syn.g"}, dt=0.1, progress_bar=False).run(3.0)
    model = net()
    Runner(model, monitors=[], dt=0.1, progress_bar=False).run(1.2)  # the spike arrives at step 11; pulse to step 15
    rest = Runner(model, monitors={"g": "proj.syn.g"}, dt=0.1, t0=1.2, reset=False, progress_bar=False).run(1.8)
    np.testing.assert_array_equal(rest["g"], whole["g"][12:])
