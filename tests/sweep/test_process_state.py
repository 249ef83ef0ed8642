"""State a process keeps across threads and sweeps is per context or bounded (issue 21, item 6): the
variables a trace creates (per thread), the kernel choice (per context), the compiled simulations
(the last MAX_SIMULATIONS kept)."""
import threading

from _support import TOY

from brainbatch.core.transforms import TRACE_CREATED
from brainbatch.kernels import kernel_choice, use_kernels
from brainbatch.sweep import load_experiment, simulations


def _in_thread(fn):
    out = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join(60)
    return out[0]


def test_a_trace_in_one_thread_is_not_seen_from_another():
    TRACE_CREATED.append([("var", 0)])
    try:
        assert _in_thread(lambda: bool(TRACE_CREATED)) is False
        assert TRACE_CREATED[-1] == [("var", 0)]
    finally:
        TRACE_CREATED.pop()


def test_the_kernel_choice_of_one_context_is_not_another_threads():
    other = "native" if kernel_choice() == "jax" else "jax"
    before = _in_thread(kernel_choice)
    with use_kernels(other):
        assert kernel_choice() == other
        assert _in_thread(kernel_choice) == before  # a thread starts from the process default
    assert kernel_choice() == before


def test_the_compiled_simulations_of_a_process_are_bounded(monkeypatch):
    exp = load_experiment(TOY)
    monkeypatch.setattr(simulations, "_SIMULATIONS", type(simulations._SIMULATIONS)())
    first = simulations.simulation_for(TOY, exp.source_hash, (("n", 1),), ("drive",), 0.1)
    assert simulations.simulation_for(TOY, exp.source_hash, (("n", 1),), ("drive",), 0.1) is first  # kept
    for n in range(2, simulations.MAX_SIMULATIONS + 3):  # a long-lived worker serving many groups
        simulations.simulation_for(TOY, exp.source_hash, (("n", n),), ("drive",), 0.1)
    assert len(simulations._SIMULATIONS) == simulations.MAX_SIMULATIONS
    again = simulations.simulation_for(TOY, exp.source_hash, (("n", 1),), ("drive",), 0.1)
    assert again is not first  # the least recently used was dropped, and is made anew
