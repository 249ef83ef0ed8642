"""BrainPy 2.8.2's two places for a neuron's current inputs (brainbatch/brainpy/_held_current.py).

BrainPy's ``Lif``, ``LifRef`` and ``bp.neurons.LIF`` sum the current inputs once per step, at the V the step
starts from; ``LifLTC`` and ``LifRefLTC`` sum them inside the derivative. With a COBA input the two differ.
The pinned numbers come from running this model with BrainPy 2.8.2 (the .venv-bench reference env):
two neurons, one Expon (tau 3 ms) COBA input each from a ``SpikeTimeGroup`` (spikes at 1.0, 1.5, 1.55 ms)
through ``FullProjAlignPreDSMg``, 60 steps of ``bm.for_loop`` over ``step_run``, V at the end.
"""
from __future__ import annotations

import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

#: BrainPy 2.8.2: V (mV) after 60 steps
HELD = [-48.86179733276367, -54.17179870605469]  # Lif, LifRef, bp.neurons.LIF
INSIDE = [-48.88602066040039, -54.179447174072266]  # LifLTC, LifRefLTC
#: float32 rounding over 60 steps (measured 3e-5); the two forms differ by 2.4e-2
TOL = 1e-3


def _final_V(cls: type, **kwargs: float) -> np.ndarray:
    class Net(bp.DynSysGroup):
        def __init__(self) -> None:
            super().__init__()
            self.inp = bp.dyn.SpikeTimeGroup(2, indices=[0, 1, 0], times=[1., 1.5, 1.55])
            params = kwargs or dict(V_rest=-60., V_th=50., V_reset=-60., tau=20., V=-60.)
            V0 = params.pop("V")
            self.N = cls(2, V_initializer=bp.init.Constant(V0), **params)
            self.p = bp.dyn.FullProjAlignPreDSMg(pre=self.inp, delay=None, syn=bp.dyn.Expon.desc(2, tau=3.),
                                                 comm=bp.dnn.OneToOne(2, 1.), out=bp.dyn.COBA(E=0.), post=self.N)

        def update(self) -> None:
            self.p()
            self.inp()
            self.N()

    net = Net()
    bm.for_loop(lambda i: net.step_run(i), bm.arange(60))
    return np.asarray(net.N.V.value)


@pytest.mark.parametrize("name", ["Lif", "LifRef", "LIF"])
def test_non_ltc_classes_hold_the_current_over_the_step(name: str) -> None:
    cls = bp.neurons.LIF if name == "LIF" else getattr(bp.dyn, name)
    np.testing.assert_allclose(_final_V(cls), HELD, atol=TOL)


@pytest.mark.parametrize("name", ["LifLTC", "LifRefLTC"])
def test_ltc_classes_sum_the_current_inside_the_derivative(name: str) -> None:
    np.testing.assert_allclose(_final_V(getattr(bp.dyn, name)), INSIDE, atol=TOL)


#: BrainPy 2.8.2, the same input, default parameters, V starting at the given value
FAMILIES = {
    "ExpIF": (-60., [-57.32659912109375, -59.18360137939453]),
    "ExpIFLTC": (-60., [-57.36259841918945, -59.20199966430664]),
    "HH": (-65., [-72.2645034790039, -74.86029815673828]),
    "HHLTC": (-65., [-72.32389831542969, -74.87409973144531]),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_other_families_follow_the_same_split(name: str) -> None:
    V0, expected = FAMILIES[name]
    np.testing.assert_allclose(_final_V(getattr(bp.dyn, name), V=V0), expected, atol=TOL)
