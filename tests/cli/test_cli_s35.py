"""The command line against a demanding user (session 35): settings written where brainbatch does not read them,
a dry run whose exit code must be the sweep's, a plain-number duration that looks like seconds meant, and bad
values of every option answered in one line (exit 2), never a traceback."""
from __future__ import annotations

import warnings

import pytest
from _support import TOY, invoke, refused_in_one_line, write_experiment

from brainbatch.sweep.errors import NearMissWarning
from brainbatch.sweep.experiment import load_experiment

MISPLACED = '''\
import brainbatch as bb
seeds = 8
T = 500.0
SEED = 3
monitors = {"spikes": "G.spike"}
duration = 2.0


def build(n=3):
    G = bb.LifRef(n)
    G.seed_of_nothing = SEED  # read by the file: a constant of its own, not a misplaced setting
    return bb.Network(G=G)


def analyze(ds):
    return {}
'''


def test_settings_brainbatch_does_not_read_are_warned_at_their_own_line(tmp_path):
    # seeds = 8 at module level ran one seed without a word, and def analyze was named only by show
    path = write_experiment(tmp_path, "misplaced.py", MISPLACED)
    with pytest.warns(NearMissWarning) as caught:
        load_experiment(path)
    said = {(w.filename, w.lineno): str(w.message) for w in caught}
    assert set(said) == {(path, 2), (path, 3), (path, 15)}, said  # SEED is used by build(): not warned
    assert "sets seeds = 8, which brainbatch does not read" in said[(path, 2)]
    assert "give seeds=8" in said[(path, 2)] and "name it _seeds" in said[(path, 2)]
    assert "simulated time is named duration (ms)" in said[(path, 3)]
    assert "defines analyze() but no analyse(ds)" in said[(path, 15)]
    # the example experiments and a file that reads its constants load without a word
    with warnings.catch_warnings():
        warnings.simplefilter("error", NearMissWarning)
        for name in ("coba.py", "microcircuit.py", "whole_brain.py"):
            load_experiment(f"experiments/{name}")
    # on the command line: in the command line's spelling, and the sweep goes on (a dry run here)
    with pytest.warns(NearMissWarning) as caught:
        res = invoke("sweep", path, "--dry-run", "--out", tmp_path / "m.zarr")
    assert res.returncode == 0, res.stderr
    assert any("give --seeds 8 " in str(w.message) for w in caught), [str(w.message) for w in caught]


def test_a_dry_run_the_sweep_would_refuse_exits_2_after_its_plan(tmp_path):
    # a dry run said "(refused without --force)" (test_commands.py) or "the sweep would be refused" (memory) and
    # exited 0: a script that used it as a check went on to a sweep that failed
    exp = write_experiment(tmp_path, "table.py", """\
        import brainbatch as bb
        monitors = {"spikes": "E.spike"}
        duration = 1.0
        def build(n=100):
            E = bb.LifRef(n, name="E")
            rec = bb.Pathways({"E": E}, {"E": E}, bb.FixedTotalNumber.table([[40 * n]]), bb.Exponential(0.5),
                              bb.CUBA(), weight=1.0, delay=1.0, save_connectivity=False)
            return bb.Network(E=E, rec=rec)
        """)
    out, limit = tmp_path / "m.zarr", {"BRAINBATCH_MEMORY_LIMIT": "10K"}
    res = invoke("sweep", exp, "--out", out, "--dry-run", env_extra=limit)
    assert refused_in_one_line(res), (res.stdout, res.stderr)
    assert "memory" in res.stdout and res.stdout.endswith("dry run: nothing was written\n")  # the plan first
    assert "the sweep would be refused: this sweep needs about" in res.stderr and "10.0 KiB" in res.stderr
    real = invoke("sweep", exp, "--out", out, env_extra=limit)
    assert real.returncode == res.returncode == 2 and not out.exists()


def test_a_plain_duration_that_looks_like_seconds_meant_gets_a_note(tmp_path):
    # --duration 0.5 meant as seconds ran 0.5 ms (5 steps) without a word: plain numbers are ms
    plain = write_experiment(tmp_path, "plain.py", """\
        import brainbatch as bb
        monitors = {"spikes": "G.spike"}
        def build(n=3):
            return bb.Network(G=bb.LifRef(n))
        """)
    out = ("--out", tmp_path / "p.zarr", "--dry-run")
    res = invoke("sweep", plain, "--duration", "0.5", *out)
    assert res.returncode == 0, res.stderr
    assert ("note: --duration 0.5 is 0.5 ms (5 step(s) of 0.1 ms; the experiment's own duration is 1000 ms): a plain "
            "number is milliseconds; write --duration 0.5s for seconds") in res.stderr, res.stderr
    assert "note" in invoke("sweep", plain, "--duration", "5", *out).stderr  # 1/200 of the experiment's 1000 ms
    for fine in (("--duration", "0.5s"), ("--duration", "500ms"), ("--duration", "20"), ("--duration", "0.5", "-q")):
        res = invoke("sweep", plain, *fine, *out)
        assert res.returncode == 0 and "note" not in res.stderr, (fine, res.stderr)
    # the toy's own duration is 20 ms: 1 ms (10 steps) is a test's short run, said nothing of
    res = invoke("sweep", TOY, "-p", "drive=1.5", "--duration", "1", *out)
    assert res.returncode == 0 and "note" not in res.stderr, res.stderr


def test_an_experiment_with_null_bytes_is_refused_without_a_line_none(tmp_path):
    # a file holding a NUL byte (a bad copy) is a syntax error with no line: the message said "line None"
    path = tmp_path / "nul.py"
    path.write_bytes(b"x = 1\0\ndef build(n=3):\n    return None\n")
    res = invoke("sweep", path, "--dry-run")
    assert refused_in_one_line(res) and f"syntax error in {path}: " in res.stderr, res.stderr
    assert "None" not in res.stderr and "null bytes" in res.stderr, res.stderr


def _store(path, source_path=None, source_text=None):
    """A store with one done run, written by the store layer (no JAX); with the source text it keeps, if given."""
    import numpy as np

    from brainbatch.store import ResultStore, StoreSpec, VarSpec

    attrs = {"experiment_path": source_path, "sources": {source_path: source_text}} if source_path else {}
    spec = StoreSpec("toy", "h" * 64, {"we": [0.4]}, seeds=[0], n_steps=10, dt=0.1,
                     records=(VarSpec("spikes", ("E_neuron",), (3,), "bool"),), attrs=attrs)
    rs = ResultStore.create(str(path), spec)
    rs.write_record(rs.run_index(seed=0, we=0.4), "spikes", 0, np.zeros((10, 3), bool))
    rs.mark_done(rs.run_index(seed=0, we=0.4))
    return str(path)


def test_show_source_compares_a_file_that_is_not_utf8_without_a_traceback(tmp_path):
    # a latin-1 experiment file given to show --source --experiment was a UnicodeDecodeError's traceback
    path = tmp_path / "latin.py"
    store = _store(tmp_path / "s.zarr", str(path), "def build():\n    return None\n")
    path.write_bytes(b"def build():\n    return None\n# caf\xe9\n")
    res = invoke("show", store, "--source", "--experiment", path)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert f"{path} differs from the source the store was written with" in res.stdout
    assert "+# caf\ufffd" in res.stdout, res.stdout


def test_an_unexpanded_tilde_is_named_and_plot_makes_no_folder_called_tilde(tmp_path):
    # plot --out=~/plots (no expansion after '=') made a folder named '~' in the current folder; the readers only
    # said "not a file" / "does not exist"
    store = _store(tmp_path / "s.zarr")
    note = "'~' was not expanded"
    for out in ("~/plots", "~"):
        res = invoke("plot", store, f"--out={out}", cwd=tmp_path)
        assert refused_in_one_line(res) and note in res.stderr, res.stderr
    assert not (tmp_path / "~").exists()
    for args in (("status", "~/s.zarr"), ("show", store, "--experiment", "~/toy.py"), ("sweep", "~/toy.py")):
        res = invoke(*args, cwd=tmp_path)
        assert refused_in_one_line(res) and note in res.stderr, (args, res.stderr)
    # a file where the plot folder goes is named as such, not "(File exists)"
    (tmp_path / "afile").write_text("x")
    res = invoke("plot", store, "--out", tmp_path / "afile" / "sub")
    assert refused_in_one_line(res) and f"'{tmp_path / 'afile'}' is a file, not a folder" in res.stderr, res.stderr
