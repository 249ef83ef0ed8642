"""``AlignPreProjection``: a projection whose synaptic state lives on the presynaptic neurons.

For a nonlinear synapse (``NMDA``: g saturates) the state of each presynaptic neuron is its own, and
each postsynaptic neuron receives ``sum over its synapses of w * g_pre`` (BrainPy's align-pre
projections; Wang 2002). For linear synapses (exponential, alpha, dual exponential) aligning pre or
post gives the same current, so it is ``Projection`` itself (event-driven).
"""
from __future__ import annotations

from typing import Any, cast

import jax
import jax.numpy as jnp

from ...core import NeuGroup
from ...core.modes import Mode
from ...core.variable import Variable
from ..connectivity import AbstractConnector, AllToAll
from ..plasticity import STP
from ..synapses import AbstractOutput, AbstractSynapse, Alpha, DualExponential, Exponential
from ._projection import Projection, summed_weight_unit

__all__ = ["AlignPreProjection"]

_LINEAR = (Exponential, Alpha, DualExponential)


class AlignPreProjection(Projection):
    """``Projection`` with the synapse on ``pre``: one state per presynaptic neuron, fed by its spikes.

    Step ``i`` (deliver phase): the synapse advances with the presynaptic spikes of step ``i - 1 - d``
    (``d`` the delay in steps, as ``Projection``) as its input (1 per spike), then
    ``g_post[j] = sum_i w_ij g_pre[i]`` over the drawn synapses, which ``out`` turns into the current
    of ``post`` (``g_post`` is a Variable, so it can be monitored). An all-to-all connectivity with one
    weight sums ``g_pre`` once; others scatter ``n_pre x K`` values per step.

    Args: as ``Projection``; ``delay`` is ``None``, a scalar or one per presynaptic neuron; ``plasticity``
    only with a linear synapse. With ``stp=STP(...)`` a spike feeds the synapse what it releases
    instead of 1.

    >>> import brainbatch as bb
    >>> E = bb.LIF(20)
    >>> p = AlignPreProjection(E, E, bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0.), weight=0.1)
    >>> p.syn.g.shape, p.g_post.shape
    ((20,), (20,))
    """

    _syn_on_pre = True

    # made by reset_state (init_variable; which ones depends on the options): declared for the type checker only
    g_post: Variable
    targets: Variable
    weights: Variable

    #: keep even a linear synapse on ``pre`` (BrainPy's align-pre classes, whose ``g`` is per presynaptic neuron)
    syn_on_pre: bool = False

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: AbstractConnector, syn: AbstractSynapse,
                 out: AbstractOutput | None = None, weight: Any = 1.0, delay: Any = None, *, chunk_size: int = 16,
                 check_overflow: bool = True, plasticity: Any = None, stp: STP | None = None,
                 graph_seed: int | None = None, out_label: str | None = None, name: str | None = None,
                 mode: Mode | None = None):
        self._on_pre = self.keeps_state_on_pre(syn)
        if self._on_pre and plasticity is not None:
            raise ValueError("AlignPreProjection: plasticity needs the synapse state on the postsynaptic side; "
                             f"{type(syn).__name__} keeps one per presynaptic neuron")
        super().__init__(pre, post, conn, syn, out, weight, delay, chunk_size=chunk_size,
                         check_overflow=check_overflow, plasticity=plasticity, stp=stp, graph_seed=graph_seed,
                         out_label=out_label, name=name, mode=mode)
        if not self._on_pre:
            return
        if self._syn_delay is not None:
            raise ValueError("AlignPreProjection: per-synapse delays are not supported with a presynaptic synapse "
                             "state; give one delay (or one per presynaptic neuron)")
        syn.size = None  # Projection attached it to post: move it to pre
        # on pre it is fed 1 per spike (or the release of STP), not weights: a plain number, whatever the weight's
        # unit (g_post, sum w * g_pre, carries that); it was labelled with the weight's (mV, nS) in records
        syn.attach(pre, "1")
        if self.name in post._current_inputs:  # post's current comes from g_post (a linear synapse kept on pre
            post._current_inputs[self.name] = self._post_current  # registered its closed form on post's g)
        self.reset_state()

    @classmethod
    def keeps_state_on_pre(cls, syn: AbstractSynapse) -> bool:
        """Whether this class keeps ``syn``'s state per presynaptic neuron (a nonlinear synapse, or ``syn_on_pre``);
        a linear one is kept per postsynaptic neuron, which gives the same current event-driven.

        >>> import brainbatch as bb
        >>> AlignPreProjection.keeps_state_on_pre(bb.NMDA()), AlignPreProjection.keeps_state_on_pre(bb.Exponential(5.))
        (True, False)
        """
        return cls.syn_on_pre or not isinstance(syn, _LINEAR)

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        if self.__dict__.get("_on_pre") and self.syn.attached and self.syn.num == self.pre.num:
            self.init_variable("g_post", 0.0, shape=self.post.varshape, batch_size=batch_size, dims=self.post.dims,
                               units=summed_weight_unit(self.syn, self.out, self.post),
                               description="sum of w * g_pre over each neuron's synapses")

    def update(self, *args: Any) -> jax.Array:
        if not self._on_pre:
            return super().update(*args)
        spike = self.spikes_sent()
        batch = spike.shape[: spike.ndim - len(self.pre.varshape)]
        drive = spike.astype(jnp.float32) if self.stp is None else self.stp.update(spike)
        g = self.syn.update(drive.reshape(batch + self.syn.varshape))
        g = g.reshape(batch + (self.pre.num,))
        self.g_post.value = self._gather(g).reshape(batch + self.post.varshape)
        return self.g_post.value

    def _gather(self, g: jax.Array) -> jax.Array:
        """``(..., n_pre) -> (..., n_post)``: ``sum_i w_ij g[i]`` over the drawn synapses."""
        n_post = self.post.num
        if isinstance(self.conn, AllToAll) and self._weight.is_scalar:
            w = jnp.asarray(self._weight.value, jnp.float32)
            total = jnp.broadcast_to(g.sum(-1, keepdims=True), g.shape[:-1] + (n_post,))
            if self.pre is self.post and not self.conn.allow_self_conn:
                total = total - g
            return w * total
        targets = self.targets.value
        w = jnp.asarray(self._weight.value, jnp.float32) if self._weight.is_scalar else self.weights.value

        def one(gv: Any) -> Any:
            contrib = jnp.broadcast_to(gv[:, None] * w, targets.shape)
            return jnp.zeros(n_post + 1, jnp.float32).at[targets].add(contrib)[:n_post]

        fn = one
        for _ in range(g.ndim - 1):
            fn = jax.vmap(fn)
        return fn(g)

    def _post_current(self, V: Any = None, *args: Any, **kwargs: Any) -> jax.Array:
        if not self._on_pre:
            return super()._post_current(V, *args, **kwargs)
        return cast(AbstractOutput, self.out).current(self.g_post.value, V)  # registered only with an output
