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
        """Without the entries of a dict, or the names and objects a list or tuple holds (each once)."""
        if not isinstance(other, (dict, list, tuple)):
            raise ValueError(f"Collector - other: other must be a dict, list or tuple, got {type(other).__name__}")
        gather = type(self)(self)
        if isinstance(other, dict):
            for key, value in other.items():
                if key not in gather:
                    raise ValueError(f"Cannot remove {key}, because we do not find it in {list(self.keys())}.")
                if gather[key] is not value:
                    raise ValueError(f"Cannot remove {key}, because we got two different values: {value} != "
                                     f"{gather[key]}")
                gather.pop(key)
            return gather
        for name in dict.fromkeys(self._names_of(other)):  # a name or object given twice is removed once
            gather.pop(name)
        return gather

    def _names_of(self, items: Any) -> list:
        """The names a list of names and held objects gives (an object: every name it is held under)."""
        names = []
        for item in items:
            found = [item] if isinstance(item, str) and item in self else (
                [] if isinstance(item, str) else [k for k, v in self.items() if v is item])
            if not found:
                raise ValueError(f"Cannot remove {item}, because we do not find it in {list(self.keys())}.")
            names += found
        return names

    def include(self, *types: type) -> Collector:
        """The entries whose object is of one of ``types`` exactly (not a subclass), as BrainPy's."""
        return type(self)({k: v for k, v in self.items() if v.__class__ in types})

    def exclude(self, *types: type) -> Collector:
        """The entries whose object is of none of ``types`` exactly, as BrainPy's."""
        return type(self)({k: v for k, v in self.items() if v.__class__ not in types})

    def subset(self, cls: type | tuple) -> Collector:
        return type(self)(super().subset(cls))

    def not_subset(self, cls: type | tuple) -> Collector:
        return type(self)(super().not_subset(cls))

    def unique(self) -> Collector:
        return type(self)(super().unique())


class ArrayCollector(Collector):
    """BrainPy's collector of Variables: a ``Collector`` with ``dict()`` (their values by name) and ``data()``
    (their values)."""

    def dict(self) -> dict:
        """``{name: value}`` of the Variables held."""
        return {k: v.value for k, v in self.items()}

    def data(self) -> list:
        """The values of the Variables held, in order."""
        return [v.value for v in self.values()]
