"""``brainbatch.brainpy.channels`` (BrainPy 2.8.2's ``bp.channels`` / ``bp.dyn``): conductance-based neurons.

``CondNeuGroup`` / ``CondNeuGroupLTC`` with the Hodgkin-Huxley channels ``INa_HH1952``, ``IK_HH1952`` and
the leak ``IL``: brainbatch's classes (``brainbatch.models.channels``) with BrainPy's arguments.

>>> import brainbatch.brainpy as bp
>>> class HH(bp.dyn.CondNeuGroup):
...     def __init__(self, size):
...         super().__init__(size)
...         self.INa = bp.channels.INa_HH1952(size)
...         self.IK = bp.channels.IK_HH1952(size)
...         self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)
>>> sorted(HH(2).vars())
['IK.p', 'INa.p', 'INa.q', 'V', 'input', 'spike']
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ..core.variable import Variable
from ..models.channels import IL as _IL
from ..models.channels import IK_HH1952 as _IK_HH1952
from ..models.channels import INa_HH1952 as _INa_HH1952
from ..models.channels import CondNeuGroup as _CondNeuGroup
from ..models.channels import CondNeuGroupLTC as _CondNeuGroupLTC
from ..models.channels import IonChannel as _IonChannel
from ._compat import BrainPyCalls, method_name, unsupported

__all__ = ["CondNeuGroup", "CondNeuGroupLTC", "IonChannel", "IonChaDyn", "INa_HH1952", "IK_HH1952", "IL"]


class _Methods:
    """BrainPy integrator names (``'exp_auto'``) for ``method``."""

    def __init__(self, *args: Any, method: Any = "exp_auto", **kwargs: Any):
        # a mixin: the next class in the MRO (a brainbatch channel or group) takes method
        super().__init__(*args, method=method_name(method) if method is not None else None, **kwargs)  # type: ignore[call-arg]


#: the gates BrainPy 2.8.2's Hodgkin-Huxley channels make with ``bm.zeros`` in their ``__init__``
_ZERO_GATES = ("p", "q")


class _ChannelsAddedLater:
    """BrainPy 2.8.2's ``CondNeuGroup`` resets its state in its own ``__init__``, before a subclass adds its
    channels (``self.INa = bp.channels.INa_HH1952(size)``), and a runner does not reset: such a channel's
    gates start at the zeros it was made with (``examples/dynamics_simulation/hh_model.py`` then spikes
    at 5.7 ms, before its input), until ``reset_state()`` puts them at their steady state. The same here:
    the zeros count as values set by hand, which the first run keeps (docs/migrating-from-brainpy.md)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "_bp_built", True)

    def __setattr__(self, key: str, value: Any) -> None:
        super().__setattr__(key, value)
        if self.__dict__.get("_bp_built") and isinstance(value, (INa_HH1952, IK_HH1952)):
            for name in _ZERO_GATES:
                gate = value.__dict__.get(name)
                if isinstance(gate, Variable):
                    gate.value = jnp.zeros_like(gate.value)


class CondNeuGroupLTC(BrainPyCalls, _ChannelsAddedLater, _Methods, _CondNeuGroupLTC):
    """Conductance-based neurons from channel attributes; synaptic currents linearised with the channels'."""


class CondNeuGroup(BrainPyCalls, _ChannelsAddedLater, _Methods, _CondNeuGroup):
    """Conductance-based neurons from channel attributes; synaptic currents held at the step-start V."""


class IonChannel(BrainPyCalls, _IonChannel):
    """Base of a channel: ``reset_state(V, batch_size)``, ``update(V)``, ``current(V)``."""

    def __init__(self, size: Any, keep_size: bool = False, name: str | None = None, mode: Any = None,
                 method: str = "exp_auto") -> None:
        super().__init__(size, keep_size=keep_size, method=method_name(method), name=name, mode=mode)


IonChaDyn = IonChannel


class INa_HH1952(BrainPyCalls, _Methods, _INa_HH1952):
    """Hodgkin-Huxley sodium channel (``E`` 50 mV, ``g_max`` 120 mS/cm², ``V_sh`` -45 mV)."""


class IK_HH1952(BrainPyCalls, _Methods, _IK_HH1952):
    """Hodgkin-Huxley potassium channel (BrainPy's defaults: ``E`` -90 mV, ``g_max`` 10 mS/cm²)."""


class IL(BrainPyCalls, _IL):
    """Leak channel (``g_max`` 0.1 mS/cm², ``E`` -70 mV)."""


_OTHER = "write it as a bp.dyn.IonChannel subclass (reset_state(V, batch_size), update(V), current(V))"
_HINTS = {name: _OTHER for name in (
    "INa_Ba2002", "INa_TM1991", "IK_DR", "IK_TM1991", "IK_Leak", "IKDR_Ba2002", "IK_HH1952v2", "INa_HH1952v2",
    "INa_Ba2002v2", "INa_TM1991v2", "IKA1_HM1992", "IKA2_HM1992", "IKK2A_HM1992", "IKK2B_HM1992", "IKNI_Ya1989",
    "IAHP_De1994", "ICaN_IS2008", "ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaHT_Re1993", "ICaL_IS2008",
    "Ih_HM1992", "Ih_De1996", "IKDR_Ba2002v2", "IK_TM1991v2", "IK_HH1952v2", "IKA1_HM1992v2")}
_HINTS.update({name: "ions are not part of brainbatch: give each channel its reversal potential E"
               for name in ("Ion", "IonChaDyn_", "MixIons", "mix_ions", "Sodium", "SodiumFixed", "Potassium",
                            "PotassiumFixed", "Calcium", "CalciumFixed", "CalciumDetailed", "CalciumFirstOrder")})


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.channels", name, _HINTS, __all__)
