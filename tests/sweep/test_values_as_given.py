"""Values as users write them: exponents are numbers, NumPy arrays and scalars are lists of numbers, a
text sweep axis is refused at load, and a swept value used in Python control flow fails with the fix."""
import numpy as np
import pytest
from _support import TOY, invoke, write_experiment

import brainbatch as bb
from brainbatch.sweep import ExperimentError, UsageError
from brainbatch.sweep.api import prepare

SOURCE = open(TOY).read()


def axes(params, experiment=TOY):
    return prepare(experiment, bb.SweepOptions(seeds=1, duration=1.0, params=params, dry_run=True)).plan.axes


@pytest.mark.parametrize("text, value", [("1E5", 1e5), ("1e5", 1e5), ("2.5e-1", 0.25), ("-3E+2", -300.0)])
def test_an_exponent_is_a_number_not_a_unit(text, value):
    # '1E5' was read as 1 in a unit 'E5' and refused: "unknown unit 'E5'"
    assert axes({"drive": text})["drive"] == [value]
    assert axes({"drive": f"{text},7"})["drive"] == [value, 7.0]


def test_a_number_too_large_for_a_float_is_not_finite_rather_than_a_unit():
    with pytest.raises(UsageError, match="must be finite, got '1e400'"):
        axes({"drive": "1e400"})


def test_numpy_values_are_plain_numbers():
    assert axes({"drive": np.linspace(1.0, 2.0, 3)})["drive"] == [1.0, 1.5, 2.0]
    assert axes({"drive": np.float32(1.5)})["drive"] == [1.5]
    assert axes({"n": [np.int64(5), np.int32(7)]})["n"] == [5, 7]
    assert all(type(v) is int for v in axes({"n": np.array([5, 7])})["n"])


def test_a_bool_for_a_number_is_refused():
    with pytest.raises(UsageError, match="parameter 'drive' takes numbers, got True"):
        axes({"drive": True})


def test_a_module_sweep_axis_may_be_a_numpy_array_but_not_text(tmp_path):
    arr = write_experiment(tmp_path, "arr.py", SOURCE.replace(
        'sweep = {"drive": [1.2, 1.5]}', 'import numpy as np\nsweep = {"drive": np.linspace(1.2, 1.5, 3)}'))
    assert axes({}, arr)["drive"] == pytest.approx([1.2, 1.35, 1.5])
    text = write_experiment(tmp_path, "text.py", SOURCE.replace('sweep = {"drive": [1.2, 1.5]}',
                                                              'sweep = {"drive": "1.2,1.5"}'))
    with pytest.raises(ExperimentError, match=r"sweep axis 'drive' in .*text.py is the text '1.2,1.5'; give a list"):
        axes({}, text)


def test_a_swept_value_in_an_if_fails_with_what_to_do_instead(tmp_path):
    exp = write_experiment(tmp_path, "branch.py", SOURCE.replace(
        "        spike = V > 1.0", "        if self.drive > 1.3:\n            V = V + 0.0\n        spike = V > 1.0"))
    res = invoke("sweep", exp, "--seeds", "1", "--duration", "1", "--out", tmp_path / "b.zarr", "-q")
    assert res.returncode == 1, res.stderr
    assert "TracerBoolConversionError" in res.stderr and "use jnp.where instead of if/else" in res.stderr
    assert "static = [...]" in res.stderr
