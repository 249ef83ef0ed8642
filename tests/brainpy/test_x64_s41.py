"""``bm.enable_x64()``, which many of BrainPy's examples call first (the Hindmarsh-Rose, GIF and AdEx notebooks,
the decision-making models), was refused: a script stopped at its second line. It now turns JAX's 64-bit mode on,
so the script's own equations compute in float64 as in BrainPy; brainbatch's ready-made models keep float32 states
and a BrainPyDifferenceWarning says so (docs/migrating-from-brainpy.md).

References are BrainPy 2.8.2's numbers (``.venv-bench``, jax 0.10.2, CPU) for the same code with ``import brainpy``.
x64 is process-wide, so each test turns it off again (``x64_off``).
"""
from __future__ import annotations

import warnings

import jax
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm
from _notebooks import HindmarshRose  # dynamics_analysis/3d_hindmarsh_rose_model.ipynb, which calls bp.math.enable_x64() first


@pytest.fixture
def x64_off(monkeypatch):
    """x64 off after the test whatever happens, and the once-per-process warning armed again."""
    monkeypatch.setattr(bm, "_X64_WARNED", False)
    assert not jax.config.read("jax_enable_x64")
    yield
    bm.disable_x64()


#: BrainPy 2.8.2 with bm.enable_x64(): x at steps 0, 1, 10, 100, 1000 of DSRunner(model, monitors=['x'],
#: inputs=['I', 1.5]).run(100.2), exp_auto; its float32 run gave -0.136954 at step 1000 (1.2e-3 away)
HR_X64 = [1.332104137240255, 1.623877871521862, -0.20236686112588595, 0.6399693997590011, -0.13579388966350353]


def test_enable_x64_runs_the_notebook_in_float64_as_brainpy(x64_off):
    with pytest.warns(bp.BrainPyDifferenceWarning, match="float32 states") as caught:
        bm.enable_x64()
    assert caught[0].filename == __file__  # the script's line, not brainbatch's
    runner = bp.DSRunner(HindmarshRose('exp_auto'), monitors=['x'], inputs=['I', 1.5], progress_bar=False)
    runner.run(100.2)
    x = np.asarray(runner.mon['x'])[:, 0]
    assert x.dtype == np.float64 and np.asarray(runner.mon.ts).dtype == np.float64 and len(x) == 1002
    # float64 rounding over 1000 steps of a burst: 4e-15 apart here; float32 would be 1e-3 apart
    np.testing.assert_allclose(x[[0, 1, 10, 100, 1000]], HR_X64, rtol=0, atol=1e-10)


def test_ready_made_models_keep_float32_under_x64_and_run(x64_off):
    # bp.neurons.GIF (GIF notebook: Spike Frequency Adaptation, a=0.005) under x64, with a float64 input array
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bp.BrainPyDifferenceWarning)
        bm.enable_x64()
    Iext, duration = bp.inputs.constant_current([(2., 200.)])
    assert np.asarray(Iext).dtype == np.float64
    neu = bp.neurons.GIF(1, a=0.005)
    runner = bp.DSRunner(neu, inputs=('input', Iext, 'iter'), monitors=['V', 'spike'], progress_bar=False)
    runner.run(duration)
    V, spikes = np.asarray(runner.mon.V)[:, 0], np.asarray(runner.mon.spike)[:, 0]
    assert V.dtype == np.float32  # as the warning says
    # BrainPy 2.8.2 with bm.enable_x64() (and without): these spike steps, V -46.262786389623976 at the end
    assert np.nonzero(spikes)[0].tolist() == [146, 302, 466, 638, 817, 1004, 1198, 1399, 1606, 1819]
    assert abs(V[-1] - -46.262786389623976) < 1e-4  # float32 states: 1e-6 apart here


def test_the_warning_comes_once(x64_off):
    with pytest.warns(bp.BrainPyDifferenceWarning):
        bm.enable_x64()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bm.enable_x64()  # a second call (a script run twice in a notebook) says nothing more


def test_set_disable_and_brainpys_deprecated_argument(x64_off):
    with pytest.warns(bp.BrainPyDifferenceWarning):
        bm.set(x64=True, dt=0.1)
    assert jax.config.read("jax_enable_x64") and bm.zeros(1).dtype == np.float64 and bm.get_dt() == 0.1
    bm.set(x64=False)
    assert not jax.config.read("jax_enable_x64") and bm.zeros(1).dtype == np.float32
    # BrainPy 2.8.2: enable_x64(False) disables and warns that the argument is deprecated
    bm.enable_x64()
    with pytest.warns(DeprecationWarning, match="disable_x64"):
        bm.enable_x64(False)
    assert not jax.config.read("jax_enable_x64")


def test_environment_x64_holds_inside_the_block_only(x64_off):
    with pytest.warns(bp.BrainPyDifferenceWarning):
        with bm.environment(x64=True, dt=0.05):
            assert bm.zeros(1).dtype == np.float64 and bm.get_dt() == 0.05
            inside = bm.random.rand(2)
    assert inside.dtype == np.float64
    assert not jax.config.read("jax_enable_x64") and bm.zeros(1).dtype == np.float32


def test_bad_x64_values_are_named(x64_off):
    with pytest.raises(TypeError, match="x64 must be True or False, got 'yes'"):
        bm.set(x64="yes")
    with pytest.raises(ValueError, match="float_=.*float64.*x64=True"):
        bm.set(float_=np.float64)
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="got 1.5"):
        bm.enable_x64(1.5)
    assert not jax.config.read("jax_enable_x64")
    with pytest.warns(bp.BrainPyDifferenceWarning):
        bm.set(x64=True, float_=np.float64)  # BrainPy's pair is taken
