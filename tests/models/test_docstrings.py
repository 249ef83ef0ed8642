"""The runnable examples in the models package's docstrings stay true (every module, found by walking it)."""
import doctest
import importlib
import pkgutil

import pytest

import brainbatch.models as package

MODULES = sorted(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_module_is_collected():
    assert len(MODULES) >= 10 and all(name.startswith(package.__name__) for name in MODULES)
