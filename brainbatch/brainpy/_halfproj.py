"""BrainPy 2.4's projections that a network's own ``update`` calls with the presynaptic values, and
``VarDelay``, the delay line such networks read them from.

``HalfProjAlignPost(comm, syn, out, post)``: ``proj(spikes)`` sends ``spikes`` through ``comm`` (a
``bp.dnn`` connector and weight) into ``syn``, whose ``g`` ``out`` turns into a current for ``post``
(registered with ``add_inp_fun``: ``post`` sums it in its update). ``ProjAlignPostMg1`` takes ``syn``
as a description; ``VanillaProj(comm, out, post)`` has no synapse: ``out`` gets ``comm(x)`` itself.
The synapses are drawn when the run starts, from the run's key, as brainbatch's ``Projection`` does
(from the connector's ``seed``, when given, as from a projection's ``graph_seed``).
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ..core import DynamicalSystem as _DynamicalSystem
from ..core.base import reset_parts
from ..core.context import get_dt
from ..core.variable import Variable, unwrap
from ..models.projections import WeightSpec, event_sum
from ..models.synapses import Exponential
from ._base import Desc
from ._compat import BrainPyCalls, refs_of
from ._dualexp import TwoGateDualExponential
from ._synconn import Projection
from .dnn import _Comm
from .synouts import check_into_input

__all__ = ["HalfProjAlignPost", "ProjAlignPostMg1", "VanillaProj", "VarDelay"]


class _CommNode(Projection):
    """Applies ``comm`` to presynaptic values: ``y[j] = sum_i x[i] w_ij`` over the drawn synapses."""

    # made by reset_state (init_variable): declared for the type checker only
    targets: Variable
    weights: Variable
    #: update(x) returns comm(x), which a script may give the group's update(x) instead of the registered input
    #: (BrainPy drops that one unread; core/base.py warns, UnreadInputWarning, where it would raise)
    returns_what_it_sends = True

    @property
    def refs(self) -> dict:
        """BrainPy's ``proj.refs``: ``post``, ``syn``, ``out``, ``comm`` (those it holds)."""
        return refs_of(self)

    def _setup_comm(self, comm: _Comm, post: Any) -> None:
        what = type(self).__name__
        if not isinstance(comm, _Comm):
            raise TypeError(f"{what}: comm must be a bp.dnn object such as bp.dnn.EventJitFPHomoLinear(n_pre, "
                            f"n_post, prob=0.02, weight=0.6), got {comm!r}")
        n_in = comm.num_in if comm.num_in is not None else getattr(comm.conn, "pre_num", None)
        n_out = comm.num_out if comm.num_out is not None else post.num
        if n_in is None:
            raise ValueError(f"{what}: give the presynaptic size, e.g. bp.conn.FixedProb(0.02, pre=3200, post=4000)")
        if n_out != post.num:
            raise ValueError(f"{what}: comm has {n_out} outputs but the postsynaptic group has {post.num} neurons")
        self._comm, self._n_in, self._n_out = comm, int(n_in), int(n_out)
        self._weight = WeightSpec(comm.weight, self._n_in, self._n_out)

    def reset_state(self, batch_size: int | None = None) -> None:
        seed = getattr(self._comm.conn, "graph_seed", None)  # a connector's seed: one graph in every run
        conn = self._comm.conn(self.init_key("conn", seed), self._n_in, self._n_out, False)
        self.init_variable("targets", conn.targets, shape=conn.targets.shape, dtype=jnp.int32, batched=False)
        w = self._weight.per_synapse(self.init_key("weight", seed), conn.targets)
        self.init_variable("weights", w, shape=w.shape, batched=False)

    def communicate(self, x: Any) -> jax.Array:
        x = jnp.asarray(unwrap(x))
        if x.shape[-1] != self._n_in:
            raise ValueError(f"{type(self).__name__}: got {x.shape[-1]} presynaptic values, expected {self._n_in}")
        if x.dtype == jnp.bool_:
            # spikes (a group's spike, or a delay's copy of it): event-driven, a cost of spikes x fan-out as in
            # brainbatch's own projections; summing every synapse's x * w each step made a 4000-neuron net of
            # BrainPy's tutorials about 4x slower than BrainPy
            def send(s: jax.Array) -> jax.Array:
                return event_sum(s, self.targets.value, self._n_out, self.weights.value)

            for _ in range(x.ndim - 1):
                send = jax.vmap(send)
            return send(x)
        x = x.astype(jnp.float32)
        contrib = x[..., :, None] * self.weights.value  # (..., n_pre, K); padding has weight 0
        flat = contrib.reshape(contrib.shape[:-2] + (-1,))
        seg = lambda v: jax.ops.segment_sum(v, self.targets.value.reshape(-1), num_segments=self._n_out + 1)  # noqa: E731
        for _ in range(flat.ndim - 1):
            seg = jax.vmap(seg)
        return seg(flat)[..., :self._n_out]


def _instance(what: str, role: str, obj: Any, post: Any, build_size: bool) -> Any:
    if isinstance(obj, Desc):
        obj = obj.build(size=post.num) if build_size else obj.build()
    if role == "out":
        check_into_input(what, obj)
    return obj


def refuse_saturating_on_post(what: str, syn: Any) -> None:
    """BrainPy 2.8.2 refuses ``bp.dyn.NMDA``, ``AMPA``, ``GABAa`` and ``BioNMDA`` in an align-post projection (they
    are not ``AlignPost``: "We expect to get an instance of JointTypes[DynamicalSystem, AlignPost]"). Here NMDA ran
    in every align-post projection and the kinetic ones in ``HalfProjAlignPost``, with one state per postsynaptic
    neuron: their ``g`` saturates, so one state fed by the spikes of all its synapses is another model (a 3-to-2
    network with NMDA spiked at other steps than the align-pre NMDA of the same synapses). The linear
    ``DualExpon`` and ``Alpha`` give the align-pre numbers either way, and stay accepted."""
    if getattr(syn, "pre_only", False):  # NMDA, AMPA, GABAa, BioNMDA (models/synapses): the mark Projection reads
        name = type(syn).__name__
        raise TypeError(f"{what}: {name} keeps one state per presynaptic neuron (its g saturates), and BrainPy 2.8.2 "
                        f"refuses it in an align-post projection; use bp.dyn.FullProjAlignPreDSMg(pre, delay, "
                        f"bp.dyn.{name}.desc(pre.num), comm, out, post) or bp.dyn.ProjAlignPreMg2")


class HalfProjAlignPost(_CommNode):
    """``proj(spikes)``: ``syn.update(comm(spikes))``, returning ``comm(spikes)``; ``out.current(syn.g, V)`` is an
    input of ``post``.

    >>> import brainbatch.brainpy as bp
    >>> N = bp.dyn.LifRefLTC(10)
    >>> p = bp.dyn.HalfProjAlignPost(bp.dnn.EventJitFPHomoLinear(10, 10, prob=0.5, weight=0.1),
    ...                              bp.dyn.Expon(10, tau=5.), bp.dyn.COBA(E=0.), N)
    >>> p.syn.g.shape
    (10,)
    """

    def __init__(self, comm: _Comm, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None,
                 mode: Any = None) -> None:
        super().__init__(name=name, mode=mode)
        self._setup_comm(comm, post)
        self.syn = _instance(type(self).__name__, "syn", syn, post, True)
        self._check_syn()
        if not getattr(self.syn, "attached", True) or getattr(self.syn, "size", None) is None:
            self.syn.attach(post)
        self.out = _instance(type(self).__name__, "out", out, post, False)
        self._post = post
        post.add_inp_fun(self.name, self._current, label=out_label)
        self.reset_state()

    def _check_syn(self) -> None:
        refuse_saturating_on_post(type(self).__name__, self.syn)

    @property
    def post(self) -> Any:
        return self._post

    def reset_state(self, batch_size: int | None = None) -> None:
        # the synapse it holds starts over too (BrainPy's projection resets its syn and out): a script's
        # net.reset_state() between trials left g as the last trial ended, a burst of input at the start of the next
        super().reset_state(batch_size)
        reset_parts(batch_size, self.__dict__.get("syn"), self.__dict__.get("out"))

    def _current(self, V: Any = None, *args: Any, **kwargs: Any) -> jax.Array:
        return self.out.current(self.syn.g.value, V)

    def update(self, x: Any) -> jax.Array:
        # BrainPy 2.8.2 returns what the comm sends, not the synapse's g (this returned g)
        current = self.communicate(x)
        self.syn.update(current)
        return current


class ProjAlignPostMg1(HalfProjAlignPost):
    """BrainPy's ``ProjAlignPostMg1`` (``HalfProjAlignPostMg``): ``proj(spikes)`` adds ``comm(spikes)`` to
    ``syn.g``, and ``syn`` decays when ``post`` is called (a before-update of ``post``), as in BrainPy
    2.8.2, so a spike's weight reaches the neuron already decayed by one step (``w exp(-dt/tau)``)."""

    def __init__(self, comm: _Comm, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None,
                 mode: Any = None) -> None:
        super().__init__(comm, syn, out, post, out_label=out_label, name=name, mode=mode)
        post.add_bef_update(f"{self.name}.syn", self._decay)

    def _check_syn(self) -> None:
        if not isinstance(self.syn, (Exponential, TwoGateDualExponential)):
            # BrainPy takes only an align-post synapse here (one with add_current); the others' input goes to
            # another variable (DualExpon's h, NMDA's x), so adding it to g gave a plain exponential, silently
            raise TypeError(f"ProjAlignPostMg1: syn must be an align-post synapse, bp.dyn.Expon or bp.dyn.DualExponV2 "
                            f"(as in BrainPy), got {type(self.syn).__name__}; bp.dyn.HalfProjAlignPost also takes the "
                            f"linear DualExpon and Alpha")

    def _decay(self) -> None:
        self.syn.update(jnp.zeros_like(self.syn.g.value))

    def update(self, x: Any) -> jax.Array:
        current = self.communicate(x)
        # BrainPy's add_current: into g, or into both gates of DualExponV2 (g = A (g_decay - g_rise) is computed
        # from them when the synapse decays, in post's before-update)
        for var in ((self.syn.g_rise, self.syn.g_decay) if isinstance(self.syn, TwoGateDualExponential)
                    else (self.syn.g,)):
            var.value = var.value + current
        return current


class VanillaProj(_CommNode):
    """``proj(x)``: ``out.current(comm(x), V)`` is an input of ``post`` (no synaptic dynamics)."""

    # made by reset_state (init_variable): declared for the type checker only
    g: Variable

    def __init__(self, comm: _Comm, out: Any, post: Any, out_label: str | None = None, name: str | None = None,
                 mode: Any = None) -> None:
        super().__init__(name=name, mode=mode)
        self._setup_comm(comm, post)
        self.out = _instance(type(self).__name__, "out", out, post, False)
        self._post = post
        post.add_inp_fun(self.name, self._current, label=out_label)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        self.init_variable("g", 0.0, shape=self._post.varshape, batch_size=batch_size)

    def _current(self, V: Any = None, *args: Any, **kwargs: Any) -> jax.Array:
        return self.out.current(self.g.value, V)

    def update(self, x: Any) -> jax.Array:
        self.g.value = self.communicate(x)
        return self.g.value


def _steps(time: Any, dt: float) -> int:
    if time is None:
        return 0
    steps = float(time) / dt
    n = int(round(steps))
    if abs(steps - n) > 1e-6 * max(1.0, steps):
        raise ValueError(f"VarDelay: a delay of {time!r} ms is not a whole number of steps of dt={dt} ms")
    return n


class VarDelay(BrainPyCalls, _DynamicalSystem):
    """BrainPy's ``VarDelay``: ``delay.at(entry)`` is ``target`` as it was ``entries[entry]`` ms ago.

    ``delay(x)`` (or ``delay.update()``, which records ``target``) records this step's value; an entry
    without a delay reads ``target`` now. An entry of ``d`` steps read in step ``i`` gives the value
    recorded in step ``i - d``, as brainbatch's delays (docs/step-order.md). BrainPy 2.8.2's ring reads an
    entry of ``d >= 2`` steps one step early (step ``i - d + 1``: 0.2 ms at dt 0.1 reads what 0.1 ms and no
    delay read, 2 ms reads 19 steps back), the early arrival docs/migrating-from-brainpy.md describes for
    projections; brainbatch does not copy it.

    >>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
    >>> v = bm.Variable(bm.zeros(2)); d = bp.VarDelay(v, entries={'a': 0.2})
    >>> d.data.shape
    (2, 2)
    """

    # made by reset_state (init_variable): declared for the type checker only
    data: Variable

    def __init__(self, target: Variable, time: Any = None, init: Any = None, entries: dict | None = None,
                 method: str | None = None, name: str | None = None, mode: Any = None):
        super().__init__(name=name, mode=mode)
        if not isinstance(target, Variable):
            raise TypeError(f"VarDelay: target must be a bm.Variable, got {type(target).__name__}")
        self._target, self._init = target, init
        self._entries: dict[str, int] = {}
        self.max_length = _steps(time, get_dt())
        for entry, delay_time in (entries or {}).items():
            self.register_entry(entry, delay_time)
        self.reset_state()

    @property
    def target(self) -> Variable:
        return self._target

    def register_entry(self, entry: str, delay_time: Any = None, delay_step: int | None = None) -> "VarDelay":
        if entry in self._entries:
            raise KeyError(f"VarDelay: the entry {entry!r} is registered already (with {self._entries[entry]} steps)")
        steps = int(delay_step) if delay_step is not None else _steps(delay_time, get_dt())
        self._entries[entry] = steps
        if steps > self.max_length:
            self.max_length = steps
            self.reset_state()
        return self

    def reset_state(self, batch_size: int | None = None) -> None:
        shape = (max(self.max_length, 1),) + tuple(self._target.shape)
        init = 0.0 if self._init is None else self._init
        value = jnp.broadcast_to(jnp.asarray(init, self._target.dtype), shape) if not callable(init) \
            else init(shape, self._target.dtype)
        self.init_variable("data", value, shape=shape, dtype=self._target.dtype, batched=False)

    def at(self, entry: str, *indices: Any) -> jax.Array:
        if entry not in self._entries:
            from ..core.errors import did_you_mean
            raise KeyError(f"VarDelay has no entry {entry!r}; registered: {sorted(self._entries)}."
                           f"{did_you_mean(entry, list(self._entries))}")
        steps = self._entries[entry]
        out = self._target.value if steps == 0 else self.data.value[steps - 1]
        return out[indices] if indices else out

    def retrieve(self, delay_step: int, *indices: Any) -> jax.Array:
        out = self.data.value[int(delay_step) - 1]
        return out[indices] if indices else out

    def update(self, latest_value: Any = None) -> None:
        x = self._target.value if latest_value is None else jnp.asarray(unwrap(latest_value), self._target.dtype)
        if self.max_length > 1:
            self.data.value = jnp.concatenate([x[None], self.data.value[:-1]], axis=0)
        else:
            self.data.value = x[None]
