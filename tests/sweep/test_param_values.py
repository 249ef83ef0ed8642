"""Parameter values: typed by the default, one normalisation for merging and finding runs (issue 19,
items 7, 8 and the 400-digit integer of 17)."""
import pytest
from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.sweep import UsageError, load_experiment, make_plan

# these tests plan only, and their experiments record nothing on purpose
pytestmark = pytest.mark.filterwarnings("ignore::brainbatch.sweep.errors.NearMissWarning")

TYPED = """
import brainbatch as bb

def build(label="a", n=4, rate=1.5, on=False, extra=None):
    raise RuntimeError("never built in these tests")
"""

UNTYPED = """
import jax.numpy as jnp
import brainbatch as bb
import toy_base

monitors = {"V": "G.V"}
duration = 1.0

def build(**kw):
    gain = kw.get("gain", 1)
    return bb.Network(G=toy_base.Toy(3, 1.5 / (2 - gain)))  # gain 2: drive inf, V NaN: the run fails
"""


@pytest.fixture
def typed(tmp_path):
    (tmp_path / "typed.py").write_text(TYPED)
    return load_experiment(tmp_path / "typed.py")


def _axis(exp, name, text):
    return make_plan(exp, params={name: text}).axes[name]


def test_values_follow_the_defaults_type(typed):
    assert _axis(typed, "label", "007,true,nan,1e3") == ["007", "true", "nan", "1e3"]
    assert _axis(typed, "n", "7,8.0") == [7, 8] and _axis(typed, "rate", "2") == [2.0]
    assert _axis(typed, "on", "true,False") == [True, False]
    # a parameter without a typed default: plain numbers are numbers, anything else stays text
    assert _axis(typed, "extra", "007,abc,nan,true") == ["007", "abc", "nan", "true"]
    assert _axis(typed, "extra", "1,2.5,-3e-2") == [1, 2.5, -0.03]
    with pytest.raises(UsageError, match=r"'extra' mixes numbers and text \(1, 'abc'\).*written as one"):
        _axis(typed, "extra", "1,abc")
    with pytest.raises(UsageError, match=r"'rate' must be finite, got 'nan'"):
        _axis(typed, "rate", "nan")
    with pytest.raises(UsageError, match=r"'extra' lists a value twice"):
        _axis(typed, "extra", "1,1.0")


def test_a_400_digit_integer_is_bad_input_in_one_line(typed):
    for name in ("n", "extra"):
        res = CliRunner().invoke(main, ["sweep", typed.path, "-p", f"{name}={'9' * 400}", "--dry-run"])
        assert res.exit_code == 2 and "Traceback" not in res.output, res.output
        assert f"parameter {name!r}" in res.output and "400 characters" in res.output
    res = CliRunner().invoke(main, ["sweep", typed.path, "-p", f"n={'9' * 30}", "--dry-run"])
    assert res.exit_code == 2 and "does not fit a 64-bit integer" in res.output


def test_untyped_int_then_float_values_find_the_same_runs(tmp_path):
    from _support import TOY
    import shutil

    shutil.copy(TOY, tmp_path / "toy_base.py")
    (tmp_path / "untyped.py").write_text(UNTYPED)
    out = str(tmp_path / "u.zarr")
    args = ["sweep", str(tmp_path / "untyped.py"), "--out", out, "-q"]
    first = CliRunner().invoke(main, args + ["-p", "gain=1,2"])
    assert first.exit_code == 1 and "1 run(s) done, 1 failed" in first.output, first.output
    again = CliRunner().invoke(main, args + ["-p", "gain=1.0,2.0"])
    # the failed run is run again (its retry failing or not is item 1's matter), never counted as already done
    assert "1 run(s) done, 0 failed, 1 already done" in again.output or \
        "0 run(s) done, 1 failed, 1 already done" in again.output, again.output


def test_two_parameters_in_one_p_name_the_slip(typed):
    """`-p n=7,rate=2` gave n the values 7 and 'rate=2' ("takes an integer, got 'rate=2'"): the message
    now says what happened and how to write it."""
    for name in ("n", "rate", "on", "extra"):
        with pytest.raises(UsageError, match=rf"'{name}' got the value 'label=b', which names another parameter.*"
                                             rf"-p {name}=\.\.\. -p label=\.\.\."):
            _axis(typed, name, "label=b")
    assert _axis(typed, "label", "a=b,c") == ["a=b", "c"]  # a text parameter keeps its text
