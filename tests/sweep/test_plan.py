"""Plans are pure data: seeds, grid (swept values x defaults), steps, store path; nothing runs or is written."""
import os
import re

import numpy as np
import pytest
from _support import TOY, tree

from brainbatch.sweep import UsageError, load_experiment, make_plan, parse_param, parse_seeds
from brainbatch.sweep.api import describe_plan, prepare
from brainbatch.sweep.batching import group_key
from brainbatch.sweep.task import build_arguments


@pytest.mark.parametrize("spec, seeds", [
    (8, list(range(8))), ("8", list(range(8))), ("3-10", list(range(3, 11))), ("1,5,9", [1, 5, 9]),
    ("0-2,7", [0, 1, 2, 7]), ([4, 2], [4, 2]), (range(3), [0, 1, 2]), (range(5, 11, 5), [5, 10]),
    (np.arange(2, 4), [2, 3]),
])
def test_seed_specs(spec, seeds):
    assert parse_seeds(spec) == seeds


@pytest.mark.parametrize("spec", ["-1", "5-2", "x", "0", "1,1", "", "2.5", -3, True, range(0), range(10**12),
                                  np.array([[1]]), range(2**32 - 1, 2**32 + 1)])
def test_bad_seed_specs_name_the_value(spec):
    with pytest.raises(UsageError, match="bad seed"):
        parse_seeds(spec)


def test_param_specs():
    assert parse_param("we=0.4,0.6") == ("we", ["0.4", "0.6"])
    for bad in ("we", "we=", "we=1,,2", "1x=2", "we=1,1"):
        with pytest.raises(UsageError):
            parse_param(bad)


def test_plan_grid_axes_defaults_and_steps():
    exp = load_experiment(TOY)
    plan = make_plan(exp, seeds="3-4", params={"n": "10,20"}, duration=5, dt=0.05)
    assert plan.axes == {"drive": [1.2, 1.5], "n": [10, 20]}  # module sweep + -p axis
    assert plan.seeds == [3, 4] and plan.n_steps == 100 and plan.dt == 0.05 and plan.duration == 5.0
    assert plan.n_runs == 8 == len(plan.runs)
    assert {r.coords["n"] for r in plan.runs} == {10, 20} and all(isinstance(r.coords["n"], int) for r in plan.runs)
    # build gets the defaults of ``params`` for what is not swept (the arguments a batch's runs are built with)
    fixed = group_key(plan.runs[0], (), plan.fixed)
    assert build_arguments(exp.params, fixed, {}) == {"n": 10, "drive": 1.2}
    assert build_arguments(exp.params, group_key(plan.runs[0], ("drive",), plan.fixed), {"drive": 1.5}) == {
        "n": 10, "drive": 1.5}
    assert plan.out == os.path.join("results", "toy", "drive-n.zarr")
    # -p replaces the module's axis; the plan is data: the same inputs give the same plan
    plan2 = make_plan(exp, seeds=2, params={"drive": [1.0]})
    assert plan2.axes == {"drive": [1.0]} and plan2.seeds == [0, 1] and plan2.n_steps == 200
    assert make_plan(exp, seeds=2, params={"drive": [1.0]}).runs == plan2.runs


def test_dry_run_plan_writes_nothing(in_tmp):
    prep = prepare(TOY, seeds=8, params={"drive": "1.0,1.2,1.4"}, out="res/x.zarr", batch_size=4,
                   devices=["cpu:0", "cpu:1"], dry_run=True)
    text = describe_plan(prep)
    assert "runs        24 (24 to run)" in text
    assert "batches     6" in text and "cpu:0, cpu:1" in text and "res/x.zarr (new)" in text
    assert "KiB" in text  # estimated size
    assert [t.device for t in prep.tasks[:2]] == ["cpu:0", "cpu:1"]  # round-robin
    assert tree(in_tmp) == []


def test_a_dask_dry_run_says_where_it_runs(in_tmp):
    # it printed the local plan's "devices cpu:0 (...)", mentioning neither dask nor its workers
    text = describe_plan(prepare(TOY, seeds=2, out="res/x.zarr", executor="dask", workers=4, dry_run=True))
    assert "executor    dask: a local cluster of 4 worker process(es); each worker takes its own device" in text
    assert "\ndevices " not in text
    text = describe_plan(prepare(TOY, seeds=2, out="res/x.zarr", executor="dask", scheduler="tcp://10.0.0.1:8786",
                                 dry_run=True))
    assert "executor    dask: the scheduler at tcp://10.0.0.1:8786 and its workers" in text
    assert tree(in_tmp) == []


def test_run_leaves_the_callers_experiment_as_it_was(tmp_path):
    from brainbatch.sweep.api import run

    exp = load_experiment(TOY)
    axes = {k: list(v) for k, v in exp.sweep.items()}
    assert axes  # the toy module sweeps an axis: run() must ignore it without changing exp
    result = run(exp, seed=1, out=str(tmp_path / "one.zarr"), duration=2, dt=0.1, progress=False,
                 devices="cpu")
    assert result.done == 1 and result.total == 1
    assert exp.sweep == axes


def test_low_high_step_is_an_evenly_spaced_grid():
    """Issue 23 item 16: ``-p b=0:4:0.5`` is a grid (no --samples), values as written (0.3, not 0.30000000000000004)."""
    from brainbatch.sweep.ranges import grid_values

    exp = load_experiment(TOY)
    plan = make_plan(exp, params={"drive": "0.1:0.5:0.1"})
    assert plan.axes["drive"] == [0.1, 0.2, 0.3, 0.4, 0.5] and plan.design is None and plan.n_runs == 5
    assert grid_values("n", "100:400:100") == [100, 200, 300, 400]
    # the command line's form: -p arrives as a list of one text, units too (it was refused as a bad range)
    from brainbatch.cli.options import parse_params

    assert make_plan(exp, params=parse_params(("drive=0.1:0.5:0.1",))).axes["drive"] == [0.1, 0.2, 0.3, 0.4, 0.5]
    coba = load_experiment(os.path.join(os.path.dirname(__file__), "..", "..", "experiments", "coba.py"))
    assert make_plan(coba, params=parse_params(("bias=18:22:2mV",))).axes["bias"] == [18.0, 20.0, 22.0]
    assert make_plan(coba, params=parse_params(("bias=0.018V:0.022V:0.002V",))).axes["bias"] == [18.0, 20.0, 22.0]
    with pytest.raises(UsageError, match=r"bad grid 'b=0:4:0': LOW:HIGH:STEP needs finite LOW <= HIGH and STEP > 0"):
        grid_values("b", "0:4:0")
    # HIGH off the grid was cut short silently (0:1:0.3 swept 0..0.9); the grid names both ends, so refuse,
    # with the two grids that were likely meant; units and the command line's form too
    with pytest.raises(UsageError, match=r"bad grid 'b=0:1:0.3': HIGH 1 is not LOW plus a whole number of "
                                         r"STEPs; write 0:0.9:0.3 or 0:1.2:0.3"):
        grid_values("b", "0:1:0.3")
    with pytest.raises(UsageError, match=r"write 18:22:2 or 18:24:2"):
        make_plan(coba, params=parse_params(("bias=18:23:2mV",)))
    assert grid_values("x", "0.1:0.7:0.2") == [0.1, 0.3, 0.5, 0.7]  # rounding error is not off the grid
    # exponents keep their digits: 5e-13:1.5e-12:5e-13 swept [0.0, 1e-12, 2e-12] (bad-input audit)
    assert grid_values("w", "5e-13:1.5e-12:5e-13") == [5e-13, 1e-12, 1.5e-12]
    assert grid_values("w", "1e-13:3e-13:1e-13") == [1e-13, 2e-13, 3e-13]
    assert grid_values("w", "1.23456789e-5:3.23456789e-5:1e-5") == [1.23456789e-05, 2.23456789e-05, 3.23456789e-05]


def test_a_number_too_small_to_read_is_refused_not_swept_as_zero():
    # float("1e-400") is 0.0: the runs computed with 0 under the label 1e-400 (bad-input audit)
    from brainbatch.cli.options import parse_params

    exp = load_experiment(TOY)
    with pytest.raises(UsageError, match=r"parameter 'drive': 1e-400 is too small for a number \(it reads as 0\)"):
        make_plan(exp, params=parse_params(("drive=1e-400",)))
    assert make_plan(exp, params=parse_params(("drive=0e5",))).axes["drive"] == [0.0]  # a zero written as one


def test_a_parameter_in_a_python_if_is_named_as_compiled_per_value(tmp_path):
    """Issue 23 item 16: a float parameter build() branches on cannot be traced; the sweep says so."""
    from _support import write_experiment

    from brainbatch.sweep.api import _compiled_per_value

    exp = write_experiment(tmp_path, "branchy.py", '''
        import brainbatch as bb
        monitors = {"V": "G.V"}
        duration = 1.0

        def build(x=0.2, y=0.5):
            group = bb.LIF(2, V_rest=-60.0 if x > 0.5 else -65.0, I_bias=y)
            return bb.Network(G=group)
    ''')
    prep = prepare(exp, params={"x": [0.2, 0.8], "y": [0.5, 0.7]}, out=str(tmp_path / "b.zarr"), dry_run=True)
    assert prep.traced == ("y",) and _compiled_per_value(prep) == ["x"]


def test_a_range_on_a_boolean_parameter_shows_the_values_to_give():
    from brainbatch.sweep.ranges import Range, check_range_fits

    # the message printed a literal '{name}' (bad-input audit)
    with pytest.raises(UsageError, match=r"give values instead \(-p flag=true,false\)$"):
        check_range_fits("flag", Range(0, 1), True, static=False)


@pytest.mark.parametrize("inputs, match", [
    ('inputs = [("G.V", np.ones((50, 20)) * 0.01, "iter")]',
     r"'iter' input for 'G.V' has 50 time steps; the sweep runs 200 \(20 ms at dt 0.1 ms\), one row per step"),
    ('inputs = [("G.V", lambda t: np.ones(7) * 0.01, "func")]',
     r"'func' input for 'G.V' returns shape \(7,\), which does not broadcast to the variable's shape \(20,\)"),
    ("inputs = 5", r"module attribute 'inputs': inputs must be a .path, value"),
])
def test_inputs_that_would_fail_every_run_are_refused_before_the_store_is_made(tmp_path, inputs, match):
    """Audit: a 'func' input of the wrong shape, a too-short 'iter' input and `inputs = 5` made the store, then
    failed every run (the first without naming the input)."""
    from _support import invoke

    source = open(TOY).read().replace("duration = 20.0", "duration = 20.0\nimport numpy as np\n" + inputs)
    (tmp_path / "bad.py").write_text(source)
    res = invoke("sweep", tmp_path / "bad.py", "--seeds", "1", "--out", tmp_path / "bad.zarr", cwd=tmp_path)
    assert res.returncode == 2 and re.search(match, res.stderr), res.stderr
    assert not (tmp_path / "bad.zarr").exists()


def test_a_near_miss_of_a_declared_parameter_taken_by_kwargs_is_warned_about(tmp_path):
    """Audit: `-p mdoe=1,2` on an experiment whose build(**kw) declares 'mode' went on unnoticed (the sweep ran
    'mode' at its default, twice)."""
    from brainbatch.sweep.errors import NearMissWarning

    source = open(TOY).read().replace("def build(n=20, drive=1.5):", "def build(n=20, drive=1.5, **kw):")
    (tmp_path / "kw.py").write_text(source)
    exp = load_experiment(str(tmp_path / "kw.py"))
    with pytest.warns(NearMissWarning, match="parameter 'drvie' is not one of the params .* Did you mean 'drive'"):
        exp.check_param("drvie")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exp.check_param("gain")  # far from every declared name: build's own business
        exp.check_param("drive")


def test_module_sweep_values_are_of_their_defaults_kind(tmp_path):
    """Audit: `sweep = {"mode": [1, 2]}` on a text default 'a' swept the integers 1 and 2, where `-p mode=1,2`
    gives the texts '1' and '2'; values of another kind are refused as -p refuses them."""
    source = open(TOY).read().replace('params = {"n": 20, "drive": 1.5}', 'params = {"n": 20, "drive": 1.5, "mode": "a"}')
    source = source.replace('sweep = {"drive": [1.2, 1.5]}', 'sweep = {"mode": [1, 2]}')
    source = source.replace("def build(n=20, drive=1.5):", "def build(n=20, drive=1.5, mode='a'):")
    (tmp_path / "modes.py").write_text(source)
    with pytest.raises(UsageError, match=r"parameter 'mode' is text \(its default is 'a'\), got 1"):
        make_plan(load_experiment(str(tmp_path / "modes.py")))


@pytest.mark.parametrize("monitors, match", [
    ('{"V": ("G.V", 1, 2)}', r"module attribute 'monitors': monitor 'V': expected a path, \(path, index\)"),
    ('{"x": 5}', r"monitor 'x': expected a path"),
    ('{"G.V"}', "monitors must be a list of paths or a dict"),
    ('{"ts": "G.V"}', "'ts' is reserved"),
])
def test_malformed_module_monitors_are_one_line_errors(tmp_path, monitors, match):
    """Audit: a malformed `monitors` in the module reached the CLI as a 40-line traceback."""
    from _support import invoke

    source = open(TOY).read().replace('monitors = {"spikes": "G.spike", "V": "G.V"}', f"monitors = {monitors}")
    (tmp_path / "mon.py").write_text(source)
    res = invoke("sweep", tmp_path / "mon.py", "--dry-run", cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr and re.search(match, res.stderr), res.stderr


def test_an_experiment_that_records_nothing_is_warned_about_and_module_axes_are_cast(tmp_path):
    from brainbatch.sweep.errors import NearMissWarning

    source = open(TOY).read().replace('monitors = {"spikes": "G.spike", "V": "G.V"}', "monitors = {}")
    (tmp_path / "quiet.py").write_text(source)
    with pytest.warns(NearMissWarning, match="records nothing"):
        make_plan(load_experiment(str(tmp_path / "quiet.py")))
    # an int default's module values are ints, as -p n=10.0 gives 10 (the build got 10.0 and failed every run)
    source = open(TOY).read().replace('sweep = {"drive": [1.2, 1.5]}', 'sweep = {"n": [10.0, 20.0]}')
    (tmp_path / "ints.py").write_text(source)
    plan = make_plan(load_experiment(str(tmp_path / "ints.py")))
    assert plan.axes["n"] == [10, 20] and all(type(v) is int for v in plan.axes["n"])


@pytest.mark.parametrize("index", ["[1, 2, 1]", "np.array([0, 0])", "range(2)"])
def test_a_monitor_listing_an_element_twice_is_refused_before_the_store(tmp_path, index):
    # the store labels a record's elements by their indices: [1, 2, 1] gave a coordinate with 1 twice
    source = open(TOY).read().replace('monitors = {"spikes": "G.spike", "V": "G.V"}',
                                      f'import numpy as np\nmonitors = {{"V": ("G.V", {index})}}')
    (tmp_path / "twice.py").write_text(source)
    if index == "range(2)":
        assert make_plan(load_experiment(str(tmp_path / "twice.py"))).runs
        return
    with pytest.raises(UsageError, match=r"monitor 'V' lists element [01] of 'G.V' twice"):
        make_plan(load_experiment(str(tmp_path / "twice.py")))
