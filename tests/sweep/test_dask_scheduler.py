"""An external dask scheduler (``--scheduler``) is reached before the sweep writes anything."""
import socket

import pytest
from _support import TOY

import brainbatch as bb
from brainbatch.sweep.errors import UsageError


def _closed_port() -> int:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_refused_before_the_store_is_created(tmp_path, monkeypatch):
    """A mistyped host or port created a store of pending runs, then failed 10 s later."""
    from brainbatch.sweep.executors import DaskExecutor

    monkeypatch.setattr(DaskExecutor, "connect_timeout_s", 1.0)  # the same refusal, sooner
    out = tmp_path / "s.zarr"
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(UsageError, match=rf"cannot reach the dask scheduler at '{address}'"):
        bb.sweep(TOY, seeds=2, out=str(out), executor="dask", scheduler=address, progress=False)
    assert not out.exists()
