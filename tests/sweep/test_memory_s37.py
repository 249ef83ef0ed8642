"""The memory a sweep counts for runs that make several calls and keep checkpoints (sweep/memory.py,
docs/large-models.md, "What a sweep says and refuses").

Between the calls of a run the chunk loop hands the writer a copy of what a checkpoint keeps of the batch's
unshared state (the next call updates the state in place), and one copy may still be with the writer when the next
is made: a plastic network's weights are held three times. (The loop copied the seeded tables too, which no
checkpoint keeps: the microcircuit's sweeps peaked at 2.1-3.0x their state where 1.5x was counted; it copies only
what a checkpoint keeps now, and the estimate counts that.) No large model here: the formula
on small shapes, the refusal's text, and the dry run of a tiny sweep.
"""
import re

import pytest
from _support import invoke, tree, write_experiment

from brainbatch.errors import BrainbatchError
from brainbatch.sweep.memory import (CHECKPOINT_COPIES, PEAK_OVER_STATE, MemoryPlan, check_memory, describe_memory,
                                     memory_plan)

GB = 10**9


def test_a_run_of_several_calls_counts_its_checkpoint_copies_beside_its_state():
    one_call = memory_plan(2 * GB, 1, 4, ["cpu:0", "cpu:1"], None)
    several = memory_plan(2 * GB, 1, 4, ["cpu:0", "cpu:1"], None, checkpoints=True)
    assert one_call.runs_at_once == several.runs_at_once == 2  # one run per device, side by side
    assert one_call.needed == PEAK_OVER_STATE * 2 * 2 * GB == 6 * GB  # the init program's bound, as before
    # the state and the copies of it the writer may hold while the runs step: 3 x, not 1.5 x
    assert CHECKPOINT_COPIES == 2 and several.needed == (1 + CHECKPOINT_COPIES) * 2 * 2 * GB == 12 * GB


def test_a_shared_graph_is_never_copied_for_a_checkpoint():
    # 8 seeds on one graph (graph_seed): 0.9 GB of the 1 GB state is one copy per batch, and the chunk loop
    # never copies it (it is never donated); only the 0.1 GB each run owns is copied
    plan = memory_plan(GB, 8, 8, ["cpu:0"], None, shared_bytes=9 * GB // 10, checkpoints=True)
    assert (plan.runs_at_once, plan.batches) == (8, 1)
    assert plan.needed == pytest.approx(3 * 0.1 * GB * 8 + 1.5 * 0.9 * GB)  # 3.75 GB, not 3 x 8 x 1 GB


def test_copies_of_only_what_a_checkpoint_keeps_count_only_that():
    # a loop that copied only the variables a checkpoint saves (not a table the seed redraws) would hold less:
    # 0.4 GB of a 1 GB run copied twice is 1.8 x the run; 0.2 GB twice stays under the init's 1.5 x
    plan = memory_plan(GB, 1, 1, ["cpu:0"], None, checkpoints=True, copied_bytes=4 * GB // 10)
    assert plan.over_state == pytest.approx(1.8) and plan.needed == pytest.approx(1.8 * GB)
    assert "each with 2 checkpoint copies of 381.5 MiB" in describe_memory(plan)
    small = memory_plan(GB, 1, 1, ["cpu:0"], None, checkpoints=True, copied_bytes=2 * GB // 10)
    assert small.needed == PEAK_OVER_STATE * GB and "copies" not in describe_memory(small)


def test_a_refusal_and_the_dry_run_line_name_the_copies():
    plan = MemoryPlan(2 * 2**30, 2, 8 * 2**30, 2.99e8, 2 * 2**30 - 2**20, copies=CHECKPOINT_COPIES)
    with pytest.raises(BrainbatchError) as err:
        check_memory(plan)
    text = str(err.value)
    assert "\n" not in text and "needs about 12.00 GiB of memory" in text and "8.00 GiB is available" in text, text
    assert "2 run(s) at once x 2.00 GiB of state x 3: the state and 2 checkpoint copies while it steps" in text, text
    line = describe_memory(plan)
    assert "needs about 12.00 GiB (2 run(s) at once, each with 2 checkpoint copies of its state)" in line, line
    assert line.endswith("8.00 GiB available: the sweep would be refused"), line
    # without copies the line and the refusal read as before (x 1.5)
    plain = MemoryPlan(2 * 2**30, 2, 5 * 2**30)
    assert "(2 run(s) at once);" in describe_memory(plain)
    with pytest.raises(BrainbatchError, match=r"x 2\.00 GiB of state x 1\.5\) but 5\.00 GiB"):
        check_memory(plain)


BODY = '''
import brainbatch as bb
monitors = {"spikes": "E.spike"}
duration = 200.0


def build(n=100):
    E = bb.LifRef(n, name="E")
    rec = bb.Pathways({"E": E}, {"E": E}, bb.FixedTotalNumber.table([[40 * n]]), bb.Exponential(0.5), bb.CUBA(),
                      weight=1.0, delay=1.0, save_connectivity=False)
    return bb.Network(E=E, rec=rec)
'''


PLAIN = """
import brainbatch as bb
monitors = {"spikes": "E.spike"}
duration = 200.0


def build(n=100):
    return bb.Network(E=bb.LifRef(n, name="E"))
"""


def _memory_line(tmp_path, body):
    exp = write_experiment(tmp_path, "tiny_long.py", body)
    store = tmp_path / "a.zarr"
    # 2000 steps: calls of at most 2000 / 8 steps, a checkpoint copy at each boundary (default --checkpoint-every)
    out = invoke("sweep", exp, "--seeds", "2", "--devices", "cpu:1", "--dry-run", "--out", str(store))
    assert out.returncode == 0 and tree(store) == [], out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("memory"))
    return float(re.search(r"([0-9.]+) KiB of state per run", line).group(1)), line


def test_the_dry_run_of_a_sweep_of_several_calls_counts_the_checkpoint_copies_of_what_a_checkpoint_keeps(tmp_path):
    state, line = _memory_line(tmp_path, PLAIN)  # nearly every variable is saved: each copy is nearly the state
    needed = re.search(r"needs about ([0-9.]+) KiB \(2 run\(s\) at once, each with 2 checkpoint copies", line)
    assert needed and float(needed.group(1)) == pytest.approx(3 * 2 * state, rel=0.05), line
    # a table redrawn from the seed is never copied (run/chunk_loop.py): the init's 1.5 x bounds that run
    state, line = _memory_line(tmp_path, BODY)
    needed = re.search(r"needs about ([0-9.]+) KiB \(2 run\(s\) at once\)", line)
    assert needed and float(needed.group(1)) == pytest.approx(1.5 * 2 * state, rel=0.01), line


def test_a_microcircuit_past_what_one_table_indexes_is_refused_by_name():
    # scale 10 (or in-degrees x 8) is 2.4e9-3.0e9 synapses: the table's int32 row starts overflowed in the draw with
    # JAX's "An overflow was encountered while parsing an argument to a jitted computation"
    import pathlib

    from brainbatch.sweep import load_experiment

    mc = load_experiment(pathlib.Path(__file__).resolve().parents[2] / "experiments" / "microcircuit.py").module
    with pytest.raises(mc.ParameterError, match=r"scale=10 with k_scale=1 makes 2,988,809,691 synapses .* "
                                                r"\(2,147,483,647: int32 indices\); give scale x k_scale <= 7.18"):
        mc.build(scale=10, k_scale=1)
    with pytest.raises(ValueError, match="k_scale=8 makes 2,391,047,747 synapses"):
        mc.derived(scale=1, k_scale=8)
    assert mc.derived(scale=1, k_scale=1)["num_syn"].sum() == 298_880_968  # the paper's network still builds


def test_a_table_past_what_int32_indexes_is_refused_by_name_before_it_is_drawn():
    import brainbatch as bb

    # each pathway's count fits int32 (FixedTotalNumber checks that), their sum does not
    E, A = bb.LifRef(50_000, name="E"), bb.LifRef(50_000, name="A")
    with pytest.raises(ValueError, match=r"pathways 'rec': 2,147,483,648 synapses is past what one table indexes "
                                         r"\(2,147,483,647: int32 indices\)"):
        bb.Pathways({"E": E}, {"E": E, "A": A}, bb.FixedTotalNumber.table([[2**30], [2**30]]), bb.Exponential(0.5),
                    bb.CUBA(), weight=1.0, delay=1.0, save_connectivity=False, name="rec")


def test_a_local_dask_cluster_is_counted_and_refused_as_its_workers_run_side_by_side(tmp_path):
    exp = write_experiment(tmp_path, "tiny_long.py", PLAIN)
    store = tmp_path / "d.zarr"
    args = ("sweep", exp, "--seeds", "4", "--executor", "dask", "--workers", "2", "--out", str(store))
    out = invoke(*args, "--dry-run")  # 2 batches of 2 runs, one on each worker
    assert out.returncode == 0 and re.search(r"^memory .*\(4 run\(s\) at once", out.stdout, re.M), out.stdout
    refused = invoke(*args, env_extra={"BRAINBATCH_MEMORY_LIMIT": "10K"})
    assert refused.returncode == 2 and "run fewer at once (--batch-size 1, --workers 1)" in refused.stderr, refused.stderr
    assert tree(store) == []


def test_a_swept_size_of_a_model_with_a_seeded_table_plans_its_extents_on_stored_dims_only(tmp_path):
    # the table's dims (rec_pre_edge...) are never stored (save_connectivity=False): an extent named them, and a
    # swept microcircuit scale failed before any run with "extents name 'rec_pre_edge', which is not a dim"
    exp = write_experiment(tmp_path, "tiny_table_long.py", BODY)
    out = invoke("sweep", exp, "-p", "n=50,100", "--dry-run", "--out", str(tmp_path / "n.zarr"))
    assert out.returncode == 0 and "runs        2" in out.stdout, out.stderr + out.stdout
