"""A sweep states its memory (bytes per synapse of the connectivity) and refuses one that cannot fit
(sweep/memory.py, docs/large-models.md)."""
import re

from _support import invoke, tree, write_experiment

BODY = '''
import brainbatch as bb
monitors = {"spikes": "E.spike"}
duration = 1.0


def build(n=400):
    E = bb.LifRef(n, name="E")
    rec = bb.Pathways({"E": E}, {"E": E}, bb.FixedTotalNumber.table([[40 * n]]), bb.Exponential(0.5), bb.CUBA(),
                      weight=1.0, delay=bb.Normal(1.0, 0.5), save_connectivity=False)
    return bb.Network(E=E, rec=rec)
'''


def test_dry_run_states_bytes_per_synapse_and_the_memory_needed(tmp_path):
    exp = write_experiment(tmp_path, "tiny_table.py", BODY)
    out = invoke("sweep", exp, "--seeds", "2", "--devices", "cpu:1", "--dry-run", "--out", str(tmp_path / "a.zarr"))
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("memory"))
    # 16,000 synapses in compressed rows: int32 + float32 per synapse, int32 per row start (401): 8.1 bytes
    match = re.search(r"1\.6e\+04 synapses, ([0-9.]+) bytes per synapse\); needs about .* \(2 run\(s\) at once\)", line)
    assert match and float(match.group(1)) == 8.1, line


def test_a_sweep_that_cannot_fit_is_refused_with_the_number_it_needs(tmp_path):
    exp = write_experiment(tmp_path, "tiny_table.py", BODY)
    store = tmp_path / "b.zarr"
    out = invoke("sweep", exp, "--seeds", "1", "--out", str(store), env_extra={"BRAINBATCH_MEMORY_LIMIT": "10K"})
    assert out.returncode == 2 and tree(store) == []  # refused before the store is written
    err = out.stderr.strip()
    assert len(err.splitlines()) == 1 and "10.0 KiB is available" in err and "BRAINBATCH_MEMORY_LIMIT" in err, err
    assert re.search(r"needs about [0-9.]+ (KiB|MiB) of memory", err), err
