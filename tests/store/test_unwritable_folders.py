"""A shared store whose root is writable but one of whose folders is not is refused before the
extension starts, and nothing changes (issue 19, item 16)."""
import dataclasses
import os
import subprocess

import pytest

from brainbatch.store import ResultStore, StoreError


def _lock(folder):
    """Make ``folder`` unwritable for this user: chmod, or for root (whom modes do not stop) the
    immutable flag, which stops root too."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return lambda: os.chmod(folder, 0o755)
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root where chattr +i is not available: no way to make a folder unwritable")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("sub", ["E.V", "states", "checkpoint/steps_done"])
def test_an_unwritable_subfolder_is_refused_before_anything_changes(tmp_path, spec, tree, sub):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, spec)
    unlock = _lock(path / sub)
    try:
        before = tree(path)
        with pytest.raises(StoreError, match=r"is not writable, so this sweep could not write its runs"):
            ResultStore.create(path, dataclasses.replace(spec, seeds=[0, 1, 2]))
        assert tree(path) == before
    finally:
        unlock()
    assert ResultStore.create(path, dataclasses.replace(spec, seeds=[0, 1, 2])).spec.seeds == [0, 1, 2]
