"""No path a user types makes brainbatch delete or change what it did not create; URLs that cannot
hold a store are refused in one line. Each example runs the real CLI, in this process (``invoke``)."""
import os

import pytest
from _support import TOY, invoke, invoke_many, refused_in_one_line, tree
from click.testing import CliRunner

from brainbatch.cli import main


def _snapshot(root):
    """Every file under ``root`` with its bytes (a deleted or rewritten file changes it)."""
    out = {}
    for path in tree(root):
        full = os.path.join(root, path)
        out[path] = open(full, "rb").read() if os.path.isfile(full) else None
    return out


@pytest.fixture
def world(tmp_path):
    """A home folder and a working folder full of things that are not brainbatch's."""
    home = tmp_path / "home"
    work = home / "project"
    inner = work / "inner"
    inner.mkdir(parents=True)
    (home / "notes.txt").write_text("home file")
    (work / "thesis.tex").write_text("precious")
    (work / "data").mkdir()
    (work / "data" / "raw.csv").write_text("1,2,3")
    (inner / "keep.txt").write_text("keep")
    return tmp_path, home, inner


def test_no_typed_path_deletes_anything(world):
    """The issue's examples, each through the real CLI."""
    root, home, inner = world
    before = _snapshot(root)
    outs = ["", " ", ".", "..", "/", str(home), "../data"]
    commands = [("sweep", TOY, "--out", o, "-q") for o in outs] + [("run", TOY, "--out", "", "-q")]
    from brainbatch.kernels import cache_dir

    # HOME is a folder under test; the native kernels' cache (built by make setup) stays where it is
    results = invoke_many(commands, cwd=inner, env_extra={"HOME": str(home),
                                                          "BRAINBATCH_CACHE": str(cache_dir().parent)})
    for args, res in zip(commands, results):
        assert refused_in_one_line(res), (args, res.stdout, res.stderr)
    assert _snapshot(root) == before
    text = {o: r.stderr for o, r in zip(outs, results)}
    assert "is empty" in text[""] and "is blank" in text[" "] and "is empty" in results[-1].stderr
    assert "ends in '.' or '..'" in text["."] and "ends in '.' or '..'" in text[".."]
    assert "filesystem root" in text["/"] and "home folder" in text[str(home)]
    assert "not a brainbatch store" in text["../data"]  # a non-empty folder that is not a store


@pytest.mark.parametrize("command", ["sweep", "run"])
def test_more_paths_that_name_no_folder_of_their_own(world, monkeypatch, command):
    """Variants, in-process (fast): every one refused with exit 2 and nothing touched."""
    root, home, inner = world
    monkeypatch.chdir(inner)
    from brainbatch.kernels import cache_dir

    monkeypatch.setenv("BRAINBATCH_CACHE", str(cache_dir().parent))  # computed with the real HOME
    monkeypatch.setenv("HOME", str(home))
    before = _snapshot(root)
    cases = {"\t": "blank", "./": "'.' or '..'", "../..": "'.' or '..'", "data/..": "'.' or '..'",
             str(inner): "is the working folder", "../inner": "is the working folder",
             f"file://{inner}": "is the working folder", str(inner.parent): "parent of the working folder",
             str(home) + "/": "home folder", "file://": "names no folder", " results/a.zarr": "blanks",
             "file://elsewhere/a.zarr": "must be local"}
    for out, fragment in cases.items():
        res = CliRunner().invoke(main, [command, TOY, "--out", out, "-q"])
        assert res.exit_code == 2 and fragment in res.output and "Traceback" not in res.output, (out, res.output)
    assert _snapshot(root) == before


def test_out_dash_and_urls_are_refused(in_tmp):
    """The issue's examples through the real CLI; --dry-run contacts nothing either."""
    outs = ["-", "memory://x", "http://127.0.0.1:9/a.zarr", "ftp://h/a.zarr", "zip://a.zip"]
    has_s3fs = _installed("s3fs")
    if not has_s3fs:
        outs.append("s3://bucket/a.zarr")
    commands = [("sweep", TOY, "--out", o, "--dry-run") for o in outs] + [("sweep", TOY, "--out", "memory://x", "-q")]
    results = invoke_many(commands, cwd=in_tmp)
    for args, res in zip(commands, results):
        assert refused_in_one_line(res), (args, res.stdout, res.stderr)
        assert "done" not in res.stdout
    text = {o: r.stderr for o, r in zip(outs, results)}
    assert "not a folder name" in text["-"]
    assert "nothing would be kept" in text["memory://x"] and "nothing would be kept" in results[-1].stderr
    assert "read-only" in text["http://127.0.0.1:9/a.zarr"]
    assert "FTP" in text["ftp://h/a.zarr"] and "zip" in text["zip://a.zip"]
    if not has_s3fs:
        assert "s3fs" in text["s3://bucket/a.zarr"]  # names the missing package
    assert tree(in_tmp) == []


def test_more_url_variants(in_tmp):
    cases = {"https://example.invalid/a.zarr": "read-only", "MEMORY://x": "nothing would be kept",
             "nosuchscheme://b/a.zarr": "unknown URL scheme", "s4://b/a.zarr": "unknown URL scheme",
             "tar://a.tar": "read-only", "github://o/r/a.zarr": "read-only", "simplecache::s3://b/a": "",
             "gs://b/a.zarr": "gcsfs" if not _installed("gcsfs") else "", "az://c/a.zarr": "adlfs" if not
             _installed("adlfs") else "", "sftp://h/a.zarr": "paramiko" if not _installed("paramiko") else ""}
    for out, fragment in cases.items():
        if out.startswith("simplecache") or not fragment:
            continue
        res = CliRunner().invoke(main, ["sweep", TOY, "--out", out, "--dry-run"])
        assert res.exit_code == 2 and fragment in res.output and "Traceback" not in res.output, (out, res.output)
    assert tree(in_tmp) == []


def test_reading_commands_refuse_bad_locations(in_tmp):
    assert refused_in_one_line(invoke("show", "-", cwd=in_tmp))
    for args in (("status", ""), ("plot", "memory://x"), ("status", "ftp://h/a.zarr"), ("show", " "),
                 ("status", "http://127.0.0.1:9/a.zarr")):
        res = CliRunner().invoke(main, list(args))
        assert res.exit_code == 2 and "Traceback" not in res.output, (args, res.output)
    assert tree(in_tmp) == []


def test_file_url_holds_a_store(in_tmp):
    url = f"file://{in_tmp}/f.zarr"
    res = invoke("sweep", TOY, "--out", url, "--seeds", "1", "-p", "drive=1.5", "--duration", "5", "-q", cwd=in_tmp)
    assert res.returncode == 0, res.stderr
    res = invoke("status", url, cwd=in_tmp)
    assert res.returncode == 0 and "done          1" in res.stdout


def _installed(name):
    import importlib.util

    return importlib.util.find_spec(name) is not None


def test_store_layer_never_empties_a_folder(tmp_path):
    """The Python API: ``ResultStore.create`` on a folder with files refuses; on an empty one, builds aside."""
    from brainbatch.store import ResultStore, StoreError, StoreSpec, VarSpec

    spec = StoreSpec("x", "0" * 64, {}, seeds=[0], n_steps=5, dt=0.1,
                     records=(VarSpec("v", ("n",), (2,), "float32"),))
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "a.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a brainbatch store"):
        ResultStore.create(str(folder), spec)
    assert (folder / "a.txt").read_text() == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    ResultStore.create(str(empty), spec)
    assert (empty / "zarr.json").exists()
    assert [n for n in os.listdir(tmp_path) if "building" in n] == []  # nothing left beside it
