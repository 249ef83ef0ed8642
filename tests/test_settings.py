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
    ("BRAINBATCH_INTRA_OP", "2", "1 or 0, got '2'"),
    ("BRAINBATCH_KERNELS", "nativ", "Did you mean 'native'?"),
    ("BRAINBATCH_FAULTS", "run=crash", "action one of pause, memory, hang, got 'run=crash'"),
    ("BRAINBATCH_PAUSE_AT", "run=memory", "point or point@n names"),
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
    monkeypatch.setenv("BRAINBATCH_PAUSE_AT", "a, b@2")
    assert settings.get("BRAINBATCH_PAUSE_AT") == (("a", 1), ("b", 2))
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
