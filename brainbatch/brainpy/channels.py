"""``brainbatch.brainpy.channels`` (BrainPy 2.8.2's ``bp.channels`` / ``bp.dyn``): conductance-based neurons.

``CondNeuGroup`` / ``CondNeuGroupLTC`` with the sodium and potassium channels that take their reversal
potential ``E`` (``INa_HH1952``, ``IK_HH1952``, ``INa_TM1991``, ``IK_TM1991``, ``INa_Ba2002``, ``IKDR_Ba2002``,
``IKA1_HM1992``, ``IKA2_HM1992``, ``IKK2A_HM1992``, ``IKK2B_HM1992``, ``IKNI_Ya1989``, ``Ih_HM1992``) and the
leaks ``IL``, ``IKL``: brainbatch's classes (``brainbatch.models.channels``) with BrainPy's arguments and
``method='exp_auto'``; and the ions (``SodiumFixed``, ``PotassiumFixed``, ``CalciumFixed``, ``CalciumDetailed``,
``CalciumFirstOrder``, ``mix_ions``/``MixIons``) with the channels that read them (``ICaT_HM1992``, ``ICaT_HP1992``,
``ICaHT_HM1992``, ``ICaHT_Re1993``, ``ICaL_IS2008``, ``ICaN_IS2008``, ``IAHP_De1994``/``v2``, ``Ih_De1996``, the
``*_v2`` channels, ``IK_Leak``), given as keywords, by ``add_elem`` or as ``.desc(...)``. BrainPy 2.8.2's
calcium influx sign and start rule are reproduced (docs/migrating-from-brainpy.md).

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
from ._base import Desc, _Mirror
from ._compat import BrainPyCalls, method_name, unsupported

__all__ = ["CondNeuGroup", "CondNeuGroupLTC", "HHTypedNeuron", "IonChannel", "IonChaDyn", "INa_HH1952", "IK_HH1952", "IL",
           "INa_TM1991", "IK_TM1991", "INa_Ba2002", "IKDR_Ba2002", "IKA1_HM1992", "IKA2_HM1992", "IKK2A_HM1992",
           "IKK2B_HM1992", "IKNI_Ya1989", "Ih_HM1992", "IKL"]


class _Methods:
    """BrainPy integrator names (``'exp_auto'``) for ``method``."""

    def __init__(self, *args: Any, method: Any = "exp_auto", **kwargs: Any):
        # a mixin: the next class in the MRO (a brainbatch channel or group) takes method
        super().__init__(*args, method=method_name(method) if method is not None else None, **kwargs)  # type: ignore[call-arg]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # help() and IDEs show the brainbatch class's parameters (with BrainPy's method default), not *args
        super().__init_subclass__(**kwargs)
        import inspect

        native = next((k for k in cls.__mro__[1:] if "__init__" in vars(k) and k.__module__.startswith(
            "brainbatch.models")), None)
        if native is not None and "__init__" not in vars(cls):
            sig = inspect.signature(vars(native)["__init__"])
            params = [p.replace(default="exp_auto") if p.name == "method" else p
                      for name, p in sig.parameters.items() if name != "self"]
            cls.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]


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
        if self.__dict__.get("_bp_built") and isinstance(value, (_native.Ion, _native.MixIons)):
            # an ion (or mix) put on the group after its reset: its channels keep the zeros they were made
            # with, and so do those added to it later (_Hosting.add_elem); its C and E are those it was made with
            object.__setattr__(value, "_bp_late", True)
            for channel in value.channels().values():
                _zero(channel)


def _zero(channel: Any) -> None:
    """Set a channel's state to the zeros BrainPy makes it with (as by hand: the first run keeps them)."""
    for var in channel.vars().values():
        var.value = jnp.zeros_like(var.value)


class CondNeuGroupLTC(BrainPyCalls, _ChannelsAddedLater, _Methods, _CondNeuGroupLTC):
    """Conductance-based neurons from channel attributes; synaptic currents linearised with the channels'."""


class CondNeuGroup(BrainPyCalls, _ChannelsAddedLater, _Methods, _CondNeuGroup):
    """Conductance-based neurons from channel attributes; synaptic currents held at the step-start V."""


class HHTypedNeuron(CondNeuGroupLTC, metaclass=_Mirror):
    """BrainPy's base of the conductance-based groups: ``isinstance(x, bp.dyn.HHTypedNeuron)`` holds for every
    ``CondNeuGroup``/``CondNeuGroupLTC`` here too, and a channel class may name it (``master_type =
    bp.dyn.HHTypedNeuron``, as BrainPy's tutorials write; brainbatch does not read ``master_type``)."""

    _mirrors = (_CondNeuGroup, _CondNeuGroupLTC)


class _IonKind(metaclass=_Mirror):
    """Base of ``Sodium``, ``Potassium``, ``Calcium``: the ions of that kind are their instances (a channel's
    ``master_type``); a subclass (an ion of one's own dynamics) is refused when made."""

    _mirrors: Any
    #: brainbatch's ion class of this kind (what a channel naming it as master_type is hosted by)
    native: type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"{type(self).__name__}: {_BASES}")


class Sodium(_IonKind):
    """BrainPy's sodium ion type: ``master_type`` of a channel that reads a sodium ion's ``C`` and ``E``."""

    _mirrors = native = _native.Sodium


class Potassium(_IonKind):
    """BrainPy's potassium ion type: ``master_type`` of a channel that reads a potassium ion's ``C`` and ``E``."""

    _mirrors = native = _native.Potassium


class Calcium(_IonKind):
    """BrainPy's calcium ion type: ``master_type`` of a channel that reads a calcium ion's ``C`` and ``E``."""

    _mirrors = native = _native.Calcium


_KIND_OF = {kind.native: kind for kind in (Sodium, Potassium, Calcium)}


def _ions_named(master_type: Any) -> tuple[type, ...]:
    """brainbatch's ion classes that ``master_type`` names (``bp.dyn.Calcium``, ``JointType[...]`` of them), or ()
    for a channel on the group (``HHTypedNeuron``, ``CondNeuGroup``, none)."""
    kinds: Any = getattr(master_type, "__args__", None) if not isinstance(master_type, type) else (master_type,)
    if not kinds or not all(isinstance(k, type) and issubclass(k, _IonKind) and k is not _IonKind for k in kinds):
        return ()
    return tuple(k.native for k in kinds)


def _master_type_of(ions: tuple[type, ...]) -> Any:
    """BrainPy's ``master_type`` of a channel reading ``ions`` (brainbatch's classes)."""
    from .mixin import JointType

    kinds = tuple(_KIND_OF[next(k for k in _KIND_OF if issubclass(ion, k))] for ion in ions)
    return kinds[0] if len(kinds) == 1 else JointType.__class_getitem__(kinds)


class _ChannelMeta(type):
    """A ``bp.dyn.IonChannel`` subclass whose ``master_type`` names ions (``bp.dyn.Calcium``, ``bp.mixin.JointType[
    bp.dyn.Calcium, bp.dyn.Potassium]``) reads them, as in BrainPy: it is made a channel hosted by an ion
    (``ion.add_elem(...)``), its methods given BrainPy's arguments (``_BrainPyHosted``)."""

    def __new__(mcs, name: str, bases: tuple, namespace: dict, **kwargs: Any) -> Any:
        ions = _ions_named(namespace.get("master_type"))
        if ions and not any(issubclass(b, _native.HostedChannel) for b in bases):
            bases = (_BrainPyHosted, *bases)
            namespace = {**namespace, "ions": ions}
        return super().__new__(mcs, name, bases, namespace, **kwargs)


class IonChannel(BrainPyCalls, _IonChannel, metaclass=_ChannelMeta):
    """Base of a channel: ``reset_state(V, batch_size)``, ``update(V)``, ``current(V)``. With ``master_type`` naming
    an ion (``bp.dyn.Calcium``), ``reset_state(V, C, E, batch_size)``, ``update(V, C, E)``, ``current(V, C, E)``, and
    it goes on that ion (``ca.add_elem(...)``); naming several (``bp.mixin.JointType[...]``), each ion's ``C`` and
    ``E`` come as one dict, ``update(V, ca_info, k_info)``, and it goes on their ``bp.dyn.MixIons``."""

    #: what the channel reads: the group's V (BrainPy's HHTypedNeuron), or ions (see the class docstring)
    master_type: Any = HHTypedNeuron

    def __init__(self, size: Any, keep_size: bool = False, name: str | None = None, mode: Any = None,
                 method: str = "exp_auto") -> None:
        super().__init__(size, keep_size=keep_size, method=method_name(method), name=name, mode=mode)


class _BrainPyHosted(BrainPyCalls, _native.HostedChannel):
    """A BrainPy channel reading ions: the ``IonInfo`` brainbatch's ions give become BrainPy's arguments, ``C, E``
    for one ion, a dict ``{'C': C, 'E': E}`` per ion for several (BrainPy's ``Ion.update`` / ``MixIons.update``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        for name in ("update", "current", "reset_state"):  # before the base routes a graph reset to reset_state
            own = cls.__dict__.get(name)
            if own is not None and not getattr(own, "_brainpy_args", False):
                setattr(cls, name, _with_brainpy_args(own))
        super().__init_subclass__(**kwargs)


def _with_brainpy_args(method: Any) -> Any:
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(a, _native.IonInfo) for a in args):
            single = len(type(self).ions) == 1
            out: list = []
            for a in args:
                if not isinstance(a, _native.IonInfo):
                    out.append(a)
                elif single:
                    out.extend((a.C, a.E))
                else:
                    out.append({"C": a.C, "E": a.E})
            args = tuple(out)
        return method(self, *args, **kwargs)

    call._brainpy_args = True  # type: ignore[attr-defined]
    call.__name__, call.__doc__, call.__wrapped__ = method.__name__, method.__doc__, method  # type: ignore[attr-defined]
    return call


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


def _built(items: dict) -> dict:
    return {k: v.build() if isinstance(v, Desc) else v for k, v in items.items()}


class _Hosting:
    """BrainPy's ways to give an ion (or MixIons) its channels: keyword arguments, ``add_elem`` (positional ones
    under their name), ``.desc(...)`` descriptions."""

    @property
    def children(self) -> dict:
        """The channels by name (BrainPy's ``children``)."""
        return self.channels()  # type: ignore[attr-defined]

    def add_elem(self, *elems: Any, **named: Any) -> None:
        elems = tuple(e.build() if isinstance(e, Desc) else e for e in elems)
        named = _built(named)
        super().add_elem(*elems, **named)  # type: ignore[misc]
        if self.__dict__.get("_bp_late"):  # on a group that was built before: BrainPy's zeros
            for channel in elems + tuple(named.values()):
                _zero(channel)


class _BrainPyCalcium:
    """BrainPy 2.8.2's calcium influx: ``-I_Ca`` (its channels' currents are inward positive, so the clipped
    drive is 0 while calcium flows in) and the MixIons channels' currents (IAHP's potassium current) in I_Ca."""

    influx_sign = -1.0
    mixed_in_influx = True


class _Ion(_Hosting, _Methods):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        named = {k: v for k, v in kwargs.items() if isinstance(v, (Desc, _native.HostedChannel))}
        rest = {k: v for k, v in kwargs.items() if k not in named}
        super().__init__(*args, **rest, **_built(named))


class SodiumFixed(BrainPyCalls, _Ion, _native.SodiumFixed):
    """Sodium of fixed ``E`` (50 mV) and ``C``, hosting the ``*_v2`` sodium channels."""


class PotassiumFixed(BrainPyCalls, _Ion, _native.PotassiumFixed):
    """Potassium of fixed ``E`` (-95 mV) and ``C``, hosting the ``*_v2`` potassium channels and ``IK_Leak``."""


class CalciumFixed(BrainPyCalls, _Ion, _native.CalciumFixed):
    """Calcium of fixed ``E`` (120 mV) and ``C`` (2.4e-4 mM)."""


class CalciumDetailed(BrainPyCalls, _BrainPyCalcium, _Ion, _native.CalciumDetailed):
    """Calcium in a shell under the membrane (BrainPy 2.8.2's equation and influx sign)."""


class CalciumFirstOrder(BrainPyCalls, _BrainPyCalcium, _Ion, _native.CalciumFirstOrder):
    """Calcium of first-order dynamics (BrainPy 2.8.2's equation and influx sign)."""


class MixIons(BrainPyCalls, _Hosting, _native.MixIons):
    """Ions mixed for the channels reading several (``IAHP_De1994v2``)."""

    def __init__(self, *ions: Any, **channels: Any) -> None:
        super().__init__(*ions, **_built(channels))


def mix_ions(*ions: Any) -> MixIons:
    """``MixIons(*ions)``."""
    return MixIons(*ions)


class _NotResetByDynamicCalcium:
    """BrainPy 2.8.2's ``CalciumDetailed``/``CalciumFirstOrder`` reset their channels through ``node.reset(...)``,
    which skips the channels that are not ``CalciumChannel`` subclasses (``Ih_De1996``, ``IAHP_De1994``): on
    such an ion they are never reset and keep their state (the zeros they were made with). On ``CalciumFixed``
    they are reset."""

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        if isinstance(self.__dict__.get("_host"), _native.CalciumDyna):
            return
        super().reset_state(*args, **kwargs)  # type: ignore[misc]


def _hosted(native: Any, doc: str) -> type:
    methods = () if native is _native.IK_Leak else (_Methods,)
    kept = (_NotResetByDynamicCalcium,) if native in (_native.Ih_De1996, _native.IAHP_De1994) else ()
    return type(native.__name__, (*kept, BrainPyCalls, *methods, native), {"__doc__": doc, "__module__": __name__,
                                                                           "master_type": _master_type_of(native.ions)})


ICaT_HM1992 = _hosted(_native.ICaT_HM1992, "Low-threshold T-type calcium channel of relay cells (on a calcium ion).")
ICaT_HP1992 = _hosted(_native.ICaT_HP1992, "Low-threshold T-type calcium channel of reticular cells (on a calcium ion).")
ICaHT_HM1992 = _hosted(_native.ICaHT_HM1992, "High-threshold calcium channel, Huguenard-McCormick (on a calcium ion).")
ICaHT_Re1993 = _hosted(_native.ICaHT_Re1993, "High-threshold calcium channel, Reuveni (on a calcium ion).")
ICaL_IS2008 = _hosted(_native.ICaL_IS2008, "L-type calcium channel (on a calcium ion).")
ICaN_IS2008 = _hosted(_native.ICaN_IS2008, "Calcium-activated cation channel (on a calcium ion with dynamics).")
IAHP_De1994 = _hosted(_native.IAHP_De1994, "Calcium-dependent AHP potassium channel with its own E (on a calcium ion).")
IAHP_De1994v2 = _hosted(_native.IAHP_De1994v2, "Calcium-dependent AHP potassium channel (on mix_ions(K, Ca)).")
Ih_De1996 = _hosted(_native.Ih_De1996, "Calcium-modulated h channel (on a calcium ion).")
IK_Leak = _hosted(_native.IK_Leak, "Potassium leak with the potassium ion's E.")
_V2 = ("INa_Ba2002v2", "INa_TM1991v2", "INa_HH1952v2", "IKDR_Ba2002v2", "IK_TM1991v2", "IK_HH1952v2", "IKA1_HM1992v2",
       "IKA2_HM1992v2", "IKK2A_HM1992v2", "IKK2B_HM1992v2", "IKNI_Ya1989v2")
for _name in _V2:
    globals()[_name] = _hosted(getattr(_native, _name), f"``{_name[:-2]}`` with E from its ion.")
for _cls in list(globals().values()):  # BrainPy's master_type of the channels on the group and of the ions
    if (isinstance(_cls, type) and issubclass(_cls, _native.IonChannel) and _cls.__module__ == __name__
            and "master_type" not in vars(_cls) and not issubclass(_cls, _native.HostedChannel)):
        _cls.master_type = HHTypedNeuron  # type: ignore[attr-defined]
_IONS = ["SodiumFixed", "PotassiumFixed", "CalciumFixed", "CalciumDetailed", "CalciumFirstOrder", "MixIons",
         "mix_ions", "ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaHT_Re1993", "ICaL_IS2008", "ICaN_IS2008",
         "IAHP_De1994", "IAHP_De1994v2", "Ih_De1996", "IK_Leak", *_V2]
__all__ += _IONS
__all__ += ["Sodium", "Potassium", "Calcium"]

_OTHER = "write it as a bp.dyn.IonChannel subclass (reset_state(V, batch_size), update(V), current(V))"
_BASES = ("BrainPy's ion-channel base classes are not supported for subclassing; " + _OTHER
          + " (a channel reading an ion: brainbatch.models.channels.HostedChannel)")
_HINTS = {name: _BASES for name in ("CalciumChannel", "SodiumChannel", "PotassiumChannel", "Ion", "IonChaDyn_", "CalciumDyna")}
_HINTS["LeakyChannel"] = _OTHER
_HINTS["IK_DR"] = "not a BrainPy 2.8.2 class; its delayed-rectifier potassium channels are IKDR_Ba2002 and IK_TM1991"


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.channels", name, _HINTS, __all__)
