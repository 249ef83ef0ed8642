"""The repository tracks no virtual environment: a worktree's ``.venv`` symlink to a shared venv, once
committed, replaces that venv wherever the commit is checked out (it happened once in this project)."""
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_no_virtual_environment_is_tracked():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "--", ".venv", ".venv-*"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60).stdout.split()
    assert tracked == [], f"tracked: {tracked}; git rm --cached them (.gitignore lists .venv and .venv-*)"
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".venv" in ignored and ".venv-*" in ignored  # without a slash: a symlink is ignored too
