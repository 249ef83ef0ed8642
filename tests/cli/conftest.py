"""CLI tests: the helpers of tests/sweep (``_support.py``) and an empty working folder."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "sweep"))


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty folder, so default ``results/`` paths land in tmp_path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
