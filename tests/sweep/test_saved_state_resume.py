"""A sweep resumes a run only from a saved state that is whole (issue 19 items 5 and 9).

Before: extending a store in time continued a run whose saved state had a missing chunk from the
fill values (a float chunk read as NaN and failed the run with "NaN ... try a smaller dt"; an int
or bool one silently started from 0 / False), and a chunk failing its checksum failed the run on
every sweep; ``status --verify`` checked done runs only and said all was well.
"""
import dataclasses

import numpy as np
from _support import TOY, arrays
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.store import ResultStore


def test_an_extension_restarts_from_step_0_the_runs_whose_saved_state_is_damaged(tmp_path):
    out, ref = tmp_path / "x.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=1, params={"drive": [1.2, 1.5, 1.8, 2.1]}, batch_size=4, progress=False)
    bb.sweep(TOY, duration=20, out=str(out), **kw)
    bb.sweep(TOY, duration=40, out=str(ref), **kw)  # what the extended store must hold
    (out / "states/G.V/c/0/0/0").unlink()  # read as NaN before
    chunk = out / "states/G.V/c/0/1/0"
    data = bytearray(chunk.read_bytes())
    data[-1] ^= 0xFF  # fails its crc32c
    chunk.write_bytes(bytes(data))
    import zarr

    root = zarr.open_group(str(out), mode="r+")
    root["states/G.V"][0, 2, 3] = np.nan  # a state that is whole but not finite
    root["V"][0, 3, 5, 0] = np.nan  # a NaN in the records kept from the first session (written by older code)
    longer = dataclasses.replace(ResultStore.open(out, "r").spec, n_steps=400)
    ResultStore.create(out, longer)  # extended in time: both runs are pending, to continue from their states

    status = CliRunner().invoke(main, ["status", str(out), "--verify"])
    assert status.exit_code == 1, status.output
    assert "damaged saved states: 4 unfinished run(s)" in status.output, status.output
    # the NaN written into a kept record chunk breaks its digest (checkpoint/record_crc): a resume restarts that run
    assert ("seed=0, drive=2.1: its records before its saved state are damaged: chunk c/0/3/0/0 of 'V': its values "
            "are not those written there for this run") in status.output, status.output
    assert "seed=0, drive=1.8: its saved state at step 200 is damaged: its arrays are not those saved with its step" \
        in status.output
    assert "seed=0, drive=1.2: its saved state at step 200 is damaged: chunk c/0/0/0 of 'states/G.V' is missing" \
        in status.output
    assert "seed=0, drive=1.5: its saved state at step 200 is damaged: chunk c/0/1/0 of 'states/G.V' is damaged " \
           "(crc32c checksum mismatch)" in status.output

    said = []
    res = bb.sweep(TOY, duration=40, out=str(out), echo=said.append, **kw)
    assert (res.done, len(res.failed)) == (4, 0), said
    text = "\n".join(said)
    assert "start again from step 0" in text and "seed=0, drive=1.2 (its saved state at step 200" in text
    # the plain resume checks presence; the chunk failing its checksum is found when the run reads it
    assert "seed=0, drive=1.5: starts again from step 0: " in text and "'states/G.V'" in text
    assert ("seed=0, drive=2.1: starts again from step 0: NaN in recorded variable 'V' at t = 0.5 ms (sample 5), written "
            "before step 200") in text
    # the NaN written into a whole state is caught first by the slot's checksum (checkpoint/slot_crc): it is no
    # longer the state saved with step 200; a store without the checksum finds it by the finite check
    assert ("seed=0, drive=1.8: starts again from step 0: the saved state of run seed=0, drive=1.8 (states/) cannot be "
            "used: its arrays are not those saved with its step") in text
    got, want = arrays(out), arrays(ref)
    assert np.array_equal(got["spikes"], want["spikes"])
    np.testing.assert_allclose(got["V"], want["V"], rtol=0, atol=1e-6)
    assert CliRunner().invoke(main, ["status", str(out), "--verify"]).exit_code == 0


def test_a_resumed_run_rereads_its_kept_spike_records_and_starts_again_when_one_is_damaged(tmp_path):
    # only float records were read again (for NaN): a spike chunk failing its checksum was kept, the run marked
    # done again with it, and the store read as damaged afterwards
    out, ref = tmp_path / "x.zarr", tmp_path / "ref.zarr"
    kw = dict(seeds=1, params={"drive": [1.5]}, progress=False)
    bb.sweep(TOY, duration=20, out=str(out), **kw)
    bb.sweep(TOY, duration=40, out=str(ref), **kw)
    chunk = next(p for p in sorted((out / "spikes").rglob("*")) if p.is_file() and p.name != "zarr.json")
    data = bytearray(chunk.read_bytes())
    data[len(data) // 2] ^= 0xFF
    chunk.write_bytes(bytes(data))
    said = []
    bb.sweep(TOY, duration=40, out=str(out), echo=said.append, **kw)
    text = "\n".join(said)
    assert "seed=0, drive=1.5: starts again from step 0: its records of 'spikes' before step 200 cannot be read" \
        in text, text
    assert np.array_equal(arrays(out)["spikes"], arrays(ref)["spikes"])
    assert CliRunner().invoke(main, ["status", str(out), "--verify"]).exit_code == 0
