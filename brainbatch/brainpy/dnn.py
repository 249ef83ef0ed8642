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

from ..core.initializers import Initializer, Normal, Uniform
from ..core.variable import unwrap
from ..models.connectivity import AbstractConnector, AllToAll as _AllToAll, OneToOne as _OneToOne
from ._compat import check_none, unsupported
from .conn import FixedProb as _BpFixedProb, check_seed
from .math.sharding import check_axis_names

__all__ = ["EventJitFPHomoLinear", "JitFPHomoLinear", "EventJitFPNormalLinear", "JitFPNormalLinear",
           "EventJitFPUniformLinear", "JitFPUniformLinear", "CSRLinear", "EventCSRLinear", "MaskedLinear", "AllToAll", "OneToOne"]


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
        if sharding is not None:  # BrainPy 2.8.2 asserts "Currently this model does not support sharding"
            raise TypeError(f"{type(self).__name__}: sharding={sharding!r} is not supported, as in BrainPy 2.8.2 "
                            "(its CSR layers take no sharding); leave it out")
        super().__init__(conn, weight)
        # BrainPy builds the CSR structure here, of the sizes the connector was given (pre=, post= or a call):
        # a projection between groups of other sizes is refused, not drawn at its groups' sizes
        self.num_in, self.num_out = getattr(conn, "pre_num", None), getattr(conn, "post_num", None)


class EventCSRLinear(CSRLinear):
    """``CSRLinear`` taking spikes (BrainPy's event version; the same synapses and weights)."""

    event = True


class MaskedLinear(_Comm):
    """BrainPy's ``MaskedLinear(conn, weight)``: ``y = x @ (weight * mask)`` with ``mask = conn.require('conn_mat')``,
    so the synapses are those of the connector's connection matrix (``bp.conn.FixedProb``: each pair with
    probability ``prob``, its dense law, as BrainPy's mask) and each carries ``weight``: a number, a
    ``(pre.num, post.num)`` array (entry ``[i, j]`` is the weight of ``i -> j``; the entries off the mask do
    nothing), a function of the shape (called with ``(pre.num, post.num)`` here, as BrainPy) or an initializer such
    as ``bp.init.Uniform`` (drawn per synapse: the law of BrainPy's masked dense draw). As in BrainPy the
    connector needs its sizes (``pre=``, ``post=``). Not event-driven: an align-pre projection sends
    ``weight * g``, as with ``CSRLinear``. ``sharding`` takes two axis names (pre, post), ignored on one device.

    >>> import brainbatch.brainpy as bp
    >>> c = bp.dnn.MaskedLinear(bp.conn.FixedProb(1., pre=3, post=2), 0.5)
    >>> (c.num_in, c.num_out), c.weight
    ((3, 2), 0.5)
    """

    def __init__(self, conn: AbstractConnector, weight: Any, mask_fun: Any = None, sharding: Any = None,
                 mode: Any = None, name: str | None = None):
        what = "MaskedLinear"
        check_axis_names(what, sharding, ndim=2)
        if mask_fun is not None and type(mask_fun).__name__ != "Identity":
            raise TypeError(f"{what}: mask_fun={mask_fun!r} is not supported; each synapse carries its weight as it is "
                            "(BrainPy's default, Identity): apply the function to the weights and pass the result as "
                            "weight, a (pre.num, post.num) array")
        super().__init__(conn, weight)
        pre_num, post_num = getattr(conn, "pre_num", None), getattr(conn, "post_num", None)
        if pre_num is None or post_num is None:
            raise ValueError(f"{what}: the connector has no sizes; BrainPy builds the mask from them here, so give "
                             f"them: bp.conn.FixedProb(p, pre=pre.num, post=post.num) (got {conn!r})")
        shape = (int(pre_num), int(post_num))
        dense_law = getattr(conn, "dense_law", None)  # the graph of 'conn_mat' (FixedProb: each pair with prob)
        self.conn = dense_law() if dense_law is not None else conn
        self.weight = self._weight(what, weight, shape)
        self.num_in, self.num_out = shape

    @staticmethod
    def _weight(what: str, weight: Any, shape: tuple[int, int]) -> Any:
        """BrainPy's ``init.parameter(weight, (pre, post))``, with an initializer kept to be drawn per synapse."""
        if isinstance(weight, Initializer):
            return weight
        if callable(weight) and not hasattr(weight, "shape"):
            from .init import parameter

            return parameter(weight, shape)  # BrainPy: weight((pre, post)), once
        value = unwrap(weight)
        if isinstance(value, (bool, np.bool_, str)) or value is None:
            raise TypeError(f"{what}: weight must be a number, a {shape} array, a function of the shape or an "
                            f"initializer, got {weight!r}")
        if np.shape(value) in ((), (1,)):  # BrainPy keeps a one-value array as a scalar
            return value if np.ndim(value) == 0 else np.asarray(value).reshape(())
        if np.shape(value) != shape:
            raise ValueError(f"{what}: weight has shape {np.shape(value)}; give a number or an array of shape "
                             f"(pre.num, post.num) = {shape}, as BrainPy")
        return value


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
    hints = {k: hint for k in ("Conv1d", "Conv2d", "Dropout", "Sequential", "BatchNorm1d", "Activation", "Flatten",
                               "RNNCell", "LSTMCell")}
    # BrainPy's own scripts also hand a Linear to a projection as its comm (bp.dyn.HalfProjDelta(bp.dnn.Linear(10,
    # 1, bp.init.OneInit(2.)), post)): AllToAll with the weight matrix is that comm, bias-free (BrainPy's numbers)
    for k in ("Linear", "Dense"):
        hints[k] = (f"{hint}. As a projection's comm, bp.dnn.{k}(num_in, num_out, W) is "
                    "bp.dnn.AllToAll(num_in, num_out, W): the same x @ W with W a number, an initializer or a "
                    "(num_in, num_out) array (without a bias: a nonzero b_initializer adds b at every step)")
    # BrainPy's "how to customize a synapse" tutorial subclasses bp.dnn.Layer for its comm (a masked x @ W): that
    # comm exists ready-made; a hand-written layer cannot be a projection's comm here
    hints["Layer"] = ("a hand-written comm layer (a bp.dnn.Layer subclass) cannot be a projection's comm in "
                      "brainbatch; use the ready-made comms: bp.dnn.MaskedLinear(conn, weight) (x @ (W * mask), "
                      "the tutorial's MaskedLinear), CSRLinear, EventCSRLinear, AllToAll, OneToOne or the "
                      "JitFP* layers")
    raise unsupported("brainbatch.brainpy.dnn", name, hints, __all__)
