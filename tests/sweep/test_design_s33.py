"""Sampled designs against an independent computation (scipy.stats.qmc and numpy, with the rules of
docs/sampling.md written out here), and ranges whose points float64 cannot draw as asked. Nothing runs."""
import json
import warnings

import numpy as np
import pytest
from scipy.stats import qmc

from brainbatch.sweep import UsageError
from brainbatch.sweep.design import Design
from brainbatch.sweep.ranges import Range, parse_range

RANGES = (("we", Range(0.3, 0.9)), ("rate", Range(1.0, 100.0, scale="log")),
          ("n", Range(10, 20, integer=True)), ("k", Range(1, 1000, scale="log", integer=True)))


def _reference_unit_points(sampler, d, n, seed):
    """docs/sampling.md's table of samplers."""
    if sampler == "random":
        return np.random.default_rng(seed).random((n, d))
    engine = {"sobol": qmc.Sobol, "halton": qmc.Halton, "lhs": qmc.LatinHypercube}[sampler]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Sobol's note on n not a power of 2
        return engine(d, scramble=True, rng=seed).random(n)


@pytest.mark.parametrize("sampler", ["sobol", "halton", "random", "lhs"])
def test_every_sampler_and_scale_follows_the_documented_rule(sampler):
    u = _reference_unit_points(sampler, 4, 24, 11)
    expected = {  # "How a unit point u in [0, 1) becomes a value"
        "we": 0.3 + u[:, 0] * (0.9 - 0.3),
        "rate": np.exp(np.log(1.0) + u[:, 1] * (np.log(100.0) - np.log(1.0))),
        "n": np.floor(10 + u[:, 2] * (20 - 10 + 1)),
        "k": np.floor(np.exp(np.log(1) + u[:, 3] * (np.log(1000 + 1) - np.log(1)))),
    }
    got = Design(RANGES, n=24, sampler=sampler, seed=11).values()
    np.testing.assert_array_equal(got["we"], expected["we"])
    np.testing.assert_allclose(got["rate"], expected["rate"], rtol=1e-15)
    assert got["n"] == [int(v) for v in expected["n"]] and all(type(v) is int for v in got["n"])
    assert got["k"] == [int(v) for v in np.clip(expected["k"], 1, 1000)]  # "both bounds included"
    for name, rng in RANGES:
        assert min(got[name]) >= rng.low and max(got[name]) <= rng.high


@pytest.mark.parametrize("text", ["100000000000000000:100000000000000010:int", "0:1e20:int", "1:1e17:log:int"])
def test_integer_bounds_float64_cannot_count_are_refused(text):
    """10**17:10**17+10:int drew only low and low+16 (past high): float64 holds no integer between."""
    with pytest.raises(UsageError, match=r"bad range 'n=.*within -2\^53\.\.2\^53"):
        parse_range("n", text)
    with pytest.raises(UsageError, match="within -2"):
        Range(10**17, 10**17 + 10, integer=True)
    top = 2**53  # the largest bound every integer below is exact: its points stay within the bounds
    values = Design((("n", Range(top - 10, top, integer=True)),), n=64).values()["n"]
    assert min(values) >= top - 10 and max(values) <= top and len(set(values)) == 11


def test_a_range_wider_than_float64_or_a_bound_beyond_it_is_refused_not_drawn_as_inf():
    """-1e308:1e308 drew 1e308 at every sample (its width is inf); Range(0, 10**400) was an OverflowError."""
    with pytest.raises(UsageError, match="width .* overflows float64"):
        parse_range("g", "-1e308:1e308")
    for bad in [lambda: Range(0, 10**400), lambda: Range(0, 10**400, integer=True), lambda: Range(-10**400, 0)]:
        with pytest.raises(UsageError, match="is not a finite number"):
            bad()
    values = Design((("g", Range(-1e307, 1e307)),), n=8).values()["g"]
    assert len(set(values)) == 8 and min(values) < 0 < max(values)


def test_repeated_integer_points_are_noted_with_their_count():
    """3 integers can hold only 3 of 8 samples; 64 Sobol points over 100 integers repeat some too:
    each repeat runs the same parameters again (the same run for each seed), so the dry run says so."""
    small = Design((("n", Range(1, 3, integer=True)),), n=8)
    assert sorted(set(small.values()["n"])) == [1, 2, 3]
    assert any("only 3 of the 8 points differ" in note and "hold only 3 points" in note for note in small.notes())
    u = _reference_unit_points("sobol", 1, 64, 0)[:, 0]
    distinct = len(set(np.floor(1 + u * 100).astype(int).tolist()))
    assert distinct < 64  # what the note is for
    wide = Design((("n", Range(1, 100, integer=True)),), n=64)
    assert wide.repeated_points() == 64 - distinct
    assert any(f"only {distinct} of the 64 points differ" in note for note in wide.notes())
    # a float range never repeats, and a balanced Sobol design over enough integers has none to note
    assert Design((("n", Range(1, 100, integer=True)), ("we", Range(0.0, 1.0))), n=64).repeated_points() == 0
    assert Design((("n", Range(1, 64, integer=True)),), n=64).notes() == []


def test_sample_seed_and_count_are_plain_ints_and_a_seed_too_large_says_the_limit():
    d = Design((("we", Range(0.3, 0.9)),), n=np.int64(4), seed=np.int32(3))
    assert type(d.n) is int and type(d.seed) is int
    doc = json.loads(json.dumps(d.to_json()))
    assert doc["samples"] == 4 and doc["sample_seed"] == 3
    assert d == Design((("we", Range(0.3, 0.9)),), n=4, seed=3)
    with pytest.raises(UsageError, match=r"integer 0\.\.2\^63-1, got 9223372036854775808"):
        Design((("we", Range(0.3, 0.9)),), n=4, seed=2**63)


def test_a_module_range_given_again_with_p_keeps_its_place_and_its_points(tmp_path):
    # -p of the module's own range moved it last in the design: other points at every sample, another store name
    from brainbatch.sweep.experiment import load_experiment
    from brainbatch.sweep.plan import make_plan

    path = tmp_path / "two.py"
    path.write_text("import brainbatch as bb\n"
                    "sweep = {'we': bb.Range(0.3, 0.9), 'wi': bb.Range(4.0, 9.0)}\nmonitors = {'V': 'E.V'}\n"
                    "def build(we=0.6, wi=6.0):\n    raise RuntimeError('not built here')\n")
    exp = load_experiment(str(path))
    alone = make_plan(exp, samples=4)
    for given in ({"we": "0.3:0.9"}, {"we": Range(0.3, 0.9)}, {"wi": "4:9", "we": "0.3:0.9"}):
        again = make_plan(exp, params=given, samples=4)
        assert again.design.names == alone.design.names == ["we", "wi"], given
        assert again.samples == alone.samples and again.out == alone.out, given
    grid = make_plan(exp, params={"we": "0.4,0.6"}, samples=4)  # a grid in its place: the design is wi alone
    assert grid.design.names == ["wi"] and grid.axes["we"] == [0.4, 0.6]
