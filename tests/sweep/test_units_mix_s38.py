"""Plain numbers and values with a unit swept onto one parameter of one store (session 38): a build that takes a
quantity reads a plain number in its own unit (Izhikevich's a per ms), so the two are different readings of a.

- ``-p a=0.02`` then ``-p a=20Hz`` labelled the first run 0.02 Hz (it got 0.02 per ms = 20 Hz) beside a 20 Hz run of
  the same model: now refused, naming both readings;
- ``-p a=20Hz`` then ``-p a=0.1`` gave build a plain 0.1 (0.1 per ms) labelled 0.1 Hz: plain numbers onto a store
  that labels a in Hz are now values in Hz, as a plain number beside a unit in one list is.
"""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.sweep.errors import UsageError

IZH = """
import brainbatch as bb

monitors = {"V": "E.V", "u": "E.u"}
duration = 5.0

def build(a=0.02):
    return bb.Network(E=bb.Izhikevich(1, a=a, V_initializer=bb.Constant(-55.0)))
"""


@pytest.fixture()
def experiment(tmp_path):
    path = tmp_path / "izh.py"
    path.write_text(IZH)
    return str(path)


def _sweep(experiment, out, values):
    return bb.sweep(experiment, params={"a": values}, seeds=[0], out=str(out), progress=False)


def test_values_in_hz_onto_a_store_of_plain_numbers_build_takes_as_quantities_are_refused(experiment, tmp_path):
    out = tmp_path / "plain.zarr"
    _sweep(experiment, out, [0.02])
    with pytest.raises(UsageError, match=r"holds 'a' as plain numbers.*gives a in Hz.*two readings"):
        _sweep(experiment, out, ["20Hz"])
    ds = bb.open_results(out)
    assert ds.a.values.tolist() == [0.02] and "units" not in ds.a.attrs  # the store is as it was


def test_plain_numbers_onto_a_store_in_hz_are_values_in_hz(experiment, tmp_path):
    out, ref = tmp_path / "hz.zarr", tmp_path / "ref.zarr"
    _sweep(experiment, out, ["20Hz"])
    _sweep(experiment, out, [100.0])  # 100 Hz = 0.1 per ms, as the store's label says
    _sweep(experiment, ref, [0.1])  # Izhikevich's own plain reading: a = 0.1 per ms
    ds, plain = bb.open_results(out), bb.open_results(ref)
    assert ds.a.values.tolist() == [20.0, 100.0] and ds.a.attrs["units"] == "Hz"
    for name in ("V", "u"):
        np.testing.assert_array_equal(ds[name].sel(a=100.0).values, plain[name].sel(a=0.1).values)
    assert not np.array_equal(ds.u.sel(a=100.0).values, ds.u.sel(a=20.0).values)  # a matters to u


@pytest.mark.parametrize("line", ["DT = 0.05", "DURATION = 5.0"])
def test_the_contracts_names_in_capitals_are_not_passed_over_in_silence(tmp_path, line):
    from brainbatch.sweep.errors import NearMissWarning
    from brainbatch.sweep.experiment import load_experiment

    path = tmp_path / "caps.py"
    path.write_text(IZH + line + "\n")
    with pytest.warns(NearMissWarning, match=line.split()[0]):
        load_experiment(str(path))


def test_a_numpy_scalar_default_read_from_the_environment_is_held_to_like_a_float(tmp_path, monkeypatch):
    from brainbatch.store import StoreMismatchError

    path = tmp_path / "env.py"
    path.write_text(IZH.replace("def build(a=0.02):", "import os\nimport numpy as np\n\n"
                                "def build(a=0.02, c=np.float32(os.environ.get('RESET', '-65'))):")
                    .replace("a=a,", "a=a, c=c,"))
    out = tmp_path / "env.zarr"
    monkeypatch.setenv("RESET", "-65")
    bb.sweep(str(path), seeds=[0], out=str(out), progress=False)
    monkeypatch.setenv("RESET", "-50")
    from brainbatch.sweep import experiment as loading

    loading._LOADED.clear()  # a fresh process reads the module again, as the next `brainbatch sweep` would
    with pytest.raises((StoreMismatchError, UsageError), match=r"defaults.*c=-65"):
        bb.sweep(str(path), seeds=[1], out=str(out), progress=False)
