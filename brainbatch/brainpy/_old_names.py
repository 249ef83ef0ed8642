"""BrainPy's deprecated (2.1.13) synapse names, still exported by BrainPy 2.8.2's ``bp.synapses``: the synapse
with its output fixed (``ExpCOBA`` is ``Exponential(..., output=COBA(E=E))``) and ``conn_type`` for
``comp_method``; ``DeltaSynapse`` is ``Delta`` with ``weights`` for ``g_max`` and ``post_input_key``.

>>> import brainbatch.brainpy as bp
>>> E = bp.neurons.LIF(4)
>>> syn = bp.synapses.ExpCOBA(E, E, bp.conn.All2All(), g_max=0.5, tau=5., E=0.)
>>> type(syn.out).__name__, syn.weight
('COBA', 0.5)
"""
from __future__ import annotations

from typing import Any

from ._delta import Delta
from ._projections import Alpha, DualExponential, Exponential
from .synouts import COBA, CUBA

__all__ = ["ExpCUBA", "ExpCOBA", "DualExpCUBA", "DualExpCOBA", "AlphaCUBA", "AlphaCOBA", "DeltaSynapse"]


class ExpCUBA(Exponential):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "sparse", g_max: Any = 1.0,
                 delay_step: Any = None, tau: Any = 8.0, name: str | None = None, method: str = "exp_auto") -> None:
        super().__init__(pre, post, conn, output=CUBA(), comp_method=conn_type, g_max=g_max, delay_step=delay_step,
                         tau=tau, method=method, name=name)


class ExpCOBA(Exponential):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "sparse", g_max: Any = 1.0, tau: Any = 8.0,
                 E: Any = 0.0, delay_step: Any = None, method: str = "exp_auto", name: str | None = None) -> None:
        super().__init__(pre, post, conn, output=COBA(E=E), comp_method=conn_type, g_max=g_max, delay_step=delay_step,
                         tau=tau, method=method, name=name)


class DualExpCUBA(DualExponential):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "dense", g_max: Any = 1.0,
                 tau_decay: Any = 10.0, tau_rise: Any = 1.0, delay_step: Any = None, method: str = "exp_auto",
                 name: str | None = None) -> None:
        super().__init__(pre, post, conn, output=CUBA(), comp_method=conn_type, g_max=g_max, tau_decay=tau_decay,
                         tau_rise=tau_rise, delay_step=delay_step, method=method, name=name)


class DualExpCOBA(DualExponential):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "dense", g_max: Any = 1.0,
                 delay_step: Any = None, tau_decay: Any = 10.0, tau_rise: Any = 1.0, E: Any = 0.0,
                 method: str = "exp_auto", name: str | None = None) -> None:
        super().__init__(pre, post, conn, output=COBA(E=E), comp_method=conn_type, g_max=g_max, tau_decay=tau_decay,
                         tau_rise=tau_rise, delay_step=delay_step, method=method, name=name)


class AlphaCUBA(Alpha):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "dense", g_max: Any = 1.0,
                 delay_step: Any = None, tau_decay: Any = 10.0, method: str = "exp_auto",
                 name: str | None = None) -> None:
        super().__init__(pre, post, conn, output=CUBA(), comp_method=conn_type, g_max=g_max, delay_step=delay_step,
                         tau_decay=tau_decay, method=method, name=name)


class AlphaCOBA(Alpha):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "dense", g_max: Any = 1.0,
                 delay_step: Any = None, tau_decay: Any = 10.0, E: Any = 0.0, method: str = "exp_auto",
                 name: str | None = None) -> None:
        super().__init__(pre, post, conn, output=COBA(E=E), comp_method=conn_type, g_max=g_max, delay_step=delay_step,
                         tau_decay=tau_decay, method=method, name=name)


class DeltaSynapse(Delta):
    def __init__(self, pre: Any, post: Any, conn: Any, conn_type: str = "sparse", weights: Any = 1.0,
                 delay_step: Any = None, post_input_key: str = "V", post_has_ref: bool = False,
                 name: str | None = None) -> None:
        super().__init__(pre, post, conn, output=CUBA(target_var=post_input_key), comp_method=conn_type,
                         g_max=weights, delay_step=delay_step, post_ref_key="refractory" if post_has_ref else None,
                         name=name)
