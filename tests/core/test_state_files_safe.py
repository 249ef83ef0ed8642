"""``save_states`` to a ``.zarr`` path replaces only an earlier state file of its own, never a folder
(or a result store) it did not write."""
import os

import pytest

import brainbatch as bb


def test_save_states_never_empties_a_folder_it_did_not_write(tmp_path):
    net = bb.Network(G=bb.LIF(3))
    precious = tmp_path / "results.zarr"
    precious.mkdir()
    (precious / "data.bin").write_bytes(b"not brainbatch states")
    with pytest.raises(FileExistsError, match="not a brainbatch state file"):
        net.save_states(str(precious))
    assert os.listdir(precious) == ["data.bin"]
    mine = str(tmp_path / "s.zarr")
    net.save_states(mine)
    net.save_states(mine)  # an earlier state file of its own is replaced
    assert net.load_states(mine) == ([], [])
