"""Sweep tests: helpers live in ``_support.py`` (shared with tests/cli)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty folder, so default ``results/`` paths land in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
