"""``brainbatch.brainpy.conn``: BrainPy's connectors as brainbatch's.

Synapses are drawn when the run starts, from the run's key (so every run of a sweep has its own
graph); ``pre``/``post`` are taken from the projection, and ``seed`` must stay unset.

>>> import brainbatch.brainpy as bp
>>> bp.conn.FixedProb(prob=0.02).prob
0.02
"""
from __future__ import annotations

from typing import Any

from ..models import connectivity as _c
from ._compat import check_none, unsupported

__all__ = ["FixedProb", "FixedPreNum", "FixedPostNum", "One2One", "one2one", "All2All", "all2all"]


def _checks(what: str, seed: Any, allow_multi_conn: bool) -> None:
    check_none(what, seed=seed)
    if allow_multi_conn:
        raise TypeError(f"{what}: allow_multi_conn=True is not supported (a pair of neurons has at most one synapse)")


class FixedProb(_c.FixedProb):
    """Each pair is connected with probability ``prob`` (``include_self`` as BrainPy)."""

    def __init__(self, prob: float, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False, **kwargs: Any):
        _checks("conn.FixedProb", seed, allow_multi_conn)
        if kwargs:
            raise TypeError(f"conn.FixedProb got unexpected arguments {sorted(kwargs)}")
        super().__init__(prob, allow_self_conn=include_self)


class FixedPreNum(_c.FixedPreNum):
    """Each postsynaptic neuron receives ``num`` synapses."""

    def __init__(self, num: int, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False):
        _checks("conn.FixedPreNum", seed, allow_multi_conn)
        super().__init__(num, allow_self_conn=include_self)


class FixedPostNum(_c.FixedPostNum):
    """Each presynaptic neuron makes ``num`` synapses."""

    def __init__(self, num: int, pre: Any = None, post: Any = None, seed: Any = None, include_self: bool = True,
                 allow_multi_conn: bool = False):
        _checks("conn.FixedPostNum", seed, allow_multi_conn)
        super().__init__(num, allow_self_conn=include_self)


class One2One(_c.OneToOne):
    def __init__(self, pre: Any = None, post: Any = None):
        super().__init__()


class All2All(_c.AllToAll):
    def __init__(self, pre: Any = None, post: Any = None, include_self: bool = True):
        super().__init__(allow_self_conn=include_self)


one2one, all2all = One2One(), All2All()


def __getattr__(name: str):
    hint = "write a brainbatch connector (AbstractConnector) that draws from the key it is given"
    raise unsupported("brainbatch.brainpy.conn", name,
                      {k: hint for k in ("FixedTotalNum", "GaussianProb", "ProbDist", "SmallWorld", "ScaleFreeBA",
                                         "ScaleFreeBADual", "PowerLaw", "GridFour", "GridEight", "GridN",
                                         "IJConn", "CSRConn", "MatConn", "SparseMatConn")}, __all__)
