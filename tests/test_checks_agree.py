"""The store's jax-free checkers (store/_checks.py, store/_errors.py) follow the core's rules exactly."""
import numpy as np
import pytest

from brainbatch.core import checks as core_checks
from brainbatch.core.errors import did_you_mean as core_hint
from brainbatch.store import _checks as store_checks
from brainbatch.store._errors import did_you_mean as store_hint

VALUES = [0, 3, -2, np.int32(4), np.int64(-1), True, False, np.bool_(True), 1.0, 2.5, np.float32(1.5),
          "3", None, [1], 10**20]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_number_rules_agree(value):
    for name in ("is_bool", "is_int", "is_real"):
        assert getattr(core_checks, name)(value) == getattr(store_checks, name)(value), (name, value)


@pytest.mark.parametrize("name,choices", [
    ("E.v", ["E.V", "I.V"]), ("E.spkie", ["E.spike", "E.V"]), (0.66, [0.4, 0.6]), ("wee", ["we", "g"]),
    ("zzz", ["alpha", "beta"]), ("RATE", ["rate", "delta"]), ("x", []),
])
def test_hints_agree(name, choices):
    assert core_hint(name, choices) == store_hint(name, choices)


def test_int_checks_refuse_bools_with_one_message():
    from brainbatch.store import StoreError

    with pytest.raises(ValueError, match="n must be an integer >= 1, got True"):
        core_checks.check_int("n", True, minimum=1)
    with pytest.raises(StoreError, match="n must be an integer >= 1, got True"):
        store_checks.check_int("n", True, minimum=1)
    assert core_checks.check_int("n", np.int64(3), minimum=1) == store_checks.check_int("n", np.int64(3), minimum=1) == 3
