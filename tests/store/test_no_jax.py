"""The store stands alone: it never imports jax, nor any other part of brainbatch but the jax-free leaves
``brainbatch/errors.py``, ``brainbatch/settings.py`` and ``brainbatch/faults.py`` (docs/architecture.md)."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

STORE_DIR = Path(__file__).resolve().parents[2] / "brainbatch" / "store"
ALLOWED = {"numpy", "zarr", "xarray", "dask", "fsspec", "matplotlib"} | set(sys.stdlib_module_names)
ALLOWED |= {"neo", "quantities"}  # the optional neo extra: _neo.py imports them inside ds.bb.to_neo() only
LEAVES = {"brainbatch.errors", "brainbatch.faults", "brainbatch.settings"}  # import nothing of brainbatch, no jax (tests/test_imports.py)


def test_store_modules_import_only_allowed_packages():
    files = sorted(STORE_DIR.glob("*.py"))
    assert len(files) > 5
    bad = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level == 1:
                    continue  # from . import x: inside brainbatch.store
                names = [f"brainbatch.{node.module}" if node.level == 2 and node.module else
                         "brainbatch.<parent>" if node.level > 1 else node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if not (name.startswith("brainbatch.store") or name in LEAVES or (top in ALLOWED and top != "brainbatch")):
                    bad.append(f"{path.name}:{node.lineno} imports {name}")
    assert not bad, bad


USE_WITHOUT_JAX = textwrap.dedent("""
    import sys, types, importlib, tempfile
    class NoJax:
        def find_spec(self, name, path=None, target=None):
            if name == "jax" or name.startswith(("jax.", "jaxlib")):
                raise ImportError(f"brainbatch.store imported {name}")
    sys.meta_path.insert(0, NoJax())
    # brainbatch/__init__ imports jax by design; stand in for it so only the store is loaded
    pkg = types.ModuleType("brainbatch"); pkg.__path__ = [sys.argv[1]]; sys.modules["brainbatch"] = pkg
    import brainbatch.store as bs
    assert "xarray" not in sys.modules, "xarray must load when a store is read, not with the store"
    import xarray as xr
    assert isinstance(xr.Dataset().bb, bs.BrainbatchAccessor), "ds.bb once the store and xarray are imported"
    for f in sorted(__import__("pathlib").Path(sys.argv[1], "store").glob("_*.py")):
        importlib.import_module("brainbatch.store." + f.stem)
    assert "matplotlib" not in sys.modules, "matplotlib must load lazily"
    import numpy as np
    spec = bs.StoreSpec("e", "h", {"a": [1, 2]}, [0], n_steps=20, dt=0.5,
                        records=(bs.VarSpec("s", ("n",), (3,), "bool"),), states=(bs.VarSpec("v", ("n",), (3,), "float32"),))
    store = bs.ResultStore.create(tempfile.mkdtemp() + "/x.zarr", spec)
    for run in store.runs():
        store.write_record(run, "s", 0, np.ones((20, 3), bool)); store.write_states(run, {"v": np.zeros(3)}); store.mark_done(run)
    ds = bs.open_results(store.path, states=True)
    ds.bb.rates().values; ds.bb.psth(1.0).values; ds.bb.cv_isi().values
    bs.load_state(store.path, seed=0, a=2)
    import matplotlib; matplotlib.use("Agg"); ds.bb.raster(seed=0, a=1)
    assert not [m for m in sys.modules if m == "jax" or m.startswith(("jax.", "jaxlib"))]
    print("ok")
""")


def test_import_and_use_without_jax(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", USE_WITHOUT_JAX, str(STORE_DIR.parent)], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
