"""Every BRAINBATCH_* variable the code reads is declared once (brainbatch/settings.py) and documented
(docs/configuration.md); a malformed value is a one-line error, not an import-time ValueError."""
import pathlib
import re

import pytest

from brainbatch import settings
from brainbatch.errors import BrainbatchError

ROOT = pathlib.Path(__file__).resolve().parents[1]
NAME = re.compile(r"(?<![A-Z_])BRAINBATCH_[A-Z0-9_]+")


def test_every_variable_the_code_names_is_declared_and_documented():
    named = set()
    for path in (ROOT / "brainbatch").rglob("*.py"):
        named |= set(NAME.findall(path.read_text(encoding="utf-8")))
    assert named and named <= set(settings.SETTINGS), sorted(named - set(settings.SETTINGS))
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in settings.SETTINGS.values():
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{setting.name}` |")), "")
        assert row and setting.allowed in row, f"docs/configuration.md has no row for {setting.name}"


@pytest.mark.parametrize("name, text, fragment", [
    ("BRAINBATCH_LEASE_STALE_S", "2 minutes", "a number of seconds > 0, got '2 minutes'"),
    ("BRAINBATCH_LEASE_HEARTBEAT_S", "0", "> 0, got '0'"),
    ("BRAINBATCH_JAX_CACHE_MIN_SECS", "nan", ">= 0, got 'nan'"),
    ("BRAINBATCH_INTRA_OP", "2", "1 or 0 (or true/false, yes/no, on/off), got '2'"),
    ("BRAINBATCH_KERNELS", "nativ", "Did you mean 'native'?"),
    ("BRAINBATCH_FAULTS", "run=crash", "action one of pause, memory, hang, got 'run=crash'"),
    ("BRAINBATCH_PAUSE_AT", "run=memory", "point or point@n names"),
    # a file: every cache in it failed, each with a warning of its own (newcomer audit)
    ("BRAINBATCH_CACHE", __file__, f"a folder (not a file), got {__file__!r}"),
    ("BRAINBATCH_JAX_CACHE", __file__, "a folder (not a file), or 0/off, got"),
])
def test_a_malformed_value_names_the_variable_and_what_is_allowed(monkeypatch, name, text, fragment):
    monkeypatch.setenv(name, text)
    with pytest.raises(BrainbatchError, match=re.escape(f"{name} must be ")) as err:
        settings.get(name)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_values_and_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("BRAINBATCH_LEASE_STALE_S", raising=False)
    assert settings.get("BRAINBATCH_LEASE_STALE_S") == 120.0
    monkeypatch.setenv("BRAINBATCH_INTRA_OP", "1")
    assert settings.get("BRAINBATCH_INTRA_OP") is True
    monkeypatch.setenv("BRAINBATCH_JAX_CACHE", "off")
    assert settings.get("BRAINBATCH_JAX_CACHE") is None
    monkeypatch.setenv("BRAINBATCH_PAUSE_AT", "run, before-done@2")
    assert settings.get("BRAINBATCH_PAUSE_AT") == (("run", 1), ("before-done", 2))
    monkeypatch.setenv("BRAINBATCH_FAULTS", "run=memory, before-done@3")
    assert settings.get("BRAINBATCH_FAULTS") == (("run", 1, "memory"), ("before-done", 3, "pause"))


def test_caches_follow_xdg_cache_home(monkeypatch, tmp_path):
    from brainbatch.kernels import cache_dir
    from brainbatch.sweep.cache import enable_compile_cache

    monkeypatch.delenv("BRAINBATCH_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "brainbatch" / "kernels"
    monkeypatch.setenv("BRAINBATCH_CACHE", str(tmp_path / "bb"))
    assert cache_dir() == tmp_path / "bb" / "kernels"
    monkeypatch.delenv("BRAINBATCH_JAX_CACHE", raising=False)
    import jax

    before = jax.config.jax_compilation_cache_dir
    try:
        assert enable_compile_cache() == str(tmp_path / "bb" / "jax")
    finally:
        if before:
            jax.config.update("jax_compilation_cache_dir", before)


IMPORTS_THEN_A_COMMAND = """
import brainbatch as bb, brainbatch.store, brainbatch.sweep, brainbatch.cli.main, brainbatch.kernels
bb.LIF, bb.open_results, brainbatch.store.Leases
from click.testing import CliRunner
from brainbatch.cli import main
res = CliRunner().invoke(main, ["status", "nowhere.zarr"])
print(res.exit_code, res.output.strip())
"""


def test_a_malformed_value_is_an_error_where_it_is_used_not_of_import(tmp_path):
    # issue 21, item 6. BRAINBATCH_INTRA_OP is the one read at import (of brainbatch.core): it must act
    # before JAX starts its CPU backend; it is tested above.
    import os
    import subprocess
    import sys

    bad = {}
    for name in settings.SETTINGS:
        try:
            settings.parse(name, "soon")
        except BrainbatchError:
            bad[name] = "soon"
    bad.pop("BRAINBATCH_INTRA_OP")
    assert "BRAINBATCH_TERM_GRACE_S" in bad and "BRAINBATCH_LEASE_STALE_S" in bad
    out = subprocess.run([sys.executable, "-c", IMPORTS_THEN_A_COMMAND], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env={**os.environ, **bad, "JAX_PLATFORMS": "cpu"})
    assert out.returncode == 0, out.stderr[-3000:]
    # the command's first read (the grace after SIGTERM) is refused in one line, exit code 2
    assert out.stdout.strip() == ("2 Error: BRAINBATCH_TERM_GRACE_S must be a number of seconds > 0, got 'soon'"), out.stdout


def test_the_lease_stale_time_is_read_when_asked_for(monkeypatch):
    import brainbatch.store as store

    monkeypatch.setenv("BRAINBATCH_LEASE_STALE_S", "30")
    assert store.lease_stale_s() == 30.0 and store.LEASE_STALE_S == 30.0  # the older spelling too


@pytest.mark.parametrize("name, text, fragment", [
    # issue 21 audit: these were accepted and acted on wrongly, or refused only deep inside a sweep
    ("BRAINBATCH_MEMORY_LIMIT", "12", "got '12'. A bare number is bytes: write the unit (12G, 800M), or 12B for bytes "
                                  "(under 1M, a bare number is taken for a size whose unit was left out)"),
    ("BRAINBATCH_FAULTS", "before-dne@2", "no fault point 'before-dne'. Did you mean 'before-done'?"),
    ("BRAINBATCH_PAUSE_AT", "chekpointed", "Did you mean 'checkpointed'?"),
])
def test_values_that_cannot_be_meant_are_refused_where_read(monkeypatch, name, text, fragment):
    monkeypatch.setenv(name, text)
    with pytest.raises(BrainbatchError) as err:
        settings.get(name)
    assert fragment in str(err.value) and name in str(err.value)


def test_memory_limit_sizes(monkeypatch):
    for text, size in [("1M", 2**20), ("12G", 12 * 2**30), ("800mb", 800 * 2**20), ("2e9", 2e9), ("10K", 10 * 2**10),
                       ("12B", 12)]:  # a unit written is what is meant, however small
        monkeypatch.setenv("BRAINBATCH_MEMORY_LIMIT", text)
        assert settings.get("BRAINBATCH_MEMORY_LIMIT") == size


def test_a_heartbeat_not_shorter_than_the_stale_time_is_refused(monkeypatch):
    from brainbatch.store._lease import heartbeat_s

    monkeypatch.setenv("BRAINBATCH_LEASE_HEARTBEAT_S", "200")
    with pytest.raises(BrainbatchError, match="BRAINBATCH_LEASE_HEARTBEAT_S must be shorter than "
                                              "BRAINBATCH_LEASE_STALE_S, got 200 s and 120 s"):
        heartbeat_s()
    monkeypatch.setenv("BRAINBATCH_LEASE_STALE_S", "300")
    assert heartbeat_s() == 200.0


def test_the_cli_refuses_a_malformed_setting_before_any_work(monkeypatch, tmp_path):
    # a misspelled fault point used to be refused only when a sweep reached a point, mid-run
    from click.testing import CliRunner

    from brainbatch.cli import main

    monkeypatch.setenv("BRAINBATCH_FAULTS", "befor-done")
    res = CliRunner().invoke(main, ["status", str(tmp_path / "nowhere.zarr")])
    assert res.exit_code == 2, res.output
    assert "BRAINBATCH_FAULTS must be" in res.output and "Did you mean 'before-done'?" in res.output
    assert not (tmp_path / "nowhere.zarr").exists()
    monkeypatch.delenv("BRAINBATCH_FAULTS")
    monkeypatch.setenv("BRAINBATCH_LEASE_HEARTBEAT_S", "120")
    res = CliRunner().invoke(main, ["status", str(tmp_path / "nowhere.zarr")])
    assert res.exit_code == 2 and "must be shorter than BRAINBATCH_LEASE_STALE_S" in res.output, res.output


def test_a_misspelled_setting_is_warned_about_not_ignored():
    # BRAINBATCH_KERNEL=jax was ignored, silently, and the native kernels ran (bad-input audit)
    from click.testing import CliRunner

    from brainbatch.cli.main import main

    res = CliRunner().invoke(main, ["sweep", "--help"], env={"BRAINBATCH_KERNEL": "jax", "BRAINBATCH_OWN_THING": "1"})
    assert res.exit_code == 0
    assert ("warning: BRAINBATCH_KERNEL is not a variable brainbatch reads, so it changes nothing. Did you mean "
            "'BRAINBATCH_KERNELS'?") in res.output
    assert "BRAINBATCH_OWN_THING" not in res.output  # far from every setting: someone's own variable


def test_a_malformed_kernel_choice_reads_the_same_through_the_library(monkeypatch):
    # bb.sweep's KernelChoiceError began with a stray "$" ("$BRAINBATCH_KERNELS must be ...")
    from brainbatch.kernels import KernelChoiceError, kernel_choice

    monkeypatch.setenv("BRAINBATCH_KERNELS", "foo")
    with pytest.raises(KernelChoiceError) as err:
        kernel_choice()
    assert str(err.value).startswith("BRAINBATCH_KERNELS must be one of auto, native, jax, got 'foo'"), str(err.value)
