"""``Monitor(start=...)``: the transient is left out of records, the runner's times and a sweep's store."""
import textwrap

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run.engine import Simulation
from brainbatch.run.monitors import Monitor, first_step, normalize_monitors
from brainbatch.store import StoreError


def test_first_step_is_the_first_multiple_of_every_at_or_after_start():
    assert first_step(Monitor("V", start=2.0), 0.1) == 20
    assert first_step(Monitor("V", every=3, start=2.0), 0.1) == 21
    assert first_step(Monitor("V", start=2.0), 0.1, t0=5.0) == 0  # a start before t0 keeps everything
    with pytest.raises(ValueError, match="Monitor start must be a time in ms"):
        Monitor("V", start=-1.0)


def test_records_begin_at_start_whatever_the_chunks(noisy):
    monitors = {"all": Monitor("V"), "late": Monitor("V", start=2.05), "late5": Monitor("V", every=5, start=2.0),
                "spikes": Monitor("spike", index=[0, 3], start=3.0)}
    sim = Simulation(lambda p: noisy(n=8), normalize_monitors(monitors), dt=0.1)
    _, recs = sim.run(np.array([3, 4]), {}, 60, chunk_steps=20)  # calls of 20 steps: start falls inside one
    full = recs["all"]
    np.testing.assert_array_equal(recs["late"], full[:, 21:])  # step 21 is the first at t >= 2.05 ms
    np.testing.assert_array_equal(recs["late5"], full[:, 20::5])
    assert recs["spikes"].shape == (2, 30, 2)


def test_runner_times_begin_at_start(noisy):
    runner = bb.Runner(noisy(n=4), monitors={"V": Monitor("V", every=2, start=1.0), "all": "V"}, dt=0.1)
    out = runner.run(3.0)
    np.testing.assert_allclose(runner.mon.times["V"], np.arange(10, 30, 2) * 0.1)
    np.testing.assert_array_equal(out["V"], out["all"][10::2])
    out = runner.run(3.0)  # a second run continues the clock: all of it is after the start
    assert out["V"].shape[0] == 15 and runner.mon.times["V"][0] == pytest.approx(3.0)


def test_a_runner_monitor_that_starts_after_the_run_gives_an_empty_record(noisy):
    """It was missing from the results (a KeyError in the user's analysis); its samples come in a later run."""
    runner = bb.Runner(noisy(n=4), monitors={"late": Monitor("V", start=5.0), "s": Monitor("spike", start=5.0, index=[1])},
                       dt=0.1, progress_bar=False)
    out = runner.run(3.0)
    assert out["late"].shape == (0, 4) and out["s"].shape == (0, 1) and out["s"].dtype == bool
    assert runner.mon.times["late"].shape == (0,)
    assert runner.run(3.0)["late"].shape == (10, 4)  # steps 50-59


EXPERIMENT = """
    import sys
    sys.path.insert(0, {toy_dir!r})
    from toy import Toy
    import brainbatch as bb

    params = {{"n": 6, "drive": 1.5}}
    monitors = {{"V": "G.V", "V_late": bb.Monitor("G.V", every=5, start=10.0),
                 "spikes_late": {{"target": "G.spike", "start": 12.0}}}}
    duration = {duration}


    def build(n=6, drive=1.5):
        return bb.Network(G=Toy(n, drive))
"""


def _experiment(tmp_path, duration=30.0):
    from pathlib import Path

    toy_dir = str(Path(__file__).resolve().parents[1] / "sweep" / "experiments")
    path = tmp_path / f"late_{int(duration)}.py"
    path.write_text(textwrap.dedent(EXPERIMENT.format(toy_dir=toy_dir, duration=duration)))
    return str(path)


def test_a_sweep_stores_records_from_their_start(tmp_path):
    out = tmp_path / "late.zarr"
    result = bb.sweep(_experiment(tmp_path), seeds=2, out=str(out), devices="cpu", progress=False)
    assert result.done == 2 and not result.failed
    ds = bb.open_results(out)
    late, spikes = ds.V_late, ds.spikes_late
    assert late.dims[1] == "time_every5_from100" and spikes.dims[1] == "time_from120"
    np.testing.assert_allclose(late[late.dims[1]].values, np.arange(100, 300, 5) * 0.1)
    np.testing.assert_allclose(spikes[spikes.dims[1]].values[[0, -1]], [12.0, 29.9])
    np.testing.assert_array_equal(late.values, ds.V.values[:, 100::5])
    assert late.attrs["every"] == 5


def test_a_start_after_the_end_is_refused(tmp_path):
    from brainbatch.errors import BrainbatchError
    from brainbatch.sweep import prepare

    with pytest.raises(BrainbatchError, match="starts at step 100 .* at or after the run's end"):
        prepare(_experiment(tmp_path, duration=8.0), seeds=1, out=str(tmp_path / "x.zarr"), devices="cpu",
                dry_run=True)


def test_a_store_refuses_a_first_step_off_the_stride():
    from brainbatch.store import VarSpec

    with pytest.raises(StoreError, match="not a multiple of every"):
        VarSpec("V", ("n",), (2,), "float32", every=5, first=12)


@pytest.mark.parametrize("t0", [1e7, 1e6 + 0.3, 123456.7, 50.05])
def test_a_start_on_a_step_is_recorded_from_that_step_at_a_large_t0(t0):
    # start - t0 rounds to ~1e-9 ms at t0 = 1e7 ms, past a fixed 1e-9 of a step: 800 of these 4 x 1999 starts
    # were recorded one step late
    late = [k for k in range(1, 2000) if first_step(bb.Monitor("E.V", start=t0 + k * 0.1), 0.1, t0) != k]
    assert late == []
