"""The plastic side of a ``Projection``: per-synapse weights ``w``, spike traces, the post -> pre index,
and one step of a plasticity rule (docs/plasticity.md).

Layout: ``w`` is ``float32 (n_pre * K,)`` over the projection's ``synapse`` dim, synapse ``s`` being
slot ``s % K`` of presynaptic neuron ``s // K`` (the rows of ``targets``; padding slots hold 0 and are
never updated). ``post_index`` (``int32 (n_post, K_in)``) lists the synapses into each postsynaptic
neuron in increasing ``s`` (padding ``n_pre * K``), so a postsynaptic spike visits only its fan-in.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ...core import share
from ...kernels import active_backend, cumsum_exact, event_sum, plastic_pair, update_rows
from ..connectivity import (AllToAll, Explicit, FixedInDegree, FixedOutDegree, FixedProb, FixedTotalNumber, OneToOne,
                            binomial_bound)
from ..plasticity import PlasticityRule

__all__ = ["fan_in_bound", "post_index", "plastic_step", "check_rule"]


def check_rule(rule: Any, name: str) -> PlasticityRule:
    """``rule`` if it is a plasticity rule instance; ``name``: the projection as the error shows it (quoted)."""
    if isinstance(rule, type) and issubclass(rule, PlasticityRule):
        raise TypeError(f"projection {name}: plasticity must be an instance, got the class {rule.__name__}; "
                        f"e.g. plasticity={rule.__name__}()")
    if not isinstance(rule, PlasticityRule):
        raise TypeError(f"projection {name}: plasticity must be a rule such as bb.STDP(...), bb.Vogels2011() or "
                        f"bb.Rule(on_pre=..., on_post=...), got {rule!r}")
    return rule


def fan_in_bound(conn: Any, n_pre: int, n_post: int, same_group: bool) -> int:
    """A static bound on the synapses into one postsynaptic neuron (overflow is detected anyway).

    With multapses (a pair listed twice in ``Explicit``, ``allow_multapses=True``: ``FixedTotalNumber``'s
    default) a neuron may receive more synapses than there are presynaptic neurons; a bound of ``n_pre``
    made every such plastic projection overflow."""
    own = getattr(conn, "fan_in", None)
    if callable(own):
        return int(own(n_pre, n_post, same_group))
    excl = int(conn.excludes_self(n_pre, n_post, same_group))
    multapses = bool(getattr(conn, "allow_multapses", False))
    if isinstance(conn, OneToOne):
        return 1
    if isinstance(conn, Explicit):  # the synapses are listed: the exact in-degree
        return max(1, int(np.bincount(conn.j, minlength=n_post).max(initial=0)))
    if isinstance(conn, FixedInDegree):
        return int(conn.num) if multapses else min(n_pre, int(conn.num))
    if isinstance(conn, FixedProb):
        return binomial_bound(n_pre - excl, conn.prob)
    if isinstance(conn, FixedOutDegree):
        if multapses:  # n_pre * num draws, each onto one of n_post - excl neurons
            return binomial_bound(n_pre * int(conn.num), 1.0 / max(n_post - excl, 1))
        return binomial_bound(n_pre - excl, min(1.0, int(conn.num) / max(n_post - excl, 1)))
    if isinstance(conn, FixedTotalNumber):  # num synapses, each onto one of n_post - excl neurons
        bound = binomial_bound(int(conn.num), 1.0 / max(n_post - excl, 1))
        return bound if multapses else min(bound, n_pre)
    if isinstance(conn, AllToAll):
        return n_pre
    return n_pre


def post_index(targets: jax.Array, n_post: int, k_in: int) -> tuple[jax.Array, jax.Array]:
    """``(index, overflow)``: ``index[j]`` lists the flat ids of the synapses onto ``j`` in increasing
    order (padding ``targets.size``); ``overflow`` is True if some neuron has more than ``k_in``."""
    flat = targets.reshape(-1)
    size = flat.shape[0]
    order = jnp.argsort(flat, stable=True).astype(jnp.int32)
    post = flat[order]
    counts = jnp.zeros(n_post + 1, jnp.int32).at[flat].add(1, mode="drop")
    start = cumsum_exact(counts) - counts
    slot = jnp.arange(size, dtype=jnp.int32) - start[jnp.minimum(post, n_post)]
    real = post < n_post
    ok = real & (slot < k_in)
    index = jnp.full((n_post, k_in), size, jnp.int32)
    index = index.at[jnp.where(ok, post, n_post), jnp.where(ok, slot, 0)].set(order, mode="drop")
    return index, jnp.any(real & (slot >= k_in))


class _Traces(dict):
    """Trace values handed to a rule; reading one that is not declared on this side names the mistake."""

    def __init__(self, values: Any, side: Any, other: Any, other_names: Any, proj: Any) -> None:
        super().__init__(values)
        self.side, self.other, self.other_names, self.proj = side, other, other_names, proj

    def __missing__(self, key: Any) -> Any:
        where = (f"it is declared on the {self.other} side (read it from the {self.other} dict)"
                 if key in self.other_names else f"declared {self.side} traces: {sorted(self) or 'none'}")
        raise KeyError(f"projection {self.proj!r}: the rule reads {self.side} trace {key!r}; {where}")


def _traces(values: Any, side: Any, other: Any, other_names: Any, proj: Any) -> Any:
    return _Traces(values, side, other, other_names, proj)


def plastic_step(proj: Any, spike_pre: Any, spike_post: Any, w: Any, pre_tr: dict, post_tr: dict, chunk: int,
                 scale: Any = None, post_first: bool = False, brainpy_order: bool = False) -> Any:
    """One step of the rule for one lane; returns ``(delivered (n_post,), w, pre_tr, post_tr)``.

    ``scale`` (``(n_pre,)``, short-term plasticity's release per presynaptic neuron) multiplies what each
    spike delivers, not the weights the rule changes. Rules of the pair family (``rule.native_params``) run as
    one native call on CPU (``plastic_pair``), with this module's pure-JAX step as the twin elsewhere; other
    rules, and every rule under short-term plasticity, run in pure JAX.

    ``post_first``: the presynaptic spikes are of this step and the postsynaptic ones of the step before (a custom
    ``update`` that ran ``pre`` before the projection and ``post`` after it, BrainPy's ``pre(); syn(); post()``):
    the postsynaptic spikes are then handled first, with the traces of the step before, then the traces decay
    and the presynaptic spikes are handled (pure JAX), which is Brian2's order in time again.
    ``brainpy_order`` (``bp.dyn.STDP_Song2000``): the step BrainPy 2.8.2's STDP projection takes instead
    (``_brainpy_pre_first`` for such an update, ``_brainpy_step`` for the default order).
    """
    params = proj.plasticity.native_params(share.dt)  # None for a subclass that changes the step: its own code
    if brainpy_order:
        step = _brainpy_pre_first if post_first else _brainpy_step
        return step(proj, spike_pre, spike_post, w, pre_tr, post_tr, chunk, scale)
    if params is None or scale is not None or post_first or active_backend() != "native":
        return _pure_step(proj, spike_pre, spike_post, w, pre_tr, post_tr, chunk, scale, post_first)
    (a, xa), (b, xb) = next(iter(pre_tr.items())), next(iter(post_tr.items()))

    def twin(s_pre: Any, s_post: Any, targets: Any, index: Any, params: Any, w: Any, xa: Any, xb: Any) -> Any:
        x, w, pa, pb = _pure_step(proj, s_pre, s_post, w, {a: xa}, {b: xb}, chunk)
        return x, w, pa[a], pb[b]

    params = jnp.stack([jnp.asarray(v, jnp.float32) for v in params])
    x, w, xa, xb = plastic_pair(spike_pre, spike_post, proj.targets.value, proj.post_index.value, params, w, xa, xb,
                                twin)
    return x, w, {a: xa}, {b: xb}


def _shaped(what: str, new: Any, w: Any, label: str) -> Any:
    """A rule's new weights, shaped as the weights it was given, or one number for all of them: a row was
    broadcast onto every synapse it visits without a word, copying one synapse's weight onto the others."""
    shape = jnp.shape(new) if isinstance(new, (int, float)) or hasattr(new, "shape") else None
    if shape == ():
        return jnp.broadcast_to(new, w.shape)
    if shape is None or tuple(shape) != tuple(w.shape):
        raise ValueError(f"projection {label!r}: the rule's {what} must return the new weights shaped as the weights it "
                         f"is given ({tuple(w.shape)}) or one number, got {tuple(shape) if shape is not None else type(new).__name__}")
    return new


class _Parts:
    """What a step of a rule is made of, for one lane: delivery, the synapses of presynaptic rows, and the two
    weight updates reading given trace values (``_pure_step`` and BrainPy's steps below order them)."""

    def __init__(self, proj: Any, spike_pre: Any, scale: Any) -> None:
        self.proj, self.spike_pre, self.scale = proj, spike_pre, scale
        self.rule: PlasticityRule = proj.plasticity
        self.n_pre, self.n_post, self.k = proj.pre.num, proj.post.num, proj.targets.shape[-1]
        self.size = self.n_pre * self.k
        self.targets = proj.targets.value
        self.flat_targets = self.targets.reshape(-1)
        self.label = proj._path or proj.name

    def deliver(self, w: Any) -> Any:
        return event_sum(self.spike_pre, self.targets, self.n_post, w.reshape(self.n_pre, self.k),
                         self.proj.chunk_size, scale=self.scale)

    def pre_ids(self, rows: Any) -> Any:
        tg = jnp.take(self.targets, rows, axis=0, mode="fill", fill_value=self.n_post)
        return jnp.where(tg < self.n_post, rows[:, None] * self.k + jnp.arange(self.k, dtype=jnp.int32), self.size)

    def on_pre(self, pre_tr: dict, post_tr: dict) -> Any:
        """The presynaptic update, reading these trace values."""
        rule, label, n_post = self.rule, self.label, self.n_post
        pre_names, post_names = list(pre_tr), list(post_tr)

        def fn(rows: Any, ids: Any, wv: Any) -> Any:
            tg = jnp.take(self.flat_targets, ids, mode="fill", fill_value=n_post)
            pre = {n: jnp.broadcast_to(jnp.take(v, rows, mode="fill", fill_value=0.0)[:, None], wv.shape)
                   for n, v in pre_tr.items()}
            post = {n: jnp.take(v, tg, mode="fill", fill_value=0.0) for n, v in post_tr.items()}
            return rule.clip(_shaped("on_pre", rule.on_pre(wv, _traces(pre, "pre", "post", post_names, label),
                                                           _traces(post, "post", "pre", pre_names, label)), wv, label))
        return fn

    def on_post(self, pre_tr: dict, post_tr: dict) -> Any:
        """The postsynaptic update, reading these trace values."""
        rule, label, k = self.rule, self.label, self.k
        pre_names, post_names = list(pre_tr), list(post_tr)

        def fn(rows: Any, ids: Any, wv: Any) -> Any:
            pre_rows = ids // k  # padding ids give n_pre: filled with 0
            pre = {n: jnp.take(v, pre_rows, mode="fill", fill_value=0.0) for n, v in pre_tr.items()}
            post = {n: jnp.broadcast_to(jnp.take(v, rows, mode="fill", fill_value=0.0)[:, None], wv.shape)
                    for n, v in post_tr.items()}
            return rule.clip(_shaped("on_post", rule.on_post(wv, _traces(pre, "pre", "post", post_names, label),
                                                             _traces(post, "post", "pre", pre_names, label)), wv, label))
        return fn


def _pure_step(proj: Any, spike_pre: Any, spike_post: Any, w: Any, pre_tr: dict, post_tr: dict, chunk: int,
               scale: Any = None, post_first: bool = False) -> Any:
    parts = _Parts(proj, spike_pre, scale)
    rule = parts.rule
    dt = share.dt

    def post_side(w: Any, pre_tr: dict, post_tr: dict) -> Any:
        w = update_rows(spike_post, proj.post_index.value, w, parts.on_post(pre_tr, post_tr), chunk)
        return w, {n: jnp.where(spike_post, rule.post_traces[n].after_spike(v), v) for n, v in post_tr.items()}

    if post_first:  # the postsynaptic spikes of the step before, with that step's traces (plastic_step)
        w, post_tr = post_side(w, pre_tr, post_tr)
    pre_tr = {n: v * rule.pre_traces[n].decay(dt) for n, v in pre_tr.items()}
    post_tr = {n: v * rule.post_traces[n].decay(dt) for n, v in post_tr.items()}
    x = parts.deliver(w) if rule.deliver == "before" else None
    w = update_rows(spike_pre, parts.pre_ids, w, parts.on_pre(pre_tr, post_tr), chunk)
    pre_tr = {n: jnp.where(spike_pre, rule.pre_traces[n].after_spike(v), v) for n, v in pre_tr.items()}
    if x is None:
        x = parts.deliver(w)
    if not post_first:
        w, post_tr = post_side(w, pre_tr, post_tr)
    return x, w, pre_tr, post_tr


def _brainpy_pre_first(proj: Any, spike_pre: Any, spike_post: Any, w: Any, pre_tr: dict, post_tr: dict, chunk: int,
                       scale: Any = None) -> Any:
    """BrainPy 2.8.2's step of its STDP projection in an ``update`` that runs ``pre(); syn(); post()`` (its own
    ``examples/dynamics_simulation/stdp.py``): ``pre``'s trace has already taken this step's spikes when the
    projection runs, ``post``'s has not. So a presynaptic spike of this step is depressed by the postsynaptic
    trace of the step before (not decayed to this step), and a postsynaptic spike of the step before is
    potentiated by the presynaptic trace of this step (decayed once more, and counting the presynaptic spikes of
    this step); depression first, then potentiation, then delivery. The traces on entry and on return are
    ``_pure_step``'s with ``post_first`` (the postsynaptic spikes of the step before not yet counted).
    """
    rule: PlasticityRule = proj.plasticity
    parts = _Parts(proj, spike_pre, scale)
    post_tr = {n: jnp.where(spike_post, rule.post_traces[n].after_spike(v), v) for n, v in post_tr.items()}
    pre_tr = {n: v * rule.pre_traces[n].decay(share.dt) for n, v in pre_tr.items()}
    pre_tr = {n: jnp.where(spike_pre, rule.pre_traces[n].after_spike(v), v) for n, v in pre_tr.items()}
    x = parts.deliver(w) if rule.deliver == "before" else None
    w = update_rows(spike_pre, parts.pre_ids, w, parts.on_pre(pre_tr, post_tr), chunk)
    w = update_rows(spike_post, proj.post_index.value, w, parts.on_post(pre_tr, post_tr), chunk)
    if x is None:
        x = parts.deliver(w)
    post_tr = {n: v * rule.post_traces[n].decay(share.dt) for n, v in post_tr.items()}
    return x, w, pre_tr, post_tr


def _brainpy_step(proj: Any, spike_pre: Any, spike_post: Any, w: Any, pre_tr: dict, post_tr: dict, chunk: int,
                  scale: Any = None) -> Any:
    """BrainPy 2.8.2's step of its STDP projection when the projection updates before both groups (a
    ``DynSysGroup``'s default order): both traces have taken the spikes the projection handles (those of the
    step before) when it runs, so a presynaptic and a postsynaptic spike of one step depress the synapse by
    the whole postsynaptic spike (``-A2``) and potentiate it by the whole presynaptic one (``+A1``), where
    ``_pure_step`` orders them as Brian2 does (depression without that postsynaptic spike); depression
    first, then potentiation, then delivery of the weights both left. The traces on entry and on return are
    ``_pure_step``'s.
    """
    rule: PlasticityRule = proj.plasticity
    parts = _Parts(proj, spike_pre, scale)
    pre_tr = {n: v * rule.pre_traces[n].decay(share.dt) for n, v in pre_tr.items()}
    post_tr = {n: v * rule.post_traces[n].decay(share.dt) for n, v in post_tr.items()}
    post_tr = {n: jnp.where(spike_post, rule.post_traces[n].after_spike(v), v) for n, v in post_tr.items()}
    x = parts.deliver(w) if rule.deliver == "before" else None
    w = update_rows(spike_pre, parts.pre_ids, w, parts.on_pre(pre_tr, post_tr), chunk)
    pre_tr = {n: jnp.where(spike_pre, rule.pre_traces[n].after_spike(v), v) for n, v in pre_tr.items()}
    w = update_rows(spike_post, proj.post_index.value, w, parts.on_post(pre_tr, post_tr), chunk)
    if x is None:
        x = parts.deliver(w)
    return x, w, pre_tr, post_tr
