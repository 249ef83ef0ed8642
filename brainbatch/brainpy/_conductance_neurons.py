"""BrainPy's ``MorrisLecar`` and ``WangBuzsakiHH`` (``bp.dyn``; ``bp.neurons.MorrisLecar``,
``bp.neurons.WangBuzsakiModel``) over brainbatch's models.

BrainPy 2.8.2 has a plain and an ``LTC`` class of each (``brainpy/dyn/neurons/hh.py``): they differ only in
where ``sum_current_inputs`` is evaluated: the plain one at the V the step starts from, the ``LTC`` one
inside the derivative, here as there (``_held_current.py``; the same numbers for currents that do not depend on V). The 2.3 names add an
``input`` Variable (``input_var=True``), which brainbatch's groups always have. Arguments keep BrainPy's
order: ``size, sharding, keep_size, mode, name, method, init_var``, then the parameters.
"""
from __future__ import annotations

from typing import Any

from ..core.initializers import OneInit, Uniform
from ..models import MorrisLecar as _MorrisLecar
from ..models import WangBuzsakiHH as _WangBuzsakiHH
from ._compat import BrainPyCalls, check_input_var, check_none, membrane_noise, method_name
from ._held_current import CurrentAtStepStart, ltc_twin

__all__ = ["MorrisLecar", "MorrisLecarLTC", "WangBuzsakiHH", "WangBuzsakiHHLTC", "WangBuzsakiModel"]


class MorrisLecar(CurrentAtStepStart, BrainPyCalls, _MorrisLecar):
    """BrainPy's ``MorrisLecar`` (``brainbatch.MorrisLecar``: its defaults, V uniform in [-70, -60) mV, W = 0.02).

    >>> import brainbatch.brainpy as bp
    >>> ml = bp.dyn.MorrisLecar(3)
    >>> ml.W.shape, round(float(ml.W.value[0]), 6), float(ml.V_th)
    ((3,), 0.02, 10.0)
    """

    def __init__(self, size: Any, sharding: Any = None, keep_size: bool = False, mode: Any = None,
                 name: str | None = None, method: str = "exp_auto", init_var: bool = True, V_Ca: Any = 130.0,
                 g_Ca: Any = 4.4, V_K: Any = -84.0, g_K: Any = 8.0, V_leak: Any = -60.0, g_leak: Any = 2.0,
                 C: Any = 20.0, V1: Any = -1.2, V2: Any = 18.0, V3: Any = 2.0, V4: Any = 30.0, phi: Any = 0.04,
                 V_th: Any = 10.0, W_initializer: Any = OneInit(0.02), V_initializer: Any = Uniform(-70.0, -60.0),
                 noise: Any = None, input_var: bool = True) -> None:
        what = type(self).__name__
        check_none(what, sharding=sharding)
        check_input_var(what, input_var)
        # init_var=False: BrainPy makes the Variables in a later reset_state; here they exist from the start
        super().__init__(size, keep_size=keep_size, V_Ca=V_Ca, g_Ca=g_Ca, V_K=V_K, g_K=g_K, V_leak=V_leak,
                         g_leak=g_leak, C=C, V1=V1, V2=V2, V3=V3, V4=V4, phi=phi, V_th=V_th,
                         V_initializer=V_initializer, W_initializer=W_initializer, method=method_name(method),
                         name=name, mode=mode, noise=membrane_noise(noise))


MorrisLecarLTC = ltc_twin(MorrisLecar, "MorrisLecarLTC")


def brainpy_n_alpha(V: Any) -> Any:
    """BrainPy 2.8.2's alpha_n: ``1 / exprel(-0.1 (V+34))`` = ``0.1 (V+34) / (1 - exp(-0.1 (V+34)))``, ten times
    the paper's (its docstring gives the paper's 0.01); kept so a ported script gives BrainPy's numbers."""
    return 10.0 * _WangBuzsakiHH.n_alpha(V)


class WangBuzsakiHH(CurrentAtStepStart, BrainPyCalls, _WangBuzsakiHH):
    """BrainPy's ``WangBuzsakiHH`` (``brainbatch.WangBuzsakiHH`` with BrainPy 2.8.2's alpha_n, ten times the
    paper's: K+ activates so fast that a constant input of 10 uA/cm^2 gives no spike; ``bb.WangBuzsakiHH``
    is the paper's model).

    >>> import brainbatch.brainpy as bp
    >>> wb = bp.dyn.WangBuzsakiHH(2)
    >>> float(wb.V.value[0]), float(wb.h.value[0]), float(wb.n.value[0])
    (-65.0, 0.6000000238418579, 0.3199999928474426)
    """

    n_alpha = staticmethod(brainpy_n_alpha)

    def __init__(self, size: Any, sharding: Any = None, keep_size: bool = False, mode: Any = None,
                 name: str | None = None, method: str = "exp_auto", init_var: bool = True, ENa: Any = 55.0,
                 gNa: Any = 35.0, EK: Any = -90.0, gK: Any = 9.0, EL: Any = -65.0, gL: Any = 0.1, V_th: Any = 20.0,
                 phi: Any = 5.0, C: Any = 1.0, V_initializer: Any = OneInit(-65.0), h_initializer: Any = OneInit(0.6),
                 n_initializer: Any = OneInit(0.32), noise: Any = None, input_var: bool = True) -> None:
        what = type(self).__name__
        check_none(what, sharding=sharding)
        check_input_var(what, input_var)
        super().__init__(size, keep_size=keep_size, ENa=ENa, gNa=gNa, EK=EK, gK=gK, EL=EL, gL=gL, V_th=V_th, phi=phi,
                         C=C, V_initializer=V_initializer, h_initializer=h_initializer, n_initializer=n_initializer,
                         method=method_name(method), name=name, mode=mode, noise=membrane_noise(noise))


WangBuzsakiModel = WangBuzsakiHH
WangBuzsakiHHLTC = ltc_twin(WangBuzsakiHH, "WangBuzsakiHHLTC")
