"""Bounds of the truncated initializers that passed unseen (session 41): a NaN bound passed ``low < high`` (every
comparison with NaN is false) and drew NaN values; LogNormal's numbers beyond float32 became inf."""
import jax
import numpy as np
import pytest

import brainbatch as bb


@pytest.mark.parametrize("cls", [bb.TruncatedNormal, bb.LogNormal])
@pytest.mark.parametrize("bound, value", [("low", float("nan")), ("high", float("nan")), ("high", np.array([2.0, np.nan]))])
def test_a_nan_bound_is_refused_by_name(cls, bound, value):
    with pytest.raises(ValueError, match=rf"^{cls.__name__} {bound} must be a number \(-inf and inf are no bound\), "):
        cls(**{bound: value})


@pytest.mark.parametrize("name", ["mu", "sigma", "low", "high"])
def test_lognormal_numbers_beyond_float32_are_refused(name):
    with pytest.raises(ValueError, match=f"^LogNormal {name} is too large for float32"):
        bb.LogNormal(**{name: 1e40})


def test_infinite_bounds_are_still_no_bounds():
    key = jax.random.key(0)
    x = bb.TruncatedNormal(0.0, 1.0, low=-np.inf, high=np.inf)((2000,), key=key)
    y = bb.LogNormal(0.0, 1.0, low=0.0, high=np.inf)((2000,), key=key)
    assert np.isfinite(np.asarray(x)).all() and (np.asarray(y) > 0).all()
    # a N(0, 1) sample of 2000: its mean is within 4 standard errors (4 / sqrt(2000) = 0.09) of 0
    assert abs(float(np.mean(np.asarray(x)))) < 0.09
