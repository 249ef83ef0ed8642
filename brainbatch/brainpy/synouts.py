"""``brainbatch.brainpy.synouts`` (and the outputs of ``dyn``): brainbatch's ``COBA`` and ``CUBA``.

>>> import brainbatch.brainpy as bp
>>> bp.synouts.COBA(E=0.).current(0.5, -60.)
30.0
"""
from __future__ import annotations

import abc
from typing import Any

from ..models.synapses import COBA as _COBA
from ..models.synapses import CUBA as _CUBA
from ._base import Desc
from ._nmda import SynoutsMgBlock as MgBlock
from ._compat import check_none, unsupported

__all__ = ["COBA", "CUBA", "MgBlock", "SynOut"]


def _target(what: str, target_var: Any) -> None:
    if target_var not in (None, "input"):
        raise TypeError(f"{what}: target_var={target_var!r} is not supported; outputs add to the postsynaptic "
                        "group's current inputs (sum_current_inputs), as target_var='input' does")


def check_into_input(what: str, output: Any) -> None:
    """Refuse an output that names another target than ``input``: only ``bp.synapses.Delta`` honours
    ``CUBA(target_var='V')`` (a jump of that Variable); every other synapse makes a current."""
    if isinstance(output, type):  # output=bp.synouts.COBA: its methods would be called unbound, without E
        raise TypeError(f"{what}: output must be an output object, got the class {output.__name__}; write "
                        f"{output.__name__}(...) with its parameters (bp.synouts.COBA(E=0.))")
    target = getattr(output, "target_var", None)
    if target not in (None, "input"):
        raise TypeError(f"{what}: an output with target_var={target!r} is supported only by bp.synapses.Delta "
                        "(each spike adds g_max to that Variable); here give an output with target_var='input' "
                        "(the default)")


class COBA(_COBA):
    """Conductance-based output: current ``g * (E - V)``."""

    def __init__(self, E: Any = 0.0, target_var: Any = "input", name: str | None = None, sharding: Any = None,
                 mode: Any = None):
        _target("COBA", target_var)
        check_none("COBA", sharding=sharding)
        super().__init__(E)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        return Desc(cls, args, kwargs)


class CUBA(_CUBA):
    """Current-based output: ``g`` is the current. ``target_var='V'`` (or another Variable's name) is
    accepted for ``bp.synapses.Delta`` only, whose spikes then jump that Variable; other synapses refuse it.

    >>> import brainbatch.brainpy as bp
    >>> bp.synouts.CUBA().current(0.5, -60.), bp.synouts.CUBA(target_var='V').target_var
    (0.5, 'V')
    """

    def __init__(self, target_var: Any = "input", name: str | None = None, sharding: Any = None, mode: Any = None):
        if target_var is not None and not (isinstance(target_var, str) and target_var.isidentifier()):
            raise TypeError(f"CUBA: target_var must be the name of a Variable of the postsynaptic group ('input', "
                            f"or 'V' for bp.synapses.Delta), got {target_var!r}")
        check_none("CUBA", sharding=sharding)
        self.target_var = target_var

    def current(self, g: Any, V: Any = None) -> Any:
        check_into_input("CUBA", self)  # a synapse built without the check (hand-written) still hears why
        return super().current(g, V)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        return Desc(cls, args, kwargs)


class SynOut(abc.ABC):
    """BrainPy's ``bp.SynOut``, the base of the outputs: here for annotations (``output: bp.SynOut =
    bp.synouts.CUBA()`` in BrainPy's EI_net_with_1m_neurons notebook) and ``isinstance``. ``COBA``, ``CUBA`` and
    ``MgBlock`` are its subclasses; an output class of one's own is refused when it is defined.

    >>> import brainbatch.brainpy as bp
    >>> isinstance(bp.synouts.COBA(E=0.), bp.SynOut), isinstance(bp.synouts.MgBlock(), bp.SynOut)
    (True, True)
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError(f"class {cls.__name__}(bp.SynOut): a custom output class is not supported; use "
                        "bp.synouts.COBA, CUBA or MgBlock, or compute the current in the synapse's update and add "
                        "it to post.input")


for _out in (COBA, CUBA, MgBlock):
    SynOut.register(_out)


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.synouts", name, {}, __all__)
