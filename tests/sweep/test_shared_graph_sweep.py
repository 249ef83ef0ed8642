"""A sweep of seeds on one network (``graph_seed``): one copy of the graph per batch, stores and resumes
as before, and the dry run counts the shared copy once (docs/large-models.md, run/sharing.py)."""
import re

import numpy as np
import pytest
from _support import arrays, invoke, write_experiment

import brainbatch as bb
from brainbatch.store import ResultStore

BODY = '''
import brainbatch as bb
monitors = {{"spikes": "E.spike"}}
duration = 4.0


def build(n=200, w=1.0):
    E = bb.LifRef(n, name="E", V_initializer=bb.Uniform(0.0, 20.0))
    rec = bb.Pathways({{"E": E}}, {{"E": E}}, bb.FixedTotalNumber.table([[40 * n]]), bb.Exponential(0.5), bb.CUBA(),
                      weight=bb.Normal(w, 0.2, keep_sign=True), delay=bb.Normal(1.0, 0.5), graph_seed=7,
                      save_connectivity={save})
    drive = bb.PoissonInput(E.V, 100, 25.0, 1.0)
    return bb.Network(E=E, rec=rec, drive=drive)
'''


@pytest.mark.parametrize("save", [True, False])
def test_a_sweep_on_one_graph_extends_in_time_as_if_run_at_once(tmp_path, save):
    exp = write_experiment(tmp_path, "one_graph.py", BODY.format(save=save))
    out, ref = tmp_path / "x.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=3, batch_size=3, progress=False, devices="cpu:1")
    bb.sweep(exp, duration=2.0, out=str(out), **kw)
    res = bb.sweep(exp, duration=4.0, out=str(out), **kw)  # every run continues from its saved state
    assert (res.done, len(res.failed)) == (3, 0)
    # at once: one sweep of 40 steps, in two calls of the 20-step program compiled above (no saved state between)
    bb.sweep(exp, duration=4.0, out=str(ref), chunk_steps=20, **kw)
    got, want = arrays(out), arrays(ref)
    assert np.array_equal(got["spikes"], want["spikes"]) and got["spikes"].sum() > 100
    assert not np.array_equal(got["spikes"][0], got["spikes"][1])  # one graph, different noise
    store = ResultStore.open(out, "r")
    assert ("rec.targets" in {v.name for v in store.spec.states}) == save
    saved = [store.checkpoint(run)[1] for run in store.runs()]
    assert not np.array_equal(saved[0]["E.V"], saved[1]["E.V"])
    if save:  # every run keeps the graph it ran on: the same one
        assert all(np.array_equal(saved[0]["rec.targets"], s["rec.targets"]) for s in saved[1:])


def test_the_dry_run_counts_the_shared_graph_once(tmp_path):
    exp = write_experiment(tmp_path, "one_graph.py", BODY.format(save=False))
    out = invoke("sweep", exp, "--seeds", "4", "--batch-size", "4", "--devices", "cpu:1", "--dry-run",
                 "--out", str(tmp_path / "a.zarr"))
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("memory"))
    state = re.search(r"([0-9.]+) (KiB|MiB) of state per run", line)
    shared = re.search(r"([0-9.]+) (KiB|MiB) of it shared: one copy per batch", line)
    needed = re.search(r"needs about ([0-9.]+) (KiB|MiB) \(4 run\(s\) at once\)", line)
    assert state and shared and needed, line
    to_kb = {"KiB": 1.0, "MiB": 1024.0}
    s, c, n = (float(m.group(1)) * to_kb[m.group(2)] for m in (state, shared, needed))
    assert 0.5 * s < c < s  # the table is most of the state
    assert n == pytest.approx(1.5 * (4 * (s - c) + c), rel=0.02)  # not 1.5 x 4 x the state


def test_a_sweep_that_cannot_fit_even_sharing_its_graph_is_refused_with_both_figures(tmp_path):
    exp = write_experiment(tmp_path, "one_graph.py", BODY.format(save=False))
    store = tmp_path / "b.zarr"
    out = invoke("sweep", exp, "--seeds", "4", "--batch-size", "4", "--devices", "cpu:1", "--out", str(store),
                 env_extra={"BRAINBATCH_MEMORY_LIMIT": "10K"})
    assert out.returncode == 2 and not store.exists()
    err = out.stderr.strip()
    assert len(err.splitlines()) == 1 and "4 run(s) at once" in err, err
    assert re.search(r"of state, [0-9.]+ KiB of it shared by a batch's runs and held once per batch", err), err


def test_the_automatic_batch_size_counts_the_shared_part_once():
    from brainbatch.sweep.batching import BATCH_STATE_BUDGET, MAX_AUTO_BATCH, auto_batch_size

    state = BATCH_STATE_BUDGET // 2  # two runs fit when each holds its own graph
    assert auto_batch_size(state) == 2
    assert auto_batch_size(state, shared_bytes=state - state // 100) == MAX_AUTO_BATCH  # ~1 % is each run's own
