"""Text from a store is printed escaped: no terminal control sequence of a parameter value, an error
text, the provenance or a lease's host reaches the terminal, redirected or not (issue 19, item 10)."""
import json
import time

from click.testing import CliRunner

from brainbatch.cli import main
from brainbatch.store import ResultStore

OSC = "\x1b]0;owned\x07"
CSI = "\x1b[2J\x1b[31m"


def test_status_and_show_escape_untrusted_text(tmp_path, make_spec):
    path = tmp_path / "s.zarr"
    spec = make_spec(params={"label": [f"a{OSC}", "b\nfake: line"]},
                     attrs={"command": f"brainbatch sweep {CSI}x.py", "experiment_path": f"/x/{OSC}.py"})
    store = ResultStore.create(path, spec)
    store.set_status((0, 0), "failed", error=f"ValueError: bad {CSI}value\rOVERWRITTEN")
    store.set_status((1, 1), "running")
    owner = {"host": f"evil{OSC}", "boot": "b", "pid": 7, "start": "1", "token": "t", "since": time.time()}
    (path / "leases" / "1_1").write_text(json.dumps({"owner": owner, "gen": 0, "since": time.time(),
                                                     "heartbeat": time.time()}))
    for cmd in (["status", str(path)], ["show", str(path)]):
        res = CliRunner().invoke(main, cmd)
        assert res.exit_code in (0, 1) and res.exception is None or isinstance(res.exception, SystemExit), res.output
        assert not any(ch in res.output for ch in "\x1b\x07\r"), (cmd, res.output)
        assert "\\x1b" in res.output, (cmd, res.output)
        assert "\nfake: line" not in res.output  # a value's line break cannot fake a line of output
    status = CliRunner().invoke(main, ["status", str(path)]).output
    assert "bad \\x1b[2J\\x1b[31mvalue\\rOVERWRITTEN" in status and "on evil\\x1b]0;owned\\x07" in status
    show = CliRunner().invoke(main, ["show", str(path)]).output
    assert "command: brainbatch sweep \\x1b[2J" in show and "b\\nfake: line" in show


def test_one_line_errors_quoting_store_values_are_escaped(tmp_path, make_spec):
    path = tmp_path / "s.zarr"
    ResultStore.create(path, make_spec(params={"label": [f"a{OSC}"]}))
    res = CliRunner().invoke(main, ["plot", str(path), "-p", "label=zz"])
    assert res.exit_code == 2 and "is not in the store" in res.output, res.output
    assert "\x1b" not in res.output and "a\\x1b]0;owned\\x07" in res.output
