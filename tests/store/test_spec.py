"""StoreSpec / VarSpec validate at construction, name the bad value, and round-trip through JSON."""
from __future__ import annotations

import json

import numpy as np
import pytest

from brainbatch.store import StoreError, StoreSpec, VarSpec


def test_json_round_trip(spec):
    again = StoreSpec.from_json(json.loads(json.dumps(spec.to_json())))
    assert again == spec and again.records[2].every == 7


def test_normalises_numpy_and_lists():
    v = VarSpec("E.V", ["E_neuron"], [np.int64(4)], np.float32)
    assert v.dims == ("E_neuron",) and v.shape == (4,) and v.dtype == "float32"
    s = StoreSpec("x", "h", {"we": np.array([0.5, 1.0])}, seeds=np.arange(2), n_steps=np.int64(3), dt=1)
    assert s.params == {"we": [0.5, 1.0]} and s.seeds == [0, 1] and type(s.seeds[0]) is int


@pytest.mark.parametrize("kwargs, match", [
    ({"name": "E/V"}, "may not contain '/'"),
    ({"dims": ("a",), "shape": (1, 2)}, "differ in length"),
    ({"dtype": "U8"}, "supported dtypes are"),  # text: complex64 is supported (an oscillator's state)
    ({"shape": (0,)}, "must be >= 1"),
    ({"every": 0}, "every must be an integer >= 1, got 0"),
    ({"dims": ("a", "a"), "shape": (1, 1)}, "repeats a dim"),
])
def test_varspec_errors(kwargs, match):
    base = {"name": "E.V", "dims": ("a",), "shape": (2,), "dtype": "float32"}
    with pytest.raises(StoreError, match=match):
        VarSpec(**{**base, **kwargs})


@pytest.mark.parametrize("kwargs, match", [
    ({"params": {"we": []}}, "'we' has no values"),
    ({"params": {"we": [1, "a"]}}, "mixes"),
    ({"params": {"we": [1, 1.0]}}, "repeats values"),
    ({"params": {"time": [1]}}, "clashes"),
    ({"params": {"E_neuron": [1]}, "records": (VarSpec("E.V", ("E_neuron",), (2,), "float32"),)}, "clashes"),
    ({"params": {"we": [1]}, "states": (VarSpec("we", (), (), "float32"),)}, "state name 'we' clashes"),
    ({"seeds": [0.5]}, "seeds must be integers"),
    ({"n_steps": 0}, "n_steps must be an integer >= 1, got 0"),
    ({"dt": -0.1}, "dt must be a positive number"),
    ({"time_chunk": 0}, "time_chunk must be None or an integer >= 1"),
    ({"records": (VarSpec("a", ("n",), (2,), "bool"), VarSpec("b", ("n",), (3,), "bool"))},
     "dim 'n' has size 3 in 'b' but 2 in 'a'"),
    ({"records": (VarSpec("a", (), (), "bool"), VarSpec("a", (), (), "bool"))}, "repeat names"),
    ({"records": (VarSpec("status", (), (), "bool"),)}, "clashes"),
    ({"states": (VarSpec("a", (), (), "bool", every=2),)}, "records only"),
])
def test_storespec_errors(kwargs, match):
    base = {"experiment": "x", "source_hash": "h", "params": {}, "seeds": [0], "n_steps": 10, "dt": 0.1}
    with pytest.raises(StoreError, match=match):
        StoreSpec(**{**base, **kwargs})
