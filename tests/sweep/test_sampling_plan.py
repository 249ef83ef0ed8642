"""Ranges and sampled designs as data: parsing, bad ranges, the points (equal to scipy's), extension
by prefix, integer and log scales, and how a design enters a plan. Nothing runs here."""
import warnings

import numpy as np
import pytest
from _support import TOY, write_experiment
from scipy.stats import qmc

import brainbatch as bb
from brainbatch.sweep import UsageError, load_experiment, make_plan
from brainbatch.sweep.design import Design, scale_points, unit_points
from brainbatch.sweep.ranges import Range, parse_range

# these tests plan only, and their experiments record nothing on purpose
pytestmark = pytest.mark.filterwarnings("ignore::brainbatch.sweep.errors.NearMissWarning")


@pytest.mark.parametrize("text, expected", [
    ("0.4:0.8", Range(0.4, 0.8)),
    ("1:100:log", Range(1.0, 100.0, scale="log")),
    ("100:1000:int", Range(100, 1000, integer=True)),
    ("1:64:log:int", Range(1, 64, scale="log", integer=True)),
    (" 0.4 : 0.8 ", Range(0.4, 0.8)),
])
def test_range_texts(text, expected):
    rng = parse_range("x", text)
    assert rng == expected
    assert parse_range("x", rng.text()) == rng  # the text form round-trips


@pytest.mark.parametrize("text, fragments", [
    ("0.8:0.4", ["we=0.8:0.4", "low 0.8 must be below high 0.4"]),
    ("0.4:0.4", ["below"]),
    ("a:b", ["we=a:b", "'a' is not a number", "LOW:HIGH"]),
    ("0:1:cubic", ["we=0:1:cubic", "'cubic'", "log, int"]),
    ("0:1:log", ["we=0:1:log", "log scale needs bounds > 0"]),
    ("-1:1:log", ["log scale needs bounds > 0"]),
    ("0.5:3:int", ["integer range needs integer bounds"]),
    ("1:2:3:4:5", ["LOW:HIGH"]),
    ("0:inf", ["not finite"]),
    ("1:2:log:log", ["twice"]),
])
def test_bad_ranges_name_the_spec_and_what_is_allowed(text, fragments):
    with pytest.raises(UsageError) as err:
        parse_range("we", text)
    for fragment in fragments:
        assert fragment in str(err.value)


def test_range_objects_check_themselves():
    with pytest.raises(UsageError, match="below"):
        bb.Range(2, 1)
    with pytest.raises(UsageError, match="unknown scale 'cubic'"):
        bb.Range(0, 1, scale="cubic")
    assert bb.Range is Range


@pytest.mark.parametrize("sampler, engine", [("sobol", qmc.Sobol), ("halton", qmc.Halton)])
def test_points_equal_scipy_qmc_for_the_same_seed_and_bounds(sampler, engine):
    d = Design((("we", Range(0.4, 0.8)), ("rate", Range(1.0, 100.0, scale="log"))), n=16, sampler=sampler, seed=7)
    u = engine(2, scramble=True, rng=7).random(16)
    values = d.values()
    assert values["we"] == [float(x) for x in 0.4 + u[:, 0] * (0.8 - 0.4)]
    np.testing.assert_allclose(values["rate"], np.exp(np.log(1.0) + u[:, 1] * np.log(100.0)), rtol=1e-15)


@pytest.mark.parametrize("sampler", ["sobol", "halton", "random"])
def test_a_longer_design_continues_the_shorter_one_exactly(sampler):
    ranges = (("a", Range(0.0, 1.0)), ("b", Range(1, 50, integer=True)))
    short, long = (Design(ranges, n=n, sampler=sampler, seed=3).values() for n in (16, 32))
    for name in ("a", "b"):
        assert long[name][:16] == short[name]  # bitwise: the same floats
    assert Design(ranges, n=16, sampler=sampler, seed=4).values() != short  # the seed matters


def test_lhs_is_not_extendable_and_says_why():
    d = Design((("a", Range(0.0, 1.0)),), n=8, sampler="lhs")
    assert not d.extendable and "sobol" in d.to_json()["not_extendable_because"]
    assert any("cannot be extended" in note for note in d.notes())


def test_sobol_with_n_not_a_power_of_two_warns_nobody_but_says_so_in_the_plan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        unit_points("sobol", 2, 20, seed=0)  # scipy's UserWarning is silenced
    notes = Design((("a", Range(0.0, 1.0)),), n=20).notes()
    assert len(notes) == 1 and "power of 2" in notes[0] and "16 or 32" in notes[0]
    assert Design((("a", Range(0.0, 1.0)),), n=32).notes() == []


def test_integer_ranges_reach_both_bounds_evenly():
    u = (np.arange(3000) + 0.5) / 3000
    values = scale_points(u, Range(1, 3, integer=True))
    assert set(values) == {1, 2, 3} and all(isinstance(v, int) for v in values)
    assert [values.count(k) for k in (1, 2, 3)] == [1000, 1000, 1000]
    # on a log scale each integer k gets the share log((k+1)/k) of [log 1, log 1001): both ends are reachable
    assert scale_points(np.array([0.0, 1 - 1e-12]), Range(1, 1000, scale="log", integer=True)) == [1, 1000]


def test_log_ranges_are_uniform_in_log_space():
    d = Design((("rate", Range(1.0, 10000.0, scale="log")),), n=1024, sampler="sobol", seed=0)
    x = np.log10(d.values()["rate"])
    # a scrambled Sobol design of 2^10 points fills each quarter of [0, 4] decades with 256 points exactly
    counts = np.histogram(x, bins=4, range=(0, 4))[0]
    assert list(counts) == [256] * 4


@pytest.mark.parametrize("kwargs, fragment", [
    ({"samples": 0}, "^samples must be an integer >= 1, got 0"),  # the Python spelling: --samples on the CLI
    ({"samples": -4}, "got -4"),
    ({"samples": True}, "got True"),
    ({"samples": 8, "sampler": "sobl"}, "Did you mean 'sobol'"),
    ({"samples": 8, "sample_seed": -1}, "^sample_seed must be"),
])
def test_bad_design_options(kwargs, fragment):
    exp = load_experiment(TOY)
    with pytest.raises(UsageError, match=fragment):
        make_plan(exp, params={"drive": "1:2"}, **kwargs)


def test_samples_without_a_range_and_a_range_without_samples_are_errors():
    from brainbatch.errors import command_line

    exp = load_experiment(TOY)
    with pytest.raises(UsageError, match=r"samples=8 needs a parameter range to sample: give a range, e\.g\. "
                                         r"params=\{'we': bb\.Range\(0\.4, 0\.8\)\}"):
        make_plan(exp, params={"drive": [1.0, 2.0]}, samples=8)
    with pytest.raises(UsageError, match=r"sampler='lhs' needs a parameter range"):
        make_plan(exp, sampler="lhs")
    with command_line(), pytest.raises(UsageError, match=r"--samples 8 needs a parameter range to sample: write -p "):
        make_plan(exp, params={"drive": [1.0, 2.0]}, samples=8)
    with pytest.raises(UsageError, match=r"-p drive=1:2 is a range: give --samples N"):
        make_plan(exp, params={"drive": "1:2"})


def test_ranges_must_suit_their_parameter(tmp_path):
    exp = load_experiment(TOY)
    with pytest.raises(UsageError, match=r"'n' is an integer .* -p n=10:30:int"):
        make_plan(exp, params={"n": "10:30"}, samples=4)
    with pytest.raises(UsageError, match="mixes a range with other values"):
        make_plan(exp, params={"drive": ["1.0", "1:2"]}, samples=4)
    path = write_experiment(tmp_path, "kinds.py", """
        import brainbatch as bb
        static = ("tau",)
        def build(n=4, tau=10.0, on=True, label="a:b"):
            return bb.Network(G=bb.LifRef(n, tau=tau))
    """)
    kinds = load_experiment(path)
    with pytest.raises(UsageError, match=r"'tau' is static .* -p tau=1:5:int"):
        make_plan(kinds, params={"tau": "1:5"}, samples=4)
    with pytest.raises(UsageError, match="'on' is a boolean"):
        make_plan(kinds, params={"on": "0:1"}, samples=4)
    # a text parameter keeps ':' as part of its value (a path, a label): a grid value, not a range
    assert make_plan(kinds, params={"label": "x:y"}).axes["label"] == ["x:y"]


def test_a_design_in_the_plan():
    exp = load_experiment(TOY)
    plan = make_plan(exp, seeds=2, params={"drive": bb.Range(1.0, 2.0), "n": "10:30:int"}, samples=8,
                     duration=2)
    assert plan.axes == {}  # the module's drive axis is replaced by the range
    assert plan.store_params == {"sample": list(range(8))}
    assert plan.n_runs == 16 == len(plan.runs)
    assert all(isinstance(v, float) for v in plan.samples["drive"])
    assert all(isinstance(v, int) and 10 <= v <= 30 for v in plan.samples["n"])
    run = plan.runs[3]
    assert run.coords == {"seed": 0, "sample": 3}
    assert dict(run.values) == {"drive": plan.samples["drive"][3], "n": plan.samples["n"][3]}
    assert plan.out.endswith("drive-n-sobol.zarr")  # no count: a larger --samples extends the same store
    # grid axes and ranges mix: the grid keeps its dim, the design adds 'sample'
    mixed = make_plan(exp, params={"drive": "1:2", "n": "10,20"}, samples=4)
    assert mixed.store_params == {"n": [10, 20], "sample": [0, 1, 2, 3]} and mixed.n_runs == 8


def test_too_many_samples_are_refused_before_any_point_is_drawn():
    exp = load_experiment(TOY)
    with pytest.raises(UsageError, match="1000 seeds x 200 samples = 200000 runs"):
        make_plan(exp, seeds=1000, params={"drive": "1:2"}, samples=200)


def test_the_design_records_how_its_points_were_drawn():
    doc = Design((("we", Range(0.4, 0.8)),), n=4, seed=2).to_json()
    assert doc["rule"].startswith("scipy.stats.qmc.Sobol(d, scramble=True, rng=sample_seed)")
    assert doc["ranges"] == {"we": {"low": 0.4, "high": 0.8, "scale": "linear", "integer": False}}
    assert doc["samples"] == 4 and doc["sample_seed"] == 2 and doc["extendable"]


def test_a_range_of_quantities_is_planned_like_its_text(tmp_path):
    """``bb.Range(15 * u.mV, 0.025 * u.volt)`` samples what ``-p bias=15mV:25mV`` samples (bounds read
    in the first one's unit, converted to the parameter's); bounds that cannot mean one unit are refused."""
    u = pytest.importorskip("brainunit")
    exp = load_experiment(write_experiment(tmp_path, "biased.py", """
        import brainunit as u

        def build(bias=20 * u.mV):
            raise RuntimeError("never built: plans only")
        """))
    rng = Range(15 * u.mV, 0.025 * u.volt)
    assert (rng.low, rng.high, rng.unit, rng.text()) == (15.0, 25.0, "mV", "15mV:25mV")
    by_object = make_plan(exp, params={"bias": Range(0.015 * u.volt, 25 * u.mV)}, samples=4)
    by_text = make_plan(exp, params={"bias": "15mV:25mV"}, samples=4)
    assert by_object.samples == by_text.samples and by_object.units == by_text.units == {"bias": "mV"}
    for bad, message in [(lambda: Range(10 * u.ms, 30), "high bound 30 has no unit"),
                         (lambda: Range(10 * u.ms, 30 * u.mV), "different dimensions"),
                         (lambda: make_plan(exp, params={"bias": Range(1 * u.ms, 2 * u.ms)}, samples=4), "bias")]:
        with pytest.raises(UsageError, match=message):
            bad()
    assert Range(0, 5 * u.ms).low == 0.0  # a bare zero is zero in every unit


def test_an_array_of_quantities_is_a_grid_of_its_values(tmp_path):
    u = pytest.importorskip("brainunit")
    exp = load_experiment(write_experiment(tmp_path, "taus.py", """
        def build(tau=20.0):
            raise RuntimeError("never built: plans only")
        """))
    plan = make_plan(exp, params={"tau": np.array([10.0, 0.02]) * u.ms})
    assert plan.axes["tau"] == [10.0, 0.02] and plan.units == {"tau": "ms"}
    plan = make_plan(exp, params={"tau": np.array([0.01, 0.02]) * u.second})
    assert plan.axes["tau"] == [10.0, 20.0] and plan.units == {"tau": "ms"}
