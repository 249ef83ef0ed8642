"""Sweeps as a demanding user meets them, session 37:

- a store made with calls of one length and resumed with another (another --batch-size, another machine, or
  chunk_steps=) ended calls inside its chunk files, each then written twice: a copy taken meanwhile (cp -r while the
  sweep writes) held a half-written chunk under a later `done` status, which plain `status` and `open_results` took
  for a whole run. A later sweep's calls now end on the store's chunk edges;
- `build()` failing for every run dropped its error (no cause, so `-v` had no traceback to show);
- the Python API had none of the CLI's advice on a module the experiment imports and this Python lacks;
- a float32 array of values was labelled 0.10000000149011612 in the store, where a float32 quantity array is 0.1;
- `duration="2ms"` was refused as no number of milliseconds, and a range given without samples was shown in the
  parameter's unit (`-p tau=5:20`) rather than as typed (`5ms:20ms`).
"""
import shutil
import sys

import numpy as np
import pytest
from _support import LIF_TAU, TOY, WIDE, invoke, refused_in_one_line, write_experiment

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore
from brainbatch.sweep.errors import ExperimentError, UsageError
from brainbatch.sweep.experiment import load_experiment, plain_values
from brainbatch.sweep.plan import make_plan


def test_a_resume_with_other_calls_writes_each_chunk_file_once_so_no_torn_copy_reads_as_done(tmp_path):
    out = tmp_path / "s.zarr"
    kw = dict(params={"drive": [1.5]}, out=str(out), duration=20.0, checkpoint_every=0, progress=False)
    bb.sweep(TOY, seeds=[0], chunk_steps=40, **kw)  # time chunks of 40 steps
    steps, copies = [], []

    def copy_now():  # records as cp -r finds them at a checkpoint (the run's status comes later)
        store = ResultStore.open(out, "r")
        steps.append(int(store.steps_done()[store.run_index(seed=1, drive=1.5)]))
        copies.append(tmp_path / f"copy{len(copies)}.zarr")
        shutil.copytree(out, copies[-1])

    HOOKS["checkpointed"] = copy_now
    said = []
    try:  # calls of 30 steps were cut to 25 (a divisor of the 200): every second chunk file was written twice
        res = bb.sweep(TOY, seeds=2, chunk_steps=30, echo=said.append, **kw)
    finally:
        HOOKS.pop("checkpointed", None)
    assert res.done == 1 and res.skipped == 1
    assert steps == [40, 80, 120, 160], steps  # every call ends on a chunk's edge
    assert f"chunk_steps=30 taken as 40 on {out}: its records are chunked in files of 40 steps" in "\n".join(said)
    torn = copies[-1]
    for name in ("status", "checkpoint"):  # copied after the run was done
        shutil.rmtree(torn / name)
        shutil.copytree(out / name, torn / name)
    shutil.copy(out / "zarr.json", torn / "zarr.json")
    with pytest.warns(UserWarning, match="1 run.s. marked done have damaged data"):
        ds = bb.open_results(torn)
    live = bb.open_results(out)
    done = ds["done"].values.ravel()
    assert done.tolist() == [True, False]  # its last chunk is missing: read as not done, never as a whole run
    for name in ("V", "spikes"):
        np.testing.assert_array_equal(ds[name].values[0], live[name].values[0])


def test_an_extension_in_time_keeps_its_calls_on_the_stores_chunks(tmp_path):
    """30 ms of 0.1 ms is 300 steps: calls of 80 (the multiple of the store's 40-step chunks under the 100 asked for)
    were cut again by the runner to 75, a divisor of 300, off the chunks."""
    out = tmp_path / "s.zarr"
    kw = dict(seeds=[0], params={"drive": [1.5]}, out=str(out), checkpoint_every=0, progress=False)
    bb.sweep(TOY, duration=20.0, chunk_steps=40, **kw)
    steps = []
    HOOKS["checkpointed"] = lambda: steps.append(int(ResultStore.open(out, "r").steps_done().ravel()[0]))
    try:
        res = bb.sweep(TOY, duration=30.0, chunk_steps=100, **kw)
    finally:
        HOOKS.pop("checkpointed", None)
    assert res.done == 1 and steps == [240], steps  # from 200 to the grid of 80, then to the end
    store = ResultStore.open(out, "r")
    assert store.time_chunk("V") == 40 and store.verify(full=True) == {}


def test_a_build_failing_for_every_run_keeps_its_error_and_says_what_to_install(tmp_path):
    path = write_experiment(tmp_path, "needs.py", open(TOY).read().replace(
        "def build(n=20, drive=1.5):\n", "def build(n=20, drive=1.5):\n    import not_installed_s37b\n"))
    with pytest.raises(ExperimentError) as caught:
        bb.sweep(path, out=str(tmp_path / "s.zarr"), duration=1.0, progress=False)
    err = caught.value
    assert isinstance(err.__cause__, ModuleNotFoundError) and err.__cause__.name == "not_installed_s37b"
    text = str(err)
    assert text.endswith(f"ModuleNotFoundError: No module named 'not_installed_s37b' (this Python, {sys.executable}, "
                         f"has no not_installed_s37b: install its package there, {sys.executable} -m pip install "
                         "PACKAGE; or, if not_installed_s37b is a module of your own, put not_installed_s37b.py "
                         "beside the experiment file and import it at the top of that file)"), text
    # the CLI says it once, in its own words
    res = invoke("sweep", path, "--dry-run")
    assert refused_in_one_line(res), res.stderr
    assert res.stderr.count("has no not_installed_s37b") == 1 and "(this command's Python, " in res.stderr


def test_the_python_api_says_which_python_lacks_a_module_the_experiment_imports(tmp_path):
    path = write_experiment(tmp_path, "top.py", "import not_installed_s37c\n" + open(TOY).read())
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path)
    assert str(caught.value).endswith(f"line 1 failed: ModuleNotFoundError: No module named 'not_installed_s37c' "
                                      f"(this Python, {sys.executable}, has no not_installed_s37c: install its package "
                                      f"there, {sys.executable} -m pip install PACKAGE; or, if not_installed_s37c is a "
                                      "module of your own, put not_installed_s37c.py beside the experiment file and "
                                      "import it at the top of that file)"), str(caught.value)
    sub = write_experiment(tmp_path, "sub.py", "import json.not_there_s37c\n" + open(TOY).read())
    with pytest.raises(ExperimentError, match=r"\(json is there, without json\.not_there_s37c: another version"):
        load_experiment(sub)


def test_a_float32_array_of_values_is_labelled_as_typed_and_runs_the_same_float32_value():
    values = np.array([0.1, 1.2, 1.5], np.float32)
    assert plain_values(values) == [0.1, 1.2, 1.5]  # 0.10000000149011612... before
    assert plain_values(values[1:2]) == [1.2] and plain_values(np.float16(0.5)) == [0.5]
    plan = make_plan(load_experiment(TOY), params={"drive": values}, duration=1.0)
    assert plan.axes["drive"] == [0.1, 1.2, 1.5]
    # a float32 run computes each from the label: the very float32 values of the array, as before
    np.testing.assert_array_equal(np.asarray(plan.axes["drive"], np.float32), values)
    assert np.asarray(plain_values(np.arange(4, dtype=np.float32).reshape(2, 2))).shape == (2, 2)  # as before


def test_a_duration_or_dt_given_as_text_is_read_as_the_cli_reads_it():
    exp = load_experiment(TOY)
    for duration in ("2ms", "2 ms", "0.002s", "2"):
        assert make_plan(exp, duration=duration).n_steps == 20, duration
    plan = make_plan(exp, duration="1 ms", dt="0.05ms")
    assert (plan.dt, plan.n_steps, plan.duration) == (0.05, 20, 1.0)
    with pytest.raises(UsageError, match=r"^duration '2 mV' is not a time \(mV\): give milliseconds \(a number\) or a "
                                         r"number with a unit of time, e\.g\. 1s or 500ms$"):
        make_plan(exp, duration="2 mV")
    with pytest.raises(UsageError, match=r"^dt 'fast' is not a time"):
        make_plan(exp, dt="fast")
    with pytest.raises(UsageError, match=r"duration must be a number of milliseconds, got \[2\] \(or a quantity such as "
                                         r"2 \* u\.second, or text such as '2ms'\)"):
        make_plan(exp, duration=[2])


@pytest.mark.parametrize("typed", ["5ms:20ms", ["5ms:20ms"], "0.005s:0.02s"])
def test_a_range_without_samples_is_shown_as_typed(typed):
    exp = load_experiment(LIF_TAU)
    shown = typed[0] if isinstance(typed, list) else typed
    with pytest.raises(UsageError, match=rf"^-p tau={shown} is a range: give --samples N"):
        make_plan(exp, params={"tau": typed})


def test_a_range_without_samples_on_the_command_line_is_shown_as_typed():
    res = invoke("sweep", LIF_TAU, "-p", "tau=5ms:20ms", "--dry-run")
    assert refused_in_one_line(res) and "-p tau=5ms:20ms is a range: give --samples N" in res.stderr, res.stderr
    import brainunit as u

    with pytest.raises(UsageError, match=r"^-p tau=5ms:20ms is a range"):
        make_plan(load_experiment(LIF_TAU), params={"tau": bb.Range(5 * u.ms, 20 * u.ms)})


def test_calls_lengthened_to_a_narrow_stores_chunk_for_a_wide_batch_say_what_their_records_hold(tmp_path):
    # made one run at a time, the store's time chunk is the whole run (500 steps, 38 MiB of V per run); resumed 16
    # at once, the calls' 500 steps hold 16 x that, far past the budget the calls of a wide batch are sized for
    store = tmp_path / "w.zarr"
    assert invoke("sweep", WIDE, "--seeds", "1", "--batch-size", "1", "--out", store, "-q").returncode == 0
    res = invoke("sweep", WIDE, "--seeds", "16", "--batch-size", "16", "--out", store)
    assert res.returncode == 0, res.stderr
    # the 15 runs left, as the batch that runs them holds them (not the 16 the plan could hold)
    assert "calls of 500 steps (one time chunk of" in res.stderr + res.stdout and "572 MiB of records for 15 run(s)" in \
        res.stderr + res.stdout, res.stderr
