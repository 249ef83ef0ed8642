"""``status`` and ``show`` read a store without importing JAX (issue 23, item 16), and ``show`` prints
the parameters every run shares and the duration."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np

from brainbatch.store import ResultStore, StoreSpec, VarSpec


def test_status_and_show_never_import_jax(tmp_path):
    spec = StoreSpec("toy", "h" * 64, {"we": [0.4, 0.6]}, seeds=[0], n_steps=30, dt=0.1,
                     records=(VarSpec("spikes", ("G_neuron",), (3,), "bool"),),
                     attrs={"defaults": {"we": 0.6, "n": 3, "bias": 20.0}})
    store = ResultStore.create(tmp_path / "s.zarr", spec)
    idx = store.run_index(seed=0, we=0.4)
    store.write_record(idx, "spikes", 0, np.zeros((30, 3), bool))
    store.mark_done(idx)
    code = textwrap.dedent(f"""
        import sys
        from click.testing import CliRunner
        from brainbatch.cli import main
        for args in (["status", {str(store.path)!r}], ["show", {str(store.path)!r}]):
            res = CliRunner().invoke(main, args)
            print(res.output)
        print("jax imported:", "jax" in sys.modules)
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "jax imported: False" in res.stdout
    assert "done          1" in res.stdout and "pending       1" in res.stdout
    assert "fixed: n=3, bias=20.0" in res.stdout  # we is swept: not listed
    assert "time:  3 ms at dt 0.1 ms = 30 steps" in res.stdout


def test_run_help_shows_the_syntax_run_accepts():
    """Issue 23 item 16: run takes one value per parameter; its help says so (no grids, no ranges)."""
    from click.testing import CliRunner

    from brainbatch.cli import main

    text = CliRunner().invoke(main, ["run", "--help"]).output
    assert "-p, --param NAME=V" in text and "LOW:HIGH" not in text and "--samples" not in text
    assert "LOW:HIGH" in CliRunner().invoke(main, ["sweep", "--help"]).output
