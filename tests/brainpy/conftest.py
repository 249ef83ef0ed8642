import importlib.util
import os
import pathlib
import sys

import numpy as np
import pytest

import brainbatch as bb

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "brainpy"

# scripts run by hand with BrainPy itself to make the reference numbers the tests quote (BrainPy is not
# installed with brainbatch, so they are never imported here)
collect_ignore = ["reference"]

sys.path.insert(0, os.path.dirname(__file__))  # _notebooks.py, the notebook models several files share


def load_script(name: str):
    """Import ``docs/brainpy/<name>.py`` as a module (its ``__main__`` block does not run)."""
    spec = importlib.util.spec_from_file_location(f"bp_doc_{name}", DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def script():
    return load_script


@pytest.fixture
def docs_dir():
    return DOCS


@pytest.fixture(autouse=True)
def _clean_share():
    """Each test starts as a fresh BrainPy process would: the shared step context as it was, and
    ``bm.random``'s stream at its default seed (0). A runner without ``seed=`` draws its seed from that
    stream, so without this a test's numbers would depend on what the tests before it drew."""
    from brainbatch.brainpy.math import random as bm_random

    snap = bb.share.snapshot()
    bm_random.seed(0)
    yield
    bb.share.restore(snap)


def _largest_intermediate(jaxpr) -> int:
    """The most elements of any value ``jaxpr`` computes, in its own equations and those of its sub-programs."""
    most = 0
    for eqn in jaxpr.eqns:
        for out in eqn.outvars:
            most = max(most, int(np.prod(getattr(out.aval, "shape", ()))))
        for sub in _sub_programs(eqn.params.values()):
            most = max(most, _largest_intermediate(sub))
    return most


def _sub_programs(values):
    for value in values:
        if isinstance(value, (list, tuple)):  # a cond's branches
            yield from _sub_programs(value)
        elif hasattr(value, "eqns"):
            yield value
        elif hasattr(getattr(value, "jaxpr", None), "eqns"):  # a closed program (scan, pjit)
            yield value.jaxpr


@pytest.fixture
def largest_intermediate():
    """The most elements of any value a traced program computes (a path that is event-driven computes no value per
    synapse at each step)."""
    return _largest_intermediate
