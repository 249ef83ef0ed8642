"""Shared pieces of the store tests: a small spec, deterministic run data, a directory snapshot."""
from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

from brainbatch.store import StoreSpec, VarSpec

HERE = Path(__file__).parent
REPO = HERE.parent.parent
WORKER = HERE / "_worker.py"


def small_spec(**overrides) -> StoreSpec:
    """Two seeds x two `we` values, 30 steps; a spike raster, a float trace, a sparse trace, a state."""
    kw = dict(
        experiment="coba", source_hash="a" * 64, params={"we": [0.4, 0.6]}, seeds=[0, 1], n_steps=30, dt=0.1,
        records=(
            VarSpec("E.spike", ("E_neuron",), (6,), "bool", units="1", description="spikes"),
            VarSpec("E.V", ("E_neuron",), (6,), "float32", units="mV"),
            VarSpec("E.g", ("E_neuron",), (6,), "float64", every=7),
        ),
        states=(VarSpec("E.V", ("E_neuron",), (6,), "float32", units="mV"),
                VarSpec("E.count", (), (), "int32")),
        time_chunk=8, attrs={"command": "brainbatch sweep coba.py", "defaults": {"we": 0.6}},
    )
    kw.update(overrides)
    return StoreSpec(**kw)


@pytest.fixture
def make_spec():
    """``small_spec`` itself: test modules cannot import conftest under ``--import-mode=importlib``."""
    return small_spec


@pytest.fixture
def spec() -> StoreSpec:
    return small_spec()


@pytest.fixture
def tree():
    """``snapshot`` as a fixture."""
    return snapshot


@pytest.fixture(scope="session")
def worker() -> dict:
    """The worker script's functions (``record_values``, ``state_values``, ``write_run``), loaded without running it."""
    return runpy.run_path(str(WORKER))


def snapshot(path: str | os.PathLike) -> dict[str, tuple[int, int]]:
    """Every file and directory under ``path`` with its size and mtime, to prove nothing changed."""
    root = Path(path)
    out = {".": (0, root.stat().st_mtime_ns)} if root.exists() else {}
    for p in sorted(root.rglob("*")) if root.is_dir() else []:
        st = p.stat()
        out[str(p.relative_to(root))] = (st.st_size if p.is_file() else 0, st.st_mtime_ns)
    return out
