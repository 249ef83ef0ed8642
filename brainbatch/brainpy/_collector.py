"""BrainPy's ``bp.Collector`` (``bm.Collector``) and ``bp.ArrayCollector``: the classes of what ``nodes()`` and
``vars()`` return (brainbatch's own, core/graph.py), so a collector a script builds and one a model gives are the
same kind, as in BrainPy: a dict of named objects that refuses a second object under a name it holds, with
``replace``, ``update``, ``+``, ``-``, ``subset``, ``not_subset``, ``include``, ``exclude``, ``unique``, and an
``ArrayCollector``'s ``dict()`` and ``data()`` (its "base and collector" tutorial).

>>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
>>> tc = bp.Collector({'a': bm.zeros(2)})
>>> tc['a'] = bm.ones(1)
Traceback (most recent call last):
ValueError: Name "a" conflicts: same name for [1.] and [0. 0.].
>>> tc.replace('a', bm.ones(3)); sorted(tc + bp.Collector({'b': 1}))
['a', 'b']
>>> list(bp.neurons.LIF(2).vars().dict())[:2]
['V', 'input']
"""
from __future__ import annotations

from ..core.graph import ArrayCollector, Collector

__all__ = ["Collector", "ArrayCollector"]
