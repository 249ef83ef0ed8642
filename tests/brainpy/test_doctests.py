"""The runnable examples in the brainpy namespace's docstrings stay true."""
import doctest
import importlib

import pytest

MODULES = ["brainbatch.brainpy", "brainbatch.brainpy.math", "brainbatch.brainpy.math.random",
           "brainbatch.brainpy._base", "brainbatch.brainpy._compat", "brainbatch.brainpy._odeint",
           "brainbatch.brainpy._runner", "brainbatch.brainpy.conn", "brainbatch.brainpy.dnn",
           "brainbatch.brainpy.dyn", "brainbatch.brainpy.init", "brainbatch.brainpy.neurons",
           "brainbatch.brainpy.synapses", "brainbatch.brainpy.synouts", "brainbatch.core.variable"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
