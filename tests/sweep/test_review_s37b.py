"""Review of session 37's last changes to sweeps and units:

- a large array of quantities converted under x64 is rounded to 15 digits in numpy: an element just below a power of
  ten (9999.99999999999, 9.99999999999999e-05) had its exponent taken from log10, which rounds up onto the power, and
  kept 14 digits (10000.0, 0.0001), not the scalar rounding the docstring promises;
- the warning for calls lengthened to a narrow store's time chunk named the plan's widest batch: a sweep of a store
  whose runs were all done warned of 610 MiB of records per call for 16 runs, none of which ran; one resumed with
  15 runs left said 16.
"""
import dataclasses
import math

import numpy as np
from _support import WIDE

from brainbatch.core.units import _fifteen_digits
from brainbatch.sweep import SweepOptions, prepare
from brainbatch.sweep.api import _lengthened_calls


def _scalar(values):
    return np.asarray([float(f"{v:.15g}") if math.isfinite(v) else v for v in values.ravel().tolist()])


def test_a_large_array_just_below_a_power_of_ten_keeps_15_digits_as_each_scalar_does():
    below = [9999.99999999999, 99999.9999999999, 9.99999999999999e-05, 9.99999999999999e-06, 999999999999999.4,
             9.99999999999999e+17]
    x = np.concatenate([below, np.negative(below), np.linspace(0.1, 7.0, 5000)])  # past the element-by-element size
    got = _fifteen_digits(x)
    np.testing.assert_array_equal(got, _scalar(x))
    assert got[0] == 9999.99999999999 and got[2] == 9.99999999999999e-05  # were 10000.0 and 0.0001


def test_calls_lengthened_to_a_stores_chunk_warn_of_the_batches_that_run_not_the_plans_widest(tmp_path):
    # the tasks a resume of 15 runs at --batch-size 16 makes (a dry run plans them as the sweep does): one batch of 15
    tasks = prepare(WIDE, SweepOptions(seeds=list(range(15)), batch_size=16, dry_run=True,
                                      out=str(tmp_path / "w.zarr"))).tasks
    assert [len(t.runs) for t in tasks] == [15]
    step_bytes = 20000 * 4  # one run's V (float32) per step
    said = _lengthened_calls(tasks, 500, step_bytes, "w.zarr")
    assert said is not None and "hold about 572 MiB of records for 15 run(s) at once" in said, said
    # every run done: no call runs, nothing to warn of (it said 610 MiB for 16 runs)
    assert _lengthened_calls([], 500, step_bytes, "w.zarr") is None
    # one run left of the same store: 38 MiB, within the budget
    one = dataclasses.replace(tasks[0], runs=tasks[0].runs[:1])
    assert _lengthened_calls([one], 500, step_bytes, "w.zarr") is None
