"""A change of a store's layout (a --force rebuild, a longer duration) cut off between changing its arrays and
writing its new spec (store audit): runs of the next sweep were written into arrays of the other spec's shape
(zarr drops writes past an array's end without a word) and marked done short of their steps, `status --verify`
said "verified"; an extension cut off left records longer than the spec, redone forever and unreadable. The
store marks the change before it starts (docs/store.md, "Layout changes"): the next sweep undoes it, and no
run is written into, or counted done on, an array of another shape."""
import numpy as np
import pytest
import zarr
from _support import TOY, arrays

import brainbatch as bb
from brainbatch.faults import HOOKS
from brainbatch.store import ResultStore, StoreDamagedError


class _Cut(Exception):
    """The process ends here (as a kill -9 would: nothing after this point runs)."""


def _cut():
    raise _Cut


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.zarr"
    bb.sweep(TOY, seeds=2, out=str(out), progress=False)
    return arrays(out)


@pytest.mark.parametrize("point, change", [
    ("layout-arrays", dict(duration=10.0, force=True)),  # a rebuild to a shorter run: its arrays made, no spec
    ("layout-change", dict(duration=10.0, force=True)),  # marked, nothing changed yet
    ("layout-arrays", dict(dt=0.05, force=True)),  # a rebuild to more steps
    ("layout-arrays", dict(duration=60.0)),  # a longer duration: records grown, no spec
])
def test_the_next_sweep_undoes_a_cut_off_layout_change(tmp_path, reference, point, change):
    out = tmp_path / "s.zarr"
    bb.sweep(TOY, seeds=2, out=str(out), progress=False)
    HOOKS[point] = _cut
    try:
        with pytest.raises(_Cut):
            bb.sweep(TOY, seeds=2, out=str(out), progress=False, **change)
    finally:
        del HOOKS[point]
    root = zarr.open_group(str(out), mode="r")
    if root["V"].shape[2] != 200:  # arrays of the cut-off change under the old spec: nothing written or done there
        with pytest.raises(StoreDamagedError, match=r"its array 'V' holds .* where the store's spec says \(200, 20\)"
                                                    r" float32; a change of its layout .* was cut off"):
            ResultStore.open(out, "r+").write_record((0, 0), "V", 0, np.zeros((1, 20), np.float32))
        assert ResultStore.open(out).verify() or not (ResultStore.open(out).status() == "done").any()
        # a reader says so in one line (it raised xarray's 'conflicting sizes for dimension')
        with pytest.raises(StoreDamagedError, match="a change of its layout .* was cut off before it finished"):
            bb.open_results(out)
    result = bb.sweep(TOY, seeds=2, out=str(out), progress=False)  # the original command
    assert not result.failed
    got = arrays(out)
    assert (got["status"] == 2).all() and got["V"].shape == reference["V"].shape
    for name in ("V", "spikes", "states/G.V"):
        np.testing.assert_array_equal(got[name], reference[name], err_msg=name)
    assert not ResultStore.open(out).verify()
    assert "brainbatch_layout_change" not in zarr.open_group(str(out), mode="r").attrs
    bb.open_results(out)  # plain readers open it again



def test_a_ctrl_c_during_a_layout_change_takes_effect_when_it_is_complete(tmp_path):
    """It stopped the change half-way (and the CLI said 'nothing was written'). The interrupt now comes after
    the change and after the sweep holds the store, so the CLI's note names it (cli/main.py)."""
    import signal
    import threading

    out = tmp_path / "s.zarr"
    bb.sweep(TOY, seeds=2, out=str(out), progress=False)
    held = []

    def ctrl_c():
        held.append(signal.getsignal(signal.SIGINT) is not signal.default_int_handler
                    and threading.current_thread() is threading.main_thread())
        signal.raise_signal(signal.SIGINT)

    # Ctrl-C as in a terminal: a test process started in the background (`make test &`, a CI runner) has SIGINT
    # ignored, and then a held Ctrl-C rightly does nothing (it failed this test in fresh-clone CI runs)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    HOOKS["layout-arrays"] = ctrl_c
    try:
        with pytest.raises(KeyboardInterrupt) as err:
            bb.sweep(TOY, seeds=2, out=str(out), duration=10.0, force=True, progress=False)
    finally:
        del HOOKS["layout-arrays"]
        signal.signal(signal.SIGINT, previous)
    assert held == [True]  # the change ran in the main thread, with the interrupt held until it was complete
    assert err.value.brainbatch["store"] == str(out)  # what the CLI's note reads
    root = zarr.open_group(str(out), mode="r")  # the rebuild is complete: the new spec, its arrays, no marker
    assert root.attrs["n_steps"] == 100 and root["V"].shape[2] == 100
    assert "brainbatch_layout_change" not in root.attrs and not ResultStore.open(out).verify()


def test_a_lost_checkpoint_array_is_made_anew_and_the_done_runs_kept(tmp_path, reference):
    """It failed every later sweep with a bare KeyError: 'checkpoint/G.V', where status said a sweep repairs."""
    import shutil

    out = tmp_path / "s.zarr"
    bb.sweep(TOY, seeds=1, out=str(out), progress=False)
    shutil.rmtree(out / "checkpoint" / "G.V")
    result = bb.sweep(TOY, seeds=2, out=str(out), progress=False)
    assert result.done == 2 and result.skipped == 2 and not result.failed  # seed 1 added, seed 0 kept
    got = arrays(out)
    for name in ("V", "spikes", "states/G.V"):
        np.testing.assert_array_equal(got[name], reference[name], err_msg=name)
