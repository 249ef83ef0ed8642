"""``data_files``: files an experiment is built from are part of its source hash (docs/experiments.md), so a
store never mixes runs of two versions of a table; a name that is no file is refused when it loads."""
import pytest
from _support import invoke, refused_in_one_line, tree

EXPERIMENT = """
import json, os
import brainbatch as bb

data_files = ["table.json"]
TABLE = json.load(open(os.path.join(os.path.dirname(__file__), "table.json")))
monitors = {"V": "G.V"}
duration = 2.0

def build(drive=1.0):
    return bb.Network(G=bb.LIF(3, V_rest=-60.0, V_initializer=TABLE["v0"]))
"""


def test_a_changed_data_file_is_refused_by_name_and_the_same_one_sweeps_on(tmp_path):
    exp, table, out = tmp_path / "exp.py", tmp_path / "table.json", tmp_path / "s.zarr"
    exp.write_text(EXPERIMENT)
    table.write_text('{"v0": -55.0}')
    assert invoke("sweep", exp, "--seeds", "1", "--out", out, "-q").returncode == 0
    table.write_text('{"v0": -50.0}')  # another model, the same file
    files = tree(out)
    res = invoke("sweep", exp, "--seeds", "2", "--out", out, "-q")
    assert res.returncode == 2 and "(data files that differ: table.json)" in res.stderr, res.stderr
    assert tree(out) == files
    table.write_text('{"v0": -55.0}')
    assert invoke("sweep", exp, "--seeds", "2", "--out", out, "-q").returncode == 0
    shown = invoke("show", out)
    assert f"data file table.json: {table}" in shown.stdout, shown.stdout


@pytest.mark.parametrize("value, said", [
    ('["missing.json"]', "data_files in .* names 'missing.json', which is not a file"),
    ("3", "data_files in .* must be a list of file paths"),
    ('[""]', "data_files in .* must list file paths, got ''"),
])
def test_a_data_file_that_is_not_there_is_refused_when_the_experiment_loads(tmp_path, value, said):
    import re

    exp = tmp_path / "exp.py"
    exp.write_text(f"import brainbatch as bb\ndata_files = {value}\ndef build():\n    return bb.Network(G=bb.LIF(2))\n")
    res = invoke("sweep", exp, "--dry-run", "--out", tmp_path / "o.zarr")
    assert refused_in_one_line(res) and re.search(said, res.stderr), res.stderr


def test_a_data_file_that_changes_while_the_experiment_reads_it_is_refused(tmp_path):
    """The file is hashed before the experiment runs and again after: the model read one version of it, and the
    store must not record the other's hash."""
    exp, table, out = tmp_path / "exp.py", tmp_path / "table.json", tmp_path / "s.zarr"
    exp.write_text(EXPERIMENT + "\nopen(os.path.join(os.path.dirname(__file__), 'table.json'), 'w').write('{\"v0\": -50.0}')\n")
    table.write_text('{"v0": -55.0}')
    res = invoke("sweep", exp, "--seeds", "1", "--out", out, "-q")
    assert refused_in_one_line(res) and "data file(s) table.json of" in res.stderr, res.stderr
    assert "changed while the experiment loaded" in res.stderr and not out.exists()


def test_a_data_file_written_while_a_group_is_built_fails_those_runs_not_marks_them_done(tmp_path):
    """A build reads its data file again (a connectome loader): one written meanwhile, even put back with the same
    bytes, may have given a model of other data than the hash names, so the runs of that build fail and say why."""
    import brainbatch as bb
    from brainbatch.faults import HOOKS
    from brainbatch.store import ResultStore

    exp, table, out, armed = tmp_path / "exp.py", tmp_path / "table.json", tmp_path / "s.zarr", tmp_path / "armed"
    exp.write_text(EXPERIMENT.replace('def build(drive=1.0):\n', '''def build(drive=1.0):
    here = os.path.dirname(__file__)
    if drive == 2.0 and os.path.exists(os.path.join(here, "armed")):  # saved while this group is built
        text = open(os.path.join(here, "table.json")).read()
        os.remove(os.path.join(here, "table.json"))
        open(os.path.join(here, "table.json"), "w").write(text)  # the same bytes
'''))
    table.write_text('{"v0": -55.0}')
    HOOKS["run"] = armed.touch  # once the runs run: the sweep has planned (built each group) by then
    try:
        bb.sweep(str(exp), seeds=1, params={"drive": [1.0, 2.0]}, out=str(out), progress=False)
    finally:
        del HOOKS["run"]
    store = ResultStore.open(str(out), "r")
    assert store.status().ravel().tolist()[1] == "failed"  # (and every run built after the write)
    why = store.error(store.run_index(seed=0, drive=2.0))
    assert "data file(s) table.json of" in why and "were written while a model was built from them" in why, why
    armed.unlink()  # the file is final: the same sweep runs what is left, in this process too
    bb.sweep(str(exp), seeds=1, params={"drive": [1.0, 2.0]}, out=str(out), progress=False)
    assert bool(bb.open_results(str(out)).done.all())


def test_a_data_file_touched_between_sweeps_with_the_same_bytes_sweeps_on_in_the_same_process(tmp_path):
    """The stat kept with a file's hash is only a shortcut: a file touched, or written again with the same bytes,
    is hashed again before the next build, and the sweep goes on (an Experiment object reused skips the loader)."""
    import os

    import brainbatch as bb
    from brainbatch.sweep.experiment import load_experiment

    exp_file, table = tmp_path / "exp.py", tmp_path / "table.json"
    exp_file.write_text(EXPERIMENT.replace("def build(drive=1.0):\n", '''def build(drive=1.0):
    json.load(open(os.path.join(os.path.dirname(__file__), "table.json")))  # read again, as a loader does
'''))
    table.write_text('{"v0": -55.0}')
    exp = load_experiment(str(exp_file))
    bb.sweep(exp, seeds=1, out=str(tmp_path / "a.zarr"), progress=False)
    table.write_text('{"v0": -55.0}')  # regenerated, the same bytes
    os.utime(table, ns=(1, 1))
    bb.sweep(exp, seeds=1, out=str(tmp_path / "b.zarr"), progress=False)  # the same simulation, cached
    assert bool(bb.open_results(str(tmp_path / "b.zarr")).done.all())
