"""Names the store's layout uses (its groups, checkpoint arrays) are refused in one line, like seed and
time, before anything is written (issue 19, item 11)."""
import shutil

import pytest
from _support import TOY, tree
from click.testing import CliRunner

from brainbatch.cli import main

BY_PARAM = """
import toy_base
import brainbatch as bb

monitors = {{"spikes": "G.spike"}}
duration = 1.0

def build({name}=1.5):
    return bb.Network(G=toy_base.Toy(3, 1.5))
"""

BY_MONITOR = """
import toy_base
import brainbatch as bb

monitors = {{"{name}": "G.spike"}}
duration = 1.0

def build(drive=1.5):
    return bb.Network(G=toy_base.Toy(3, drive))
"""


# "index": issue 21, item 1 (a parameter of that name was dropped from a run's coordinates)
@pytest.mark.parametrize("kind,name", [("parameter", "states"), ("parameter", "leases"), ("parameter", "index"),
                                       ("record", "checkpoint"), ("record", "leases")])
def test_a_layout_name_is_refused_in_one_line(tmp_path, kind, name):
    shutil.copy(TOY, tmp_path / "toy_base.py")
    body = BY_PARAM if kind == "parameter" else BY_MONITOR
    (tmp_path / "exp.py").write_text(body.format(name=name))
    args = ["sweep", str(tmp_path / "exp.py"), "--out", str(tmp_path / "s.zarr"), "-q"]
    if kind == "parameter":
        args += ["-p", f"{name}=1.0,2.0"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert f"{kind} name {name!r} clashes with a name the store layout uses" in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    assert tree(tmp_path / "s.zarr") == []
