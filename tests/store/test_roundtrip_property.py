"""Property: any shapes, dims, dtypes, time chunkings and write splits round-trip exactly."""
from __future__ import annotations

import tempfile

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brainbatch.store import ResultStore, StoreSpec, VarSpec, open_results

DTYPES = ["bool", "int8", "int32", "uint16", "int64", "float16", "float32", "float64", "complex64", "complex128"]


@st.composite
def specs(draw):
    def var(i, kind):
        shape = tuple(draw(st.lists(st.integers(1, 4), max_size=2)))
        return VarSpec(f"{kind}{i}.x", tuple(f"{kind}{i}_d{j}" for j in range(len(shape))), shape,
                       draw(st.sampled_from(DTYPES)), every=draw(st.integers(1, 3)) if kind == "r" else 1)

    axis_values = st.sampled_from([[0.5, 1.5], [2], ["a", "bb"], [1, 2], [-1.25]])
    params = {f"p{k}": draw(axis_values) for k in range(draw(st.integers(0, 2)))}
    # up to 12 steps: with time chunks of 1-10 and write splits of 1-9 samples, still several chunks, partial last
    # chunks and writes that straddle chunk boundaries (25 steps doubled the writes, each a zarr call, for no new case)
    return StoreSpec(
        "prop", "h", params, seeds=draw(st.sampled_from([[0], [3, 1]])), n_steps=draw(st.integers(1, 12)),
        dt=draw(st.sampled_from([0.1, 0.025, 1.0])), t0=draw(st.sampled_from([0.0, -5.0])),
        records=tuple(var(i, "r") for i in range(draw(st.integers(1, 3)))),
        states=tuple(var(i, "s") for i in range(draw(st.integers(0, 2)))),
        time_chunk=draw(st.none() | st.integers(1, 10)),
    )


def _values(rng, shape, dtype):
    if dtype == "bool":
        return rng.random(shape) < 0.3
    if np.dtype(dtype).kind == "c":  # a complex state (an oscillator's phase): both parts, and a NaN
        out = (rng.normal(scale=100, size=shape) + 1j * rng.normal(scale=100, size=shape)).astype(dtype)
        out.flat[0] = complex(np.nan, 1.0)
        return out
    info = np.finfo(dtype) if np.dtype(dtype).kind == "f" else np.iinfo(dtype)
    if np.dtype(dtype).kind == "f":
        out = rng.normal(scale=100, size=shape).astype(dtype)
        out.ravel()[:1] = info.max  # extremes survive too
        return out
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), seed=st.integers(0, 2**32 - 1), split=st.integers(1, 9), done_p=st.sampled_from([1.0, 0.5]))
def test_write_then_read_back_exactly(spec, seed, split, done_p):
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = ResultStore.create(f"{tmp}/p.zarr", spec)
        written, done = {}, {}
        for run in store.runs():
            idx = run.index
            for var in spec.records:
                data = _values(rng, (-(-spec.n_steps // var.every), *var.shape), var.dtype)
                for start in range(0, len(data), split):  # arbitrary split, not aligned to chunks
                    store.write_record(idx, var.name, start, data[start:start + split])
                written[var.name, idx] = data
            states = {v.name: _values(rng, v.shape, v.dtype) for v in spec.states}
            store.write_states(idx, states)
            written.update({("states/" + k, idx): v for k, v in states.items()})
            done[idx] = bool(rng.random() < done_p)
            if done[idx]:
                store.mark_done(idx)

        # read once (the same lazy arrays computed whole): a dask compute per run and variable was most of the read
        ds = open_results(store.path, states=True).load()
        assert list(ds["seed"].values) == sorted(spec.seeds)  # open_results sorts seeds and parameter values
        for name, values in spec.params.items():
            assert ds[name].values.tolist() == sorted(values)
        for (name, idx), want in written.items():
            got = ds[name].sel(store.coords_of(idx)).values
            assert got.dtype == want.dtype and got.shape == want.shape, name
            if not done[idx] and want.dtype.kind in "fc":
                assert np.isnan(got).all()  # unfinished float and complex runs are masked
            else:
                np.testing.assert_array_equal(got, want, err_msg=f"{name} run {idx}")
        for var in spec.records:
            tdim = "time" if var.every == 1 else f"time_every{var.every}"
            np.testing.assert_allclose(ds[tdim], spec.t0 + spec.dt * var.every * np.arange(ds.sizes[tdim]))
            assert ds[var.name].dims == (*spec.run_dims, tdim, *var.dims)
