"""The automatic batch size: narrow on CPU, as wide as memory and the records allow on accelerators."""
import math

import pytest

from brainbatch.sweep.batching import (ACCELERATOR_CHUNK_BYTES, ACCELERATOR_STATE_SHARE, BATCH_STATE_BUDGET,
                                       MAX_AUTO_BATCH, MAX_AUTO_BATCH_ACCELERATOR, MIN_ACCELERATOR_CHUNK_STEPS,
                                       auto_batch_size, chunk_steps)
from brainbatch.sweep.device_choice import ASSUMED_ACCELERATOR_MEMORY, device_memory


class _Rec:
    def __init__(self, shape, dtype="bool", every=1):
        self.shape, self.dtype, self.every = shape, dtype, every


@pytest.mark.parametrize("state", [1, 3_624_004, BATCH_STATE_BUDGET // 5, 2 * BATCH_STATE_BUDGET])
def test_cpu_batches_stay_narrow_and_within_the_state_budget(state):
    b = auto_batch_size(state, ["cpu:0", "cpu:1"], record_bytes_per_step=4000)
    assert 1 <= b <= MAX_AUTO_BATCH
    assert b == 1 or b * state <= BATCH_STATE_BUDGET


def test_an_accelerator_takes_wide_batches_bounded_by_its_memory():
    # "gpu:7" does not exist here, so its memory is the documented assumption
    assert device_memory("gpu:7") == ASSUMED_ACCELERATOR_MEMORY
    state = 3_624_004  # COBA 4000: connectivity drawn per seed
    b = auto_batch_size(state, ["gpu:7"])
    assert MAX_AUTO_BATCH < b <= MAX_AUTO_BATCH_ACCELERATOR
    assert b == int(ASSUMED_ACCELERATOR_MEMORY * ACCELERATOR_STATE_SHARE) // state
    assert auto_batch_size(1, ["gpu:7"]) == MAX_AUTO_BATCH_ACCELERATOR
    assert auto_batch_size(10**15, ["gpu:7"]) == 1


def test_recorded_bytes_keep_an_accelerator_call_long_enough():
    per_step = 4000.0  # every neuron's spike, one byte each
    b = auto_batch_size(1000, ["gpu:7"], record_bytes_per_step=per_step)
    assert b == ACCELERATOR_CHUNK_BYTES // (per_step * MIN_ACCELERATOR_CHUNK_STEPS)
    steps = chunk_steps(10_000, [_Rec((4000,))], b, devices=["gpu:7"])
    assert steps >= MIN_ACCELERATOR_CHUNK_STEPS
    assert steps * b * per_step <= ACCELERATOR_CHUNK_BYTES
    # on CPU the same records make shorter calls (a smaller budget per call)
    assert chunk_steps(10_000, [_Rec((4000,))], b) < steps
    assert math.isclose(b, 536, abs_tol=1)


@pytest.mark.parametrize("devices, chunk", [(["cpu:0"], None), (["cpu:0"], 30), (["cpu:0", "cpu:1"], None)])
def test_a_sweeps_calls_fill_whole_chunk_files(tmp_path, devices, chunk):
    """The store's time chunk is the length of the calls the planner gives the batches, so no call ends
    inside a chunk file (which zarr would read back and encode again)."""
    from _support import TOY

    from brainbatch.sweep.api import prepare
    from brainbatch.store import ResultStore

    prep = prepare(TOY, seeds=6, out=str(tmp_path / "s.zarr"), duration=120.0, devices=devices, chunk_steps=chunk)
    calls = {t.chunk_steps for t in prep.tasks}
    assert len(calls) == 1
    (steps,) = calls
    assert prep.plan.n_steps % steps == 0  # equal calls: one compiled program
    store = ResultStore.open(prep.store_path, "r")
    for var in store.spec.records:
        assert store.time_chunk(var.name) * var.every == steps
