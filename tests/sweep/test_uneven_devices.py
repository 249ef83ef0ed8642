"""Batches of unequal size on two devices share one compiled program (sweep/batching.py ``balanced``,
``BatchTask.lanes``; sweep/cache.py ``share_between_cpu_devices``): 3 seeds on ``cpu:2`` used to compile
the init and chunk programs once per device and lane count."""
import logging
import re
from collections import Counter

import jax
import numpy as np
from _support import TOY

import brainbatch as bb
from brainbatch.sweep.batching import balanced


def _compiles(records) -> tuple[Counter, Counter]:
    """XLA compiles (persistent-cache misses) and reads of another device's compile (hits), by program."""
    misses, hits = Counter(), Counter()
    for rec in records:
        m = re.match(r"(PERSISTENT COMPILATION CACHE MISS|Persistent compilation cache hit) for '(\w+)'",
                     rec.getMessage())
        if m:
            (misses if m.group(1).isupper() else hits)[m.group(2)] += 1
    return misses, hits


def test_batch_sizes_differ_by_at_most_one():
    assert balanced(3, 2) == [2, 1] and balanced(10, 4) == [4, 3, 3] and balanced(0, 4) == []
    assert all(max(balanced(n, b)) <= b and sum(balanced(n, b)) == n for n in range(1, 40) for b in (1, 3, 8, 32))


def test_three_seeds_on_two_devices_compile_each_program_once(tmp_path, caplog):
    out = tmp_path / "uneven.zarr"
    before = jax.config.jax_persistent_cache_min_compile_time_secs
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)  # the toy compiles in well under 0.5 s
    try:
        with caplog.at_level(logging.DEBUG, logger="jax._src.compiler"):
            # n=37: programs no other test has compiled in this process
            result = bb.sweep(TOY, seeds=3, params={"n": [37], "drive": [1.5]}, out=str(out), devices="cpu:2",
                              progress=False)
    finally:
        jax.config.update("jax_persistent_cache_min_compile_time_secs", before)
    assert result.done == 3 and not result.failed
    assert sorted(len(runs) for runs, _ in result.batches) == [1, 2]
    assert sorted(device for _, device in result.batches) == ["cpu:0", "cpu:1"]
    misses, hits = _compiles(caplog.records)
    # the lone seed runs in a padded batch of 2 lanes: the same init and chunk programs, compiled once,
    # read back from the cache by the other device
    assert misses["jit_init"] == 1 and misses["jit_lane"] == 1, misses
    assert hits["jit_init"] == 1 and hits["jit_lane"] == 1, hits
    # the spare lane left no trace: the lone run is stored as it runs alone
    (lone,) = [runs for runs, _ in result.batches if len(runs) == 1][0]
    assert lone[0] == 2
    alone = tmp_path / "alone.zarr"
    bb.sweep(TOY, seeds=[2], params={"n": [37], "drive": [1.5]}, out=str(alone), devices="cpu", progress=False)
    ds, ref = bb.open_results(out), bb.open_results(alone)
    assert bool(ds.done.all()) and ds.sizes["seed"] == 3
    assert np.array_equal(ds.V.sel(seed=2).values, ref.V.sel(seed=2).values)
    assert np.array_equal(ds.spikes.sel(seed=2).values, ref.spikes.sel(seed=2).values)
