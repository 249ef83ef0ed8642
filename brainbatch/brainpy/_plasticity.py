"""``bp.dyn.STDP_Song2000``: BrainPy 2.4's STDP projection as a plastic brainbatch ``Projection``.

BrainPy keeps two exponential traces that count spikes (``pre_trace`` with ``tau_s``, ``post_trace``
with ``tau_t``, each spike adds 1); a presynaptic spike changes the weight by ``-A2 * post_trace``, a
postsynaptic one by ``+A1 * pre_trace``, clipped to ``[W_min, W_max]`` (unbounded when None). Here that
is a ``Rule`` (docs/plasticity.md) stepped as BrainPy 2.8.2 steps it (``_brainpy_plastic_order``; the
traces read as BrainPy reads them, which depends on the order the groups update in: in a
``DynSysGroup``'s default order a pre and a post spike of one step both depress and potentiate the
synapse; in its example's ``noise(); syn(); group()`` potentiation reads the presynaptic trace one step
later; models/projections/_plastic.py, tests/brainpy/test_examples_s38.py), and BrainPy's delivery: a
spike carries the weight both updates left (``deliver="after"``), and into an exponential synapse it
arrives decayed by one step, as BrainPy adds it to ``g`` before ``g`` decays (a run of BrainPy 2.8.2's
STDP example fired at 35 Hz where this port fired at 48 before both; tests/brainpy/test_stdp_port.py).
"""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from ..core import share
from ..core.variable import Variable
from ..models.plasticity import Rule, Trace
from ..models.synapses import Exponential as _Exponential
from ._compat import refs_of
from ._projections import _Aligned

__all__ = ["STDP_Song2000"]


class _TraceView:
    """BrainPy's ``refs['pre_trace'].g``: the trace Variable of the projection."""

    def __init__(self, var: Any) -> None:
        self.g = var


class _CommView:
    """BrainPy's ``proj.comm.weight``: the learned weights (``w``)."""

    def __init__(self, comm: Any, w: Any) -> None:
        self.conn, self.weight = comm.conn, w


class STDP_Song2000(_Aligned):
    """BrainPy's STDP projection (Song et al. 2000): ``comm`` gives the synapses and initial weights.

    >>> import brainbatch.brainpy as bp
    >>> pre, post = bp.dyn.LifRef(4), bp.dyn.LifRef(2)
    >>> proj = bp.dyn.STDP_Song2000(pre=pre, delay=1., comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(1.), 0.05),
    ...                             syn=bp.dyn.Expon.desc(2, tau=5.), out=bp.dyn.COBA.desc(E=0.), post=post)
    >>> proj.w.shape, sorted(proj.refs)
    ((8,), ['comm', 'out', 'post', 'post_trace', 'pre', 'pre_trace', 'syn'])
    """

    #: BrainPy starts from the weights given, inside [W_min, W_max] or not, and clips at each update
    _weights_within_bounds = False
    #: the traces are read as BrainPy reads them, in the default order and in its example's ``pre(); syn(); post()``
    _brainpy_plastic_order = True

    # made by the projection's reset_state (weights and the rule's traces): declared for the type checker only
    w: Variable
    pre_trace: Variable
    post_trace: Variable

    def __init__(self, pre: Any, delay: Any, syn: Any, comm: Any, out: Any, post: Any, tau_s: Any = 16.8,
                 tau_t: Any = 33.7, A1: Any = 0.96,
                 A2: Any = 0.53, W_max: Any = None, W_min: Any = None, out_label: Any = None, name: str | None = None,
                 mode: Any = None) -> None:
        rule = Rule(on_pre=lambda w, pre, post: w - A2 * post["post_trace"],
                    on_post=lambda w, pre, post: w + A1 * pre["pre_trace"],
                    pre_traces={"pre_trace": Trace(tau_s)}, post_traces={"post_trace": Trace(tau_t)},
                    w_min=-math.inf if W_min is None else W_min, w_max=math.inf if W_max is None else W_max,
                    deliver="after")
        self._setup(pre, post, comm, syn, out, delay, name, mode, plasticity=rule, out_label=out_label)  # keeps comm as _bp_comm
        self.tau_s, self.tau_t, self.A1, self.A2, self.W_max, self.W_min = tau_s, tau_t, A1, A2, W_max, W_min

    def delivered(self) -> jax.Array:
        """The summed weights arriving now; into an exponential synapse decayed by one step, as in BrainPy
        (its ``g`` takes the weight, then decays before the neuron reads it: ``w exp(-dt / tau)``). The
        learned weight itself is not scaled (it is clipped at ``W_max`` and read back as ``comm.weight``)."""
        x = super().delivered()
        if isinstance(self.syn, _Exponential):
            x = x * jnp.exp(-share.dt / jnp.asarray(self.syn.tau, jnp.float32))
        return x

    @property
    def comm(self) -> _CommView:
        return _CommView(self._bp_comm, self.w)

    @property
    def refs(self) -> dict:
        """BrainPy's references: ``pre``, ``post``, ``syn``, ``out``, ``comm``, ``pre_trace``, ``post_trace``."""
        return {**refs_of(self), "comm": self.comm, "pre_trace": _TraceView(self.pre_trace),
                "post_trace": _TraceView(self.post_trace)}
