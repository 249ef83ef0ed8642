"""A hostile review of session 37's changes to the object API, the BrainPy layer, the integrators, the models and
the example experiments: each test is a fault found there, fixed."""
from __future__ import annotations

import pathlib

import numpy as np
import pytest

import brainbatch as bb
from brainbatch.sweep import load_experiment

ROOT = pathlib.Path(__file__).resolve().parents[2]


# -- experiments/_analysis.per_cell: a swept size and a sampled design -------------------------------------------------
@pytest.fixture(scope="module")
def sized_sampled_store(tmp_path_factory):
    """poisson_lif over two sizes x two samples of the input rate: the store has ``E_neuron_count`` over the
    parameter dims and a ``rate`` coordinate over ``sample``, both lazy (dask) as ``open_results`` reads them."""
    out = tmp_path_factory.mktemp("review37b") / "plif.zarr"
    bb.sweep(ROOT / "experiments" / "poisson_lif.py", out=out, seeds=[0], progress=False, duration=20.0,
             params={"n": [3, 5], "rate": bb.Range(100.0, 200.0), "num_input": [40], "weight": [1.0]}, samples=2)
    return bb.open_results(out)


def test_analysis_labels_each_size_and_sample_by_its_parameters(sized_sampled_store):
    """``brainbatch show STORE --experiment poisson_lif.py`` of a sweep over ``n`` (or a sampled design) raised
    NotImplementedError ("'item' is not yet a valid method on dask arrays": per_cell read the lazy coordinates
    with ``.item()``), and the label would have carried the store's ``E_neuron_count`` beside the parameters."""
    ds = sized_sampled_store
    summary = load_experiment(ROOT / "experiments" / "poisson_lif.py").analyse(ds)
    rates = ds.bb.rates(var="spikes").mean("E_neuron")
    want = {}
    for n in (3, 5):
        for s in range(2):
            value = float(rates.sel(n=n).isel(sample=s, seed=0, num_input=0, weight=0))
            want[f"n={n}, rate={float(ds['rate'].values[s]):g}"] = f"{value:.2f} Hz"
    assert summary == want
    assert any(float(v.split()[0]) > 0 for v in summary.values())  # the runs fire: the numbers are rates, not NaN


# -- bp.odeint: exp_auto linearises by column sums (BrainPy's), an integrator given as an object keeps its own ----------
def test_odeint_keeps_brainbatchs_exponential_euler_given_as_an_object():
    """``bp.odeint(f, method=ExponentialEuler())`` (brainbatch's scheme, given as an object) was swapped for the
    BrainPy layer's column-sum scheme, so a coupled equation stepped with other numbers than the object asked for.
    One step of ``dy/dt = A y`` from ``y0``: the row-sum scheme takes ``a_i = sum_j A_ij``, the column-sum one
    ``a_i = sum_j A_ji`` (BrainPy 2.8.2's vector_grad), each ``y0 + dt f (exp(a dt) - 1) / (a dt)``."""
    import jax.numpy as jnp

    import brainbatch.brainpy as bp
    from brainbatch.integrators import ExponentialEuler

    A = np.array([[-1.0, 0.5], [0.0, -2.0]])
    y0, dt = np.array([1.0, 2.0]), 0.1
    f0 = A @ y0

    def by_hand(a):
        return y0 + dt * f0 * np.expm1(a * dt) / (a * dt)

    def f(y, t):
        return jnp.asarray(A, jnp.float32) @ y

    own = bp.odeint(f, method=ExponentialEuler(), dt=dt)(jnp.asarray(y0, jnp.float32), 0.0)
    named = bp.odeint(f, method="exp_auto", dt=dt)(jnp.asarray(y0, jnp.float32), 0.0)
    np.testing.assert_allclose(np.asarray(own), by_hand(A.sum(axis=1)), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(named), by_hand(A.sum(axis=0)), rtol=1e-6)
