"""``brainbatch.brainpy.tools``: BrainPy's ``size2num`` and ``to_size``, which models written for BrainPy call for
their sizes (its core-concept notebook: ``self.num = bp.tools.size2num(size)``).

>>> import brainbatch.brainpy as bp
>>> bp.tools.size2num((10, 10)), bp.tools.to_size(5)
(100, (5,))
"""
from __future__ import annotations

import math
from typing import Any

from ._compat import unsupported
from .init import _sizes

__all__ = ["size2num", "to_size"]


def to_size(size: Any) -> tuple[int, ...]:
    """``size`` (an int or a sequence of ints) as a tuple."""
    return _sizes(size, "tools.to_size", "size")


def size2num(size: Any) -> int:
    """The number of elements of a group of ``size`` (an int or a sequence of ints)."""
    return math.prod(_sizes(size, "tools.size2num", "size"))


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.tools", name, {}, __all__)
