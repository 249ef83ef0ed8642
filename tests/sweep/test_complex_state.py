"""A complex state (an oscillator's amplitude and phase) sweeps, resumes and reads back; its NaN fails the run
as a float's does. It was refused for every run: "variable 'z' has dtype 'complex64'"."""
import numpy as np
import pytest
import xarray as xr
from _support import write_experiment

import brainbatch as bb

OSC = '''
"""z' = (i w - 1/100) z: a rotating, slowly decaying complex amplitude."""
import jax.numpy as jnp

import brainbatch as bb


class Osc(bb.NeuGroup):
    def __init__(self, n, w):
        super().__init__(n)
        self.w = w
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("z", jnp.ones(self.num, jnp.complex64), dtype=jnp.complex64)

    def update(self):
        self.z.value = self.z.value * jnp.exp((1j * self.w - 0.01) * bb.share.dt)
        self.z.value = jnp.where(self.w > 5.0, jnp.nan + 0j, self.z.value)  # w > 5: blows up


params = {"w": 0.5}
monitors = {"z": "O.z"}
duration = 2.0


def build(w=0.5):
    return bb.Network(O=Osc(3, w))
'''


def test_a_complex_state_sweeps_extends_and_reads_back(tmp_path):
    exp = write_experiment(tmp_path, "osc.py", OSC)
    out = tmp_path / "s.zarr"
    result = bb.sweep(exp, seeds=1, params={"w": [0.5, 1.0, 9.0]}, out=str(out), progress=False)
    assert result.done == 2 and len(result.failed) == 1  # w = 9: NaN in a complex record fails as in a float one
    assert "NaN in recorded variable 'z'" in result.failed[0][1]
    bb.sweep(exp, seeds=1, params={"w": [0.5, 1.0]}, duration=4.0, out=str(out), progress=False)  # from saved z
    ds = xr.open_zarr(out)  # plain xarray
    assert ds.z.dtype == np.complex64
    got = ds.z.sel(seed=0, w=1.0).values[:, 0]
    steps = np.arange(1, 41) * 0.1
    np.testing.assert_allclose(got, np.exp((1j * 1.0 - 0.01) * steps), rtol=2e-5, atol=2e-6)
    done = bb.open_results(out)
    assert np.isnan(done.z.sel(seed=0, w=9.0).values).all()  # the failed run reads as missing
    done.bb.to_netcdf(tmp_path / "s.nc")  # netCDF has no complex type: real and imag along 'complex'
    nc = xr.open_dataset(tmp_path / "s.nc")
    back = nc.z.sel(complex="real") + 1j * nc.z.sel(complex="imag")
    np.testing.assert_array_equal(back.values, done.z.values)


BF16 = '''
import jax.numpy as jnp
import brainbatch as bb


class G(bb.NeuGroup):
    def __init__(self, n):
        super().__init__(n)
        self.reset_state()

    def reset_state(self, batch_size=None):
        self.init_variable("z", 0.0, dtype=jnp.bfloat16)
        self.init_variable("V", 0.0)

    def update(self):
        self.z.value = self.z.value + 1
        self.V.value = self.V.value + 1


monitors = {"V": "G.V"}
duration = 1.0


def build():
    return bb.Network(G=G(3))
'''


def test_a_dtype_no_store_holds_is_named_as_a_state_or_a_record_before_anything_is_written(tmp_path):
    """It said "variable 'G.z' has dtype ...": the user had recorded no 'G.z' (every state is saved)."""
    from brainbatch.sweep.errors import UsageError

    out = tmp_path / "s.zarr"
    with pytest.raises(UsageError, match=r"state variable \(saved with every run, to resume it\) 'G.z' has dtype "
                                         r"bfloat16, which a store does not hold; supported: bool, .*complex128"):
        bb.sweep(write_experiment(tmp_path, "bf.py", BF16), seeds=1, out=str(out), progress=False)
    assert not out.exists()
