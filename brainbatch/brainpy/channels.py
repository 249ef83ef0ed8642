"""``brainbatch.brainpy.channels`` (BrainPy 2.8.2's ``bp.channels`` / ``bp.dyn``): conductance-based neurons.

``CondNeuGroup`` / ``CondNeuGroupLTC`` with the sodium and potassium channels that take their reversal
potential ``E`` (``INa_HH1952``, ``IK_HH1952``, ``INa_TM1991``, ``IK_TM1991``, ``INa_Ba2002``, ``IKDR_Ba2002``,
``IKA1_HM1992``, ``IKA2_HM1992``, ``IKK2A_HM1992``, ``IKK2B_HM1992``, ``IKNI_Ya1989``, ``Ih_HM1992``) and the
leaks ``IL``, ``IKL``: brainbatch's classes (``brainbatch.models.channels``) with BrainPy's arguments and
``method='exp_auto'``. The channels that need an ion object (the ``v2`` classes, ``IK_Leak``, the calcium
ones) are refused with what to use instead.

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
from ..models import channels as _native
from ..models.channels import CondNeuGroup as _CondNeuGroup
from ..models.channels import CondNeuGroupLTC as _CondNeuGroupLTC
from ..models.channels import GatedChannel as _GatedChannel
from ..models.channels import IonChannel as _IonChannel
from ._compat import BrainPyCalls, method_name, unsupported

__all__ = ["CondNeuGroup", "CondNeuGroupLTC", "IonChannel", "IonChaDyn", "INa_HH1952", "IK_HH1952", "IL",
           "INa_TM1991", "IK_TM1991", "INa_Ba2002", "IKDR_Ba2002", "IKA1_HM1992", "IKA2_HM1992", "IKK2A_HM1992",
           "IKK2B_HM1992", "IKNI_Ya1989", "Ih_HM1992", "IKL"]


class _Methods:
    """BrainPy integrator names (``'exp_auto'``) for ``method``."""

    def __init__(self, *args: Any, method: Any = "exp_auto", **kwargs: Any):
        # a mixin: the next class in the MRO (a brainbatch channel or group) takes method
        super().__init__(*args, method=method_name(method) if method is not None else None, **kwargs)  # type: ignore[call-arg]


class _ChannelsAddedLater:
    """BrainPy 2.8.2's ``CondNeuGroup`` resets its state in its own ``__init__``, before a subclass adds its
    channels (``self.INa = bp.channels.INa_HH1952(size)``), and a runner does not reset: such a channel's
    gates start at the zeros it was made with (every BrainPy 2.8.2 gated channel makes them with ``bm.zeros``;
    ``examples/dynamics_simulation/hh_model.py`` then spikes at 5.7 ms, before its input), until
    ``reset_state()`` puts them at their steady state. The same here for every gated channel: the zeros
    count as values set by hand, which the first run keeps (docs/migrating-from-brainpy.md)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "_bp_built", True)

    def __setattr__(self, key: str, value: Any) -> None:
        super().__setattr__(key, value)
        if self.__dict__.get("_bp_built") and isinstance(value, _GatedChannel):
            for name in value.gates:
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


class INa_HH1952(BrainPyCalls, _Methods, _native.INa_HH1952):
    """Hodgkin-Huxley sodium channel (``E`` 50 mV, ``g_max`` 120 mS/cm², ``V_sh`` -45 mV)."""


class IK_HH1952(BrainPyCalls, _Methods, _native.IK_HH1952):
    """Hodgkin-Huxley potassium channel (BrainPy's defaults: ``E`` -90 mV, ``g_max`` 10 mS/cm²)."""


class INa_TM1991(BrainPyCalls, _Methods, _native.INa_TM1991):
    """Traub-Miles sodium channel (``E`` 50 mV, ``g_max`` 120 mS/cm², ``V_sh`` -63 mV)."""


class IK_TM1991(BrainPyCalls, _Methods, _native.IK_TM1991):
    """Traub-Miles potassium channel (``E`` -90 mV, ``g_max`` 10 mS/cm², ``V_sh`` -60 mV)."""


class INa_Ba2002(BrainPyCalls, _Methods, _native.INa_Ba2002):
    """Bazhenov sodium channel (``T`` 36 °C, ``E`` 50 mV, ``g_max`` 90 mS/cm², ``V_sh`` -50 mV)."""


class IKDR_Ba2002(BrainPyCalls, _Methods, _native.IKDR_Ba2002):
    """Bazhenov delayed-rectifier potassium channel (``E`` -90 mV, ``g_max`` 10 mS/cm², ``V_sh`` -50 mV)."""


class IKA1_HM1992(BrainPyCalls, _Methods, _native.IKA1_HM1992):
    """A-type potassium channel, first component (``E`` -90 mV, ``g_max`` 30 mS/cm²)."""


class IKA2_HM1992(BrainPyCalls, _Methods, _native.IKA2_HM1992):
    """A-type potassium channel, second component (``E`` -90 mV, ``g_max`` 20 mS/cm²)."""


class IKK2A_HM1992(BrainPyCalls, _Methods, _native.IKK2A_HM1992):
    """Slowly inactivating potassium channel K2a (``E`` -90 mV, ``g_max`` 10 mS/cm²)."""


class IKK2B_HM1992(BrainPyCalls, _Methods, _native.IKK2B_HM1992):
    """Slowly inactivating potassium channel K2b (``E`` -90 mV, ``g_max`` 10 mS/cm²)."""


class IKNI_Ya1989(BrainPyCalls, _Methods, _native.IKNI_Ya1989):
    """Non-inactivating potassium channel (``E`` -90 mV, ``g_max`` 0.004 mS/cm², ``tau_max`` 4 s)."""


class Ih_HM1992(BrainPyCalls, _Methods, _native.Ih_HM1992):
    """Hyperpolarisation-activated channel (``g_max`` 10 mS/cm², ``E`` 43 mV)."""


class IL(BrainPyCalls, _native.IL):
    """Leak channel (``g_max`` 0.1 mS/cm², ``E`` -70 mV)."""


class IKL(BrainPyCalls, _native.IKL):
    """Potassium leak channel (``g_max`` 0.005 mS/cm², ``E`` -90 mV)."""


_OTHER = "write it as a bp.dyn.IonChannel subclass (reset_state(V, batch_size), update(V), current(V))"
_CALCIUM = ("it needs a Calcium ion (the calcium concentration's dynamics), which brainbatch does not have; "
            + _OTHER)
#: BrainPy 2.8.2's classes that read E (and the concentration) from a Sodium or Potassium ion they are put in
_WITH_ION = {"INa_Ba2002v2": "INa_Ba2002", "INa_TM1991v2": "INa_TM1991", "INa_HH1952v2": "INa_HH1952",
             "IKDR_Ba2002v2": "IKDR_Ba2002", "IK_TM1991v2": "IK_TM1991", "IK_HH1952v2": "IK_HH1952",
             "IKA1_HM1992v2": "IKA1_HM1992", "IKA2_HM1992v2": "IKA2_HM1992", "IKK2A_HM1992v2": "IKK2A_HM1992",
             "IKK2B_HM1992v2": "IKK2B_HM1992", "IKNI_Ya1989v2": "IKNI_Ya1989", "IK_Leak": "IKL"}
_HINTS = {name: (f"it takes its reversal potential from an ion object, which brainbatch does not have; use "
                 f"bp.dyn.{plain}(size, E=...) in the group instead") for name, plain in _WITH_ION.items()}
_HINTS.update({name: _CALCIUM for name in (
    "IAHP_De1994", "IAHP_De1994v2", "ICaN_IS2008", "ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaHT_Re1993",
    "ICaL_IS2008", "Ih_De1996", "CalciumChannel")})
_HINTS["LeakyChannel"] = _OTHER
_HINTS["IK_DR"] = "not a BrainPy 2.8.2 class; its delayed-rectifier potassium channels are IKDR_Ba2002 and IK_TM1991"
_HINTS.update({name: "ions are not part of brainbatch: give each channel its reversal potential E"
               for name in ("Ion", "IonChaDyn_", "MixIons", "mix_ions", "Sodium", "SodiumFixed", "Potassium",
                            "PotassiumFixed", "Calcium", "CalciumFixed", "CalciumDetailed", "CalciumFirstOrder",
                            "SodiumChannel", "PotassiumChannel")})


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.channels", name, _HINTS, __all__)
