"""``brainbatch.brainpy.mixin``: BrainPy's ``JointType``, with which a channel reading several ions names them
(``master_type = bp.mixin.JointType[bp.dyn.Calcium, bp.dyn.Potassium]``, docs/migrating-from-brainpy.md).

>>> import brainbatch.brainpy as bp
>>> joint = bp.mixin.JointType[bp.dyn.Calcium, bp.dyn.Potassium]
>>> joint.__args__ == (bp.dyn.Calcium, bp.dyn.Potassium), joint
(True, JointType[Calcium, Potassium])
"""
from __future__ import annotations

from typing import Any

from ._compat import unsupported

__all__ = ["JointType"]


class JointAlias:
    """What ``JointType[A, B, ...]`` gives: the types in ``__args__``; an object is an instance when it is one of
    every type."""

    def __init__(self, args: tuple[type, ...]) -> None:
        self.__args__ = args

    def __instancecheck__(self, obj: Any) -> bool:
        return all(isinstance(obj, kind) for kind in self.__args__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JointAlias) and other.__args__ == self.__args__

    def __hash__(self) -> int:
        return hash(self.__args__)

    def __repr__(self) -> str:
        return f"JointType[{', '.join(getattr(k, '__name__', repr(k)) for k in self.__args__)}]"


class JointType:
    """``JointType[A, B]``: the types ``A`` and ``B`` together (a channel's ions, in the order its methods take
    them)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("JointType is used as JointType[A, B] (a subscript), not called")

    def __class_getitem__(cls, items: Any) -> JointAlias:
        items = items if isinstance(items, tuple) else (items,)
        if len(items) < 2 or not all(isinstance(k, type) for k in items):
            raise TypeError(f"JointType[...] takes two types or more, got {items!r}")
        return JointAlias(tuple(items))


_HINTS = {name: "BrainPy's mixins are not part of brainbatch (it builds models from its own classes); only "
                "JointType (a channel's ions) is here" for name in
          ("ParamDesc", "ParamDescriber", "AlignPost", "BindCondData", "ReturnInfo", "Container", "TreeNode",
           "SupportAutoDelay", "SupportInputProj", "SupportOnline", "SupportOffline", "SupportSTDP", "Mode")}


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.mixin", name, _HINTS, __all__)
