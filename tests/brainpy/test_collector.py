"""BrainPy 2.8.2's ``bp.Collector``, ``bp.DynamicalSystemNS`` and ``bm.Parameter``, as its "base and collector"
tutorial (docs/tutorial_advanced/base_and_collector.ipynb) uses them. Expected results: that notebook run by
BrainPy 2.8.2:

    tc = bp.Collector({'a': bm.zeros(10)})
    tc['a'] = bm.zeros(1)      # ValueError : Name "a" conflicts: same name for [0.] and [0. 0. 0. 0. 0. 0. 0. 0. 0. 0.].
    tc.update({'a': bm.ones(1)})  # ValueError : Name "a" conflicts: same name for [1.] and [0. 0. ...].
    tc.replace('a', bm.ones(3))   # tc: {'a': [1., 1., 1.]}
    bp.Collector({'a': bm.zeros(10)}) + bp.Collector({'b': bm.ones(10)})  # {'a': ..., 'b': ...}
    bp.DynamicalSystemNS is bp.DynamicalSystem   # True
    bm.Parameter(3).value  # [0., 0., 0.]; a Variable, not a TrainVar
"""
import re

import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def test_a_collector_refuses_a_second_object_under_a_name_it_holds():
    tc = bp.Collector({"a": bm.zeros(10)})
    with pytest.raises(ValueError, match=re.escape('Name "a" conflicts: same name for [0.] and [0. 0. 0. 0. 0. 0. 0. '
                                                   '0. 0. 0.].')):
        tc["a"] = bm.zeros(1)
    with pytest.raises(ValueError, match=re.escape('Name "a" conflicts: same name for [1.] and')):
        tc.update({"a": bm.ones(1)})
    tc["a"] = tc["a"]  # the same object again is fine
    assert tc["a"].shape == (10,)


def test_a_collector_replaces_merges_and_removes_as_brainpys():
    tc = bp.Collector({"a": bm.zeros(10)})
    tc.replace("a", bm.ones(3))
    assert tc["a"].tolist() == [1., 1., 1.]
    a, b = bp.Collector({"a": bm.zeros(10)}), bp.Collector({"b": bm.ones(10)})
    both = a + b
    assert isinstance(both, bm.Collector) and list(both) == ["a", "b"] and list(a) == ["a"]
    assert list(both - ["a"]) == ["b"] and list(both - [b["b"]]) == ["a"]
    with pytest.raises(ValueError, match=r"Cannot remove c, because we do not find it in \['a', 'b'\]"):
        both - ["c"]
    with pytest.raises(ValueError, match=r'Name "b" conflicts'):
        both + {"b": 2}
    assert list(bp.ArrayCollector({"x": 1, "y": "s"}).subset(int)) == ["x"]


def test_brainpys_other_names_of_a_system_and_a_variable():
    assert bp.DynamicalSystemNS is bp.DynamicalSystem
    p = bm.Parameter(3)
    assert isinstance(p, bm.Variable) and not isinstance(p, bm.TrainVar)
    np.testing.assert_array_equal(p.value, np.zeros(3))


def test_absolute_keys_name_each_node_as_brainpys_default():
    # BrainPy's vars()/nodes() default to 'absolute' (the node's name); here 'relative' is the default and
    # method='absolute' gives BrainPy's keys
    e, i = bp.neurons.LIF(2, name="Ecol"), bp.neurons.LIF(3, name="Icol")
    net = bp.Network(E=e, I=i, name="NetCol")
    assert list(net.vars("absolute"))[:2] == ["Ecol.V", "Ecol.input"]
    assert list(net.nodes(method="absolute")) == ["NetCol", "Ecol", "Icol"]
    assert list(net.nodes("relative")) == ["", "E", "I"]


def test_removing_a_name_or_object_given_twice_or_a_key_that_is_not_text_works_as_brainpys():
    # BrainPy 2.8.2: each of these removes, where a second mention of a name raised "Cannot remove"
    a, b = bm.Variable(bm.zeros(1)), bm.Variable(bm.ones(1))
    c = bp.Collector({"a": a, "b": b, "a2": a})
    assert list(c - [a, a]) == ["b"] and list(c - ["b", "b"]) == ["a", "a2"]
    assert list(bp.Collector({0: a}) - {0: a}) == []
    with pytest.raises(ValueError, match=r"Cannot remove z, because we do not find it in \['a', 'b', 'a2'\]"):
        c - ["z", "a"]


def test_include_and_exclude_match_the_exact_class_and_an_array_collector_gives_values():
    v, t = bm.Variable(bm.zeros(1)), bm.TrainVar(bm.zeros(1))
    c = bp.Collector({"v": v, "t": t, "n": 1})
    assert list(c.include(bm.Variable)) == ["v"] and list(c.exclude(bm.Variable, int)) == ["t"]
    held = bm.ArrayCollector({"v": v})
    assert list(held.dict()) == ["v"] and held.dict()["v"].tolist() == [0.] and held.data()[0].tolist() == [0.]
