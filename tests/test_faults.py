"""One fault-point mechanism for every layer (brainbatch/faults.py, issue 21): in-process hooks and the
BRAINBATCH_FAULTS actions (pause, memory, hang) at the points the store and the sweep call."""
import ast
import pathlib

import pytest

from brainbatch import faults
from brainbatch.errors import BrainbatchError
from brainbatch.store import pause_point

PKG = pathlib.Path(faults.__file__).parent


@pytest.fixture(autouse=True)
def _fresh_counts(monkeypatch):
    monkeypatch.setattr(faults, "_REACHED", {})
    monkeypatch.delenv("BRAINBATCH_FAULTS", raising=False)
    monkeypatch.delenv("BRAINBATCH_PAUSE_AT", raising=False)


def test_a_hook_runs_in_process(monkeypatch):
    calls = []
    monkeypatch.setitem(faults.HOOKS, "before-done", lambda: calls.append(1))
    faults.fault_point("before-done")
    faults.fault_point("run")
    assert calls == [1]


def test_memory_acts_from_the_nth_reach_on(monkeypatch):
    monkeypatch.setenv("BRAINBATCH_FAULTS", "run@2=memory")
    faults.fault_point("run")  # the first reach passes
    for _ in range(2):
        with pytest.raises(MemoryError, match="injected at 'run' by BRAINBATCH_FAULTS"):
            faults.fault_point("run")
    faults.fault_point("before-done")  # another point: nothing


@pytest.mark.parametrize("variable", ["BRAINBATCH_FAULTS", "BRAINBATCH_PAUSE_AT"])
def test_pause_leaves_reached_and_waits_for_go(monkeypatch, tmp_path, variable):
    monkeypatch.setenv(variable, "checkpointed")
    monkeypatch.setenv("BRAINBATCH_PAUSE_DIR", str(tmp_path))
    (tmp_path / "checkpointed.go").touch()  # released already: the barrier returns at once
    faults.fault_point("checkpointed")
    assert (tmp_path / "checkpointed.reached").read_text().isdigit()


def test_a_point_brainbatch_never_calls_is_refused_with_a_close_match(monkeypatch):
    monkeypatch.setenv("BRAINBATCH_FAULTS", "before-dne")
    with pytest.raises(BrainbatchError, match="no fault point 'before-dne'. Did you mean 'before-done'?"):
        faults.fault_point("run")


def test_the_store_names_the_same_function():
    assert pause_point is faults.fault_point


def test_every_point_in_the_code_is_listed_and_every_listed_point_is_called():
    called = set()
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    in ("fault_point", "pause_point") and node.args and isinstance(node.args[0], ast.Constant)):
                called.add(node.args[0].value)
    assert called == set(faults.POINTS)
