"""Session 37 review of the sweep, store, CLI and run changes.

- ``bb.Range(0.1, 0.5, unit="1")`` (or ``unit=u.UNITLESS``) kept the unit ``"1"``, so the range read as the text
  ``"0.1 1:0.5 1"`` and a sweep of it was refused ("low bound '0.1 1' is not a number"), although dimensionless
  bounds are plain numbers (``Range(0.05 * u.UNITLESS, 0.1 * u.UNITLESS)`` already was ``0.05:0.1``).
- A dry run with ``--scheduler`` said ``--workers`` is ignored but not ``--dashboard``, which the sweep itself says
  is ignored too (``executors/dask.py``).
"""
from __future__ import annotations

import brainunit as u
import pytest
from _support import LIF_TAU, TOY, invoke

import brainbatch as bb
from brainbatch.sweep import load_experiment
from brainbatch.sweep.errors import UsageError
from brainbatch.sweep.plan import make_plan


@pytest.mark.parametrize("unit", ["1", u.UNITLESS])
def test_a_range_named_dimensionless_has_plain_bounds_and_samples(unit):
    rng = bb.Range(10, 20, unit=unit)
    assert rng.unit is None and rng.text() == "10:20" and rng == bb.Range(10, 20)
    assert bb.Range(0.05 * u.UNITLESS, 1, unit=unit).text() == "0.05:1"
    plan = make_plan(load_experiment(LIF_TAU), params={"tau": rng}, samples=4)
    assert plan.n_runs == 4 and all(10 <= tau < 20 for tau in plan.samples["tau"])  # the design's points
    assert plan.design.to_json()["ranges"]["tau"] == {"low": 10.0, "high": 20.0, "scale": "linear", "integer": False}


def test_a_range_named_dimensionless_still_refuses_bounds_with_a_dimension():
    with pytest.raises(UsageError, match=r"low bound 5 ms is not a plain number, as unit='1' is"):
        bb.Range(5 * u.ms, 10 * u.ms, unit="1")


def test_a_dry_run_says_a_dashboard_given_with_a_scheduler_is_ignored(in_tmp):
    res = invoke("sweep", TOY, "--executor", "dask", "--scheduler", "tcp://10.0.0.1:8786", "--dashboard",
                 "0.0.0.0:8787", "--workers", "3", "--dry-run")
    assert res.returncode == 0, res.stderr
    assert "(--workers 3 and --dashboard 0.0.0.0:8787 are ignored: that cluster has its own)" in res.stdout
    res = invoke("sweep", TOY, "--executor", "dask", "--scheduler", "tcp://10.0.0.1:8786", "--dry-run")
    assert "ignored" not in res.stdout  # nothing given that it ignores: nothing said
    assert not (in_tmp / "results").exists()
