"""BrainPy 2.8.2's ``*_v2`` sodium and potassium channels and ``IK_Leak``: the ion-free channels' gates and
parameters (less ``E``), on a ``Sodium``/``Potassium`` ion whose ``E`` they take."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.modes import Mode
from . import _ba2002, _hh1952, _hm1992, _tm1991, _ya1989
from ._hosted_gated import IonGatedChannel
from ._ion import HostedChannel, IonInfo, Potassium, Sodium

__all__ = ["INa_Ba2002v2", "INa_TM1991v2", "INa_HH1952v2", "IKDR_Ba2002v2", "IK_TM1991v2", "IK_HH1952v2",
           "IKA1_HM1992v2", "IKA2_HM1992v2", "IKK2A_HM1992v2", "IKK2B_HM1992v2", "IKNI_Ya1989v2", "IK_Leak"]


class _FromIon(IonGatedChannel):
    """The ion-free class after this one in the MRO gives the gates; ``E`` is the ion's (keyword arguments are
    that class's, without ``E``)."""

    def __init__(self, size: Any, keep_size: bool = False, **params: Any) -> None:
        if "E" in params:
            raise TypeError(f"{type(self).__name__} takes E from its ion (E={params['E']!r} given): set E on the ion, "
                            f"or use {type(self).__name__[:-2]}(size, E=...) on the group")
        plain = type(self).__mro__[type(self).__mro__.index(HostedChannel) + 1]
        plain.__init__(self, size, keep_size=keep_size, **params)  # type: ignore[misc]
        object.__setattr__(self, "_host", None)
        del self.E  # the ion's, read at each step


def _v2(plain: type, ion: type) -> type:
    cls = type(f"{plain.__name__}v2", (_FromIon, plain), {
        "ions": (ion,), "__module__": __name__,
        "__doc__": (f"``{plain.__name__}`` on a ``{ion.__name__}`` ion, whose ``E`` it takes (BrainPy's "
                    f"``{plain.__name__}v2``; the same keyword arguments without ``E``).")})
    return cls


INa_Ba2002v2 = _v2(_ba2002.INa_Ba2002, Sodium)
INa_TM1991v2 = _v2(_tm1991.INa_TM1991, Sodium)
INa_HH1952v2 = _v2(_hh1952.INa_HH1952, Sodium)
IKDR_Ba2002v2 = _v2(_ba2002.IKDR_Ba2002, Potassium)
IK_TM1991v2 = _v2(_tm1991.IK_TM1991, Potassium)
IK_HH1952v2 = _v2(_hh1952.IK_HH1952, Potassium)
IKA1_HM1992v2 = _v2(_hm1992.IKA1_HM1992, Potassium)
IKA2_HM1992v2 = _v2(_hm1992.IKA2_HM1992, Potassium)
IKK2A_HM1992v2 = _v2(_hm1992.IKK2A_HM1992, Potassium)
IKK2B_HM1992v2 = _v2(_hm1992.IKK2B_HM1992, Potassium)
IKNI_Ya1989v2 = _v2(_ya1989.IKNI_Ya1989, Potassium)


class IK_Leak(HostedChannel):
    """Potassium leak on a potassium ion, ``g_max (E_K - V)`` (BrainPy's default ``g_max`` 0.005 mS/cm²).

    >>> float(IK_Leak(1, g_max=0.01).current(-70.0, IonInfo(C=0.04, E=-90.0)))
    -0.20000000298023224
    """

    ions = (Potassium,)
    param_units = {"g_max": u.mS / u.cm**2}

    def __init__(self, size: Any, keep_size: bool = False, g_max: Any = 0.005, method: Any = None,
                 name: str | None = None, mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method="exp_euler" if method is None else method, name=name,
                         mode=mode)
        self.method = method  # no state to integrate: kept as given, as BrainPy keeps it
        self.g_max = self.param("g_max", g_max, nonnegative=True)

    def reset_state(self, V: Any = None, k: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        pass

    def update(self, V: Any, *infos: IonInfo) -> None:
        pass

    def current(self, V: Any, k: IonInfo, *others: IonInfo) -> jax.Array:  # type: ignore[override]
        return jnp.asarray(self.g_max * (k.E - V))
