"""BrainPy's ``bp.Collector`` (``bm.Collector``, ``bp.ArrayCollector``): a dict of named objects that refuses a
second object under a name it holds (its "base and collector" tutorial), over brainbatch's ``Collector`` (what
``nodes()`` and ``vars()`` give, with ``subset``, ``not_subset``, ``unique``).

>>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
>>> tc = bp.Collector({'a': bm.zeros(2)})
>>> tc['a'] = bm.ones(1)
Traceback (most recent call last):
ValueError: Name "a" conflicts: same name for [1.] and [0. 0.].
>>> tc.replace('a', bm.ones(3)); sorted(tc + bp.Collector({'b': 1}))
['a', 'b']
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Collector as _GraphCollector

__all__ = ["Collector", "ArrayCollector"]


class Collector(_GraphCollector):
    """``{name: object}`` as BrainPy's: setting a name it holds to another object is a ``ValueError``
    (``replace`` changes it), ``+`` merges two, ``-`` removes names or objects."""

    def __setitem__(self, key: Any, value: Any) -> None:
        if key in self and self[key] is not value:
            raise ValueError(f'Name "{key}" conflicts: same name for {value} and {self[key]}.')
        super().__setitem__(key, value)

    def replace(self, key: Any, new_value: Any) -> None:
        """``key`` now names ``new_value``."""
        self.pop(key)
        self[key] = new_value

    def update(self, other: Any = (), **kwargs: Any) -> Collector:  # type: ignore[override]
        """Adds the entries of a dict (a list or tuple: under ``_var<i>``, as BrainPy names them), each checked."""
        if isinstance(other, dict):
            items = list(other.items())
        elif isinstance(other, (list, tuple)):
            items = [(f"_var{i + len(self)}", value) for i, value in enumerate(other)]
        else:
            raise ValueError(f"Collector.update takes a dict, list or tuple, got {type(other).__name__}")
        for key, value in [*items, *kwargs.items()]:
            self[key] = value
        return self

    def __add__(self, other: Any) -> Collector:
        return type(self)(self).update(other)

    def __sub__(self, other: Any) -> Collector:
        """Without the names of a list (or the objects it holds), or the entries of a dict."""
        if not isinstance(other, (dict, list, tuple)):
            raise ValueError(f"Collector - other: other must be a dict, list or tuple, got {type(other).__name__}")
        gather = type(self)(self)
        pairs = other.items() if isinstance(other, dict) else [(k, None) for k in other]
        for key, value in pairs:
            names = [key] if isinstance(key, str) else [k for k, v in self.items() if v is key]
            if not names or any(name not in gather for name in names):
                raise ValueError(f"Cannot remove {key}, because we do not find it in {list(self.keys())}.")
            if isinstance(other, dict) and gather[key] is not value:
                raise ValueError(f"Cannot remove {key}, because we got two different values: {value} != "
                                 f"{gather[key]}")
            for name in names:
                gather.pop(name)
        return gather

    def subset(self, cls: type | tuple) -> Collector:
        return type(self)(super().subset(cls))

    def not_subset(self, cls: type | tuple) -> Collector:
        return type(self)(super().not_subset(cls))

    def unique(self) -> Collector:
        return type(self)(super().unique())


#: BrainPy's collector of arrays (``ArrayCollector``): the same dict here
ArrayCollector = Collector
