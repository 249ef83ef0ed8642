"""The runnable examples in the run package's docstrings stay true."""
import doctest

import pytest

from brainbatch.run import engine, inputs, monitors, runner


@pytest.mark.parametrize("module", [engine, inputs, monitors, runner], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
