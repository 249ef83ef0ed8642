"""`brainbatch run`, a local dask cluster's workers and `status` as a newcomer meets them, session 36 (second pass):

- `brainbatch run toy.py`, then `brainbatch run toy.py -p drive=1.3`, was refused: both went to
  `results/toy/run.zarr`, whose parameter axes cannot change, with a message about "this sweep" and "sweep the same
  parameters in the same order". A run setting parameters now gets a store named after them, as a sweep's is
  (`run-drive.zarr`), where further runs of those names join it; a refusal a run still meets speaks of a run; a run
  that leaves cells of its store's grid pending says so.
- `--executor dask --workers 1000` was accepted, and the plan started 1000 JAX processes for one batch: more than
  4 per core is refused, a local cluster starts one worker per batch at most (the plan says so), and without
  `--batch-size` the runs are spread over its workers (every run in one batch left all but one worker idle).
- `brainbatch status` of a sweep killed before its first checkpoint said "running, 150 / 200 steps, continues from
  step 0" without a word on why; a failed run said it continues from its checkpoint, which the next sweep drops.
"""
import re

import numpy as np
import pytest
from _support import TOY, invoke, refused_in_one_line

import brainbatch as bb
from brainbatch.store import ResultStore
from brainbatch.sweep.device_choice import cpu_cores


def test_a_run_setting_a_parameter_gets_its_own_default_store_and_the_next_values_join_it(in_tmp):
    plain = invoke("run", TOY, "--duration", "2", "-q", cwd=in_tmp)
    assert plain.returncode == 0, plain.stderr
    first = invoke("run", TOY, "--duration", "2", "-p", "drive=1.3", "-q", cwd=in_tmp)
    assert first.returncode == 0, first.stderr  # was refused: "... sweeps parameters [] but this sweep has ['drive']"
    assert first.stdout.strip() == "1 run(s) done, 0 failed, 0 already done -> results/toy/run-drive.zarr"
    second = invoke("run", TOY, "--duration", "2", "-p", "drive=1.4", "--seed", "1", cwd=in_tmp)
    assert second.returncode == 0, second.stderr
    assert "-> results/toy/run-drive.zarr" in second.stdout
    # the store is a grid: seed 0 with 1.4 and seed 1 with 1.3 were never asked for, and the run says so
    note = " ".join(second.stderr.split())
    assert "results/toy/run-drive.zarr holds its runs as a grid (seed x drive: every seed with every value)" in note
    assert "2 of its 4 runs are pending" in note and "--out gives a run a store of its own" in note
    assert "not finished: seed=0, drive=1.4; seed=1, drive=1.3)" in note  # status lists no run never started

    alone = ResultStore.open(in_tmp / "results/toy/run.zarr", "r")
    assert alone.spec.params == {} and alone.counts()["done"] == 1
    store = ResultStore.open(in_tmp / "results/toy/run-drive.zarr", "r")
    assert store.spec.params == {"drive": [1.3, 1.4]} and store.spec.seeds == [0, 1]
    assert store.status_of(store.run_index(seed=0, drive=1.3)) == "done"
    assert store.status_of(store.run_index(seed=1, drive=1.4)) == "done"
    assert store.counts() == {"done": 2, "pending": 2, "running": 0, "failed": 0}


def test_a_refusal_a_run_still_meets_speaks_of_a_run(tmp_path):
    out = tmp_path / "mine.zarr"
    assert invoke("run", TOY, "--duration", "2", "-q", "--out", out).returncode == 0
    # the same --out with a parameter set: the store's axes cannot change
    res = invoke("run", TOY, "--duration", "2", "-q", "--out", out, "-p", "drive=1.3")
    assert refused_in_one_line(res), res.stderr
    assert f"{str(out)!r} holds runs over parameters [] but this run has ['drive']" in res.stderr
    assert "or set the same parameters in the same order" in res.stderr
    assert "sweep" not in res.stderr.replace("brainbatch sweep", "")
    # another dt into the same store: the store's words, for a run
    res = invoke("run", TOY, "--duration", "2", "-q", "--out", out, "--dt", "0.05")
    assert res.returncode == 2 and "dt: store has 0.1, this run has 0.05" in res.stderr
    assert "this sweep" not in res.stderr


def test_a_local_dask_cluster_of_far_more_workers_than_cores_is_refused(in_tmp):
    most = 4 * cpu_cores()
    res = invoke("sweep", TOY, "--executor", "dask", "--workers", most + 1, "--dry-run")
    assert refused_in_one_line(res), res.stderr
    assert (f"--workers {most + 1} is far more than this machine's {cpu_cores()} CPU core(s)" in res.stderr
            and f"so at most {most} (4 per core" in res.stderr and "--scheduler ADDRESS" in res.stderr)
    # a --scheduler cluster's workers are its own: not checked here (a dry run does not contact it)
    res = invoke("sweep", TOY, "--executor", "dask", "--scheduler", "tcp://10.0.0.1:8786", "--workers", most + 1,
                 "--dry-run")
    assert res.returncode == 0 and "the scheduler at tcp://10.0.0.1:8786 and its workers" in res.stdout, res.stderr
    # ... and said to be ignored there, with the dashboard's address (they shape a local cluster only)
    assert f"(--workers {most + 1} is ignored: that cluster has its own)" in res.stdout
    assert not (in_tmp / "results").exists()


def test_a_local_dask_cluster_starts_one_worker_per_batch_at_most_and_its_runs_are_spread_over_them(in_tmp):
    # 2 seeds x 2 drives of the toy, 4 runs: batches of 4 runs for 4 workers left three of them idle
    res = invoke("sweep", TOY, "--seeds", "2", "--executor", "dask", "--workers", "4", "--dry-run")
    assert res.returncode == 0, res.stderr
    assert re.search(r"batches +4 ", res.stdout), res.stdout
    assert "executor    dask: a local cluster of 4 worker process(es); each worker takes" in res.stdout
    # a batch size given: 2 batches, so 2 workers started, not 4, and the plan says why
    res = invoke("sweep", TOY, "--seeds", "2", "--executor", "dask", "--workers", "4", "--batch-size", "2", "--dry-run")
    assert res.returncode == 0 and re.search(r"batches +2 ", res.stdout), res.stdout
    assert ("a local cluster of 2 worker process(es), one per batch (--workers 4, capped at the 2 batch(es))"
            in res.stdout)
    from brainbatch.sweep.executors.dask import local_workers

    assert local_workers(1000, 1) == 1 and local_workers(None, 10) == 2
    assert not (in_tmp / "results").exists()


@pytest.fixture(scope="module")
def toy_store(tmp_path_factory):
    """A done store of 1 seed x 2 drives of the toy, 30 steps (one compile for the module)."""
    out = tmp_path_factory.mktemp("s36b") / "t.zarr"
    assert bb.sweep(TOY, seeds=1, out=str(out), duration=3, batch_size=1, devices="cpu", progress=False).done == 2
    return out


def test_status_says_why_a_run_continues_from_step_0_and_that_a_failed_one_starts_again(toy_store):
    store = ResultStore.open(toy_store)
    killed, failed = store.run_index(seed=0, drive=1.2), store.run_index(seed=0, drive=1.5)
    states = store.read_states(failed)
    # a sweep killed (kill -9) at step 20 of 30 before the run's first checkpoint
    store.set_status(killed, "running")
    store.set_steps_done(killed, 20)
    store.forget_progress(killed)
    store.set_steps_done(killed, 20)
    # a run that failed at step 20 after a checkpoint at step 10: the next sweep drops the checkpoint
    store.set_status(failed, "failed", error="RuntimeError: boom")
    store.forget_progress(failed)
    store.save_state(failed, states, 10)
    store.set_steps_done(failed, 20)
    assert store.checkpoint_step(failed) == 10 and np.all(store.steps_done() == 20)

    res = invoke("status", toy_store)
    assert res.returncode == 1, res.stderr  # a failed run
    text = res.stdout
    assert "seed=0, drive=1.2: running, 20 / 30 steps (67%), continues from step 0 (no checkpoint saved yet)" in text
    assert "seed=0, drive=1.5: failed, 20 / 30 steps (67%), continues from step 0 (a failed run starts again from " \
           "step 0)" in text
    assert "at most every --checkpoint-every seconds of the sweep, 60 by default" in " ".join(text.split())
