"""Session 37: the store's names on Windows.

- A record, dim or parameter named after a device Windows reserves (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM1``-``COM9``,
  ``LPT1``-``LPT9``, in any case, alone or before a dot: ``con.V``; Microsoft's "Naming Files, Paths, and Namespaces")
  made a store with a folder no Windows file system can hold (``aux`` opens the auxiliary device there): it could not be
  copied, unzipped or read there. Refused in one line now, before anything is written, as a name holding ``:`` is.
  Names that only begin like one (``console``, ``COM10``, ``E.con``, ``auxiliary``) are kept.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from brainbatch.store import ResultStore, StoreError, StoreSpec, VarSpec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from _support import TOY, invoke, refused_in_one_line  # noqa: E402


def _spec(record: str = "E.V", dim: str = "E_neuron", param: str = "rate") -> StoreSpec:
    var = VarSpec(record, (dim,), (3,), "float32")
    return StoreSpec("x", "h", {param: [1.0, 2.0]}, [0], 4, 0.1, records=(var,), states=(var,))


@pytest.mark.parametrize("bad", ["CON", "aux", "Nul", "prn.V", "con.spike", "COM1", "com9.x", "LPT1", "lpt9",
                                 "nul .V", "COM\u00b9"])
@pytest.mark.parametrize("where", ["record", "dim", "param"])
def test_a_windows_device_name_is_refused_before_anything_is_written(tmp_path, bad, where):
    with pytest.raises(StoreError) as err:
        ResultStore.create(tmp_path / "s.zarr", _spec(**{where: bad}))
    message = str(err.value)
    assert "\n" not in message and repr(bad) in message and "Windows device" in message
    assert repr(bad.partition(".")[0].rstrip(" ") + "_" + bad[len(bad.partition(".")[0].rstrip(" ")):]) in message
    assert not list(tmp_path.iterdir())


def test_names_that_only_begin_like_a_device_are_kept(tmp_path):
    names = ["console", "COM10", "E.con", "auxiliary", "nul_", "LPT", "coma.V"]
    var = [VarSpec(n, ("E_neuron",), (2,), "float32") for n in names]
    spec = StoreSpec("x", "h", {"prn_rate": [1.0]}, [0], 4, 0.1, records=tuple(var))
    ResultStore.create(tmp_path / "s.zarr", spec)
    assert all((tmp_path / "s.zarr" / n / "zarr.json").is_file() for n in names)


def test_the_sweep_refuses_a_monitor_named_aux_in_one_line(tmp_path):
    exp = tmp_path / "aux.py"
    exp.write_text(Path(TOY).read_text().replace('monitors = {"spikes": "G.spike", "V": "G.V"}',
                                                 'monitors = {"Aux": "G.spike"}'))
    assert '"Aux"' in exp.read_text()
    out = tmp_path / "out.zarr"
    res = invoke("sweep", exp, "--out", out, "--duration", "1", "-q", "--dry-run")
    assert refused_in_one_line(res), res.stderr
    assert "'Aux' is named after the Windows device 'Aux'" in res.stderr and "'Aux_'" in res.stderr
    assert not out.exists()
