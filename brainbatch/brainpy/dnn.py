"""``brainbatch.brainpy.dnn``: the "comm" objects of BrainPy 2.4 projections, as a connector and a weight.

They only describe the synapses; ``bp.dyn.FullProjAlignPost`` and the other projections build a
brainbatch ``Projection`` from them. Layers for training are out of scope.

>>> import brainbatch.brainpy as bp
>>> c = bp.dnn.EventJitFPHomoLinear(3200, 4000, prob=0.02, weight=0.6)
>>> c.conn.prob, c.weight
(0.02, 0.6)
"""
from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..core.initializers import Normal, Uniform
from ..models.connectivity import AbstractConnector, AllToAll as _AllToAll, OneToOne as _OneToOne
from ._compat import check_none, unsupported
from .conn import FixedProb as _BpFixedProb, check_seed

__all__ = ["EventJitFPHomoLinear", "JitFPHomoLinear", "EventJitFPNormalLinear", "JitFPNormalLinear",
           "EventJitFPUniformLinear", "JitFPUniformLinear", "CSRLinear", "EventCSRLinear", "AllToAll", "OneToOne"]


def _count(what: str, name: str, value: Any) -> int:
    """A number of neurons: a whole number >= 0 (``int(3.7)`` made a group of 3 without a word)."""
    try:  # ints of any kind (NumPy's, a 0-d JAX integer), never a bool or a float
        count = -1 if isinstance(value, (bool, np.bool_)) else operator.index(value)
    except TypeError:
        count = -1
    if count < 0:
        raise ValueError(f"{what}: {name} must be a whole number of neurons >= 0, got {value!r}")
    return count


class _Comm:
    """A connector and a weight (a scalar or an initializer drawn per synapse)."""

    num_in: int | None = None
    num_out: int | None = None
    #: BrainPy's Event* comm: its event op takes every nonzero input as one spike (``_projections.py`` warns where
    #: an align-pre projection hands it a synaptic state rather than spikes)
    event = False

    def __init__(self, conn: AbstractConnector, weight: Any):
        if not isinstance(conn, AbstractConnector):
            raise TypeError(f"{type(self).__name__}: conn must be a connector such as bp.conn.FixedProb(0.02), "
                            f"got {conn!r}")
        self.conn, self.weight = conn, weight

    def __repr__(self) -> str:
        return f"{type(self).__name__}(conn={self.conn!r}, weight={self.weight!r})"


class JitFPHomoLinear(_Comm):
    """``prob``-random synapses of one weight between ``num_in`` and ``num_out`` neurons."""

    def __init__(self, num_in: int, num_out: int, prob: float, weight: Any, seed: Any = None, sharding: Any = None,
                 mode: Any = None, name: str | None = None, transpose: bool = False, atomic: bool = False):
        check_none(type(self).__name__, sharding=sharding)
        # BrainPy's seed fixes the synapses and weights whatever the run: the projection's graph_seed. Its
        # just-in-time connectivity connects each pair with probability prob (a binomial number of targets per
        # neuron), FixedProb's dense law, not the fixed out-degree of its sparse structures
        super().__init__(_BpFixedProb(prob, seed=check_seed(type(self).__name__, seed)).dense_law(), weight)
        self.num_in, self.num_out = _count(type(self).__name__, "num_in", num_in), _count(type(self).__name__,
                                                                                         "num_out", num_out)


class JitFPNormalLinear(JitFPHomoLinear):
    """Weights drawn per synapse from Normal(``w_mu``, ``w_sigma``)."""

    def __init__(self, num_in: int, num_out: int, prob: float, w_mu: Any, w_sigma: Any, **kwargs: Any):
        super().__init__(num_in, num_out, prob, Normal(w_mu, w_sigma), **kwargs)


class JitFPUniformLinear(JitFPHomoLinear):
    """Weights drawn per synapse from Uniform(``w_low``, ``w_high``)."""

    def __init__(self, num_in: int, num_out: int, prob: float, w_low: Any, w_high: Any, **kwargs: Any):
        super().__init__(num_in, num_out, prob, Uniform(w_low, w_high), **kwargs)


class EventJitFPHomoLinear(JitFPHomoLinear):
    """``JitFPHomoLinear`` taking spikes (BrainPy's event version; the same synapses and weights)."""

    event = True


class EventJitFPNormalLinear(JitFPNormalLinear):
    """``JitFPNormalLinear`` taking spikes."""

    event = True


class EventJitFPUniformLinear(JitFPUniformLinear):
    """``JitFPUniformLinear`` taking spikes."""

    event = True


class CSRLinear(_Comm):
    """Synapses drawn by ``conn`` with weight ``weight`` (brainbatch projections are event-driven anyway)."""

    def __init__(self, conn: AbstractConnector, weight: Any, sharding: Any = None, mode: Any = None,
                 name: str | None = None, method: Any = None, transpose: bool = True):
        check_none(type(self).__name__, sharding=sharding)
        super().__init__(conn, weight)
        # BrainPy builds the CSR structure here, of the sizes the connector was given (pre=, post= or a call):
        # a projection between groups of other sizes is refused, not drawn at its groups' sizes
        self.num_in, self.num_out = getattr(conn, "pre_num", None), getattr(conn, "post_num", None)


class EventCSRLinear(CSRLinear):
    """``CSRLinear`` taking spikes (BrainPy's event version; the same synapses and weights)."""

    event = True


class AllToAll(_Comm):
    """Every presynaptic neuron to every postsynaptic one with weight ``weight`` (``include_self``)."""

    def __init__(self, num_pre: int, num_post: int, weight: Any, include_self: bool = True, sharding: Any = None,
                 mode: Any = None, name: str | None = None):
        check_none(type(self).__name__, sharding=sharding)
        super().__init__(_AllToAll(allow_self_conn=include_self), weight)
        self.num_in, self.num_out = _count("AllToAll", "num_pre", num_pre), _count("AllToAll", "num_post", num_post)


class OneToOne(_Comm):
    """Neuron i to neuron i with weight ``weight``."""

    def __init__(self, num: int, weight: Any, sharding: Any = None, mode: Any = None, name: str | None = None):
        check_none(type(self).__name__, sharding=sharding)
        super().__init__(_OneToOne(), weight)
        self.num_in = self.num_out = _count("OneToOne", "num", num)


def __getattr__(name: str) -> Any:
    hint = "training layers are out of scope for brainbatch; fit readouts with brainbatch.Dense"
    raise unsupported("brainbatch.brainpy.dnn", name,
                      {k: hint for k in ("Linear", "Dense", "Conv1d", "Conv2d", "Dropout", "Sequential",
                                         "BatchNorm1d", "Activation", "Flatten", "RNNCell", "LSTMCell")}
                      | {"MaskedLinear": "an explicit mask is not supported: draw the synapses with a connector "
                                         "(bp.dnn.CSRLinear(bp.conn.FixedProb(p), weight))"}, __all__)
