"""``Projection``: spikes of one group -> sparse synapses -> synaptic dynamics -> current into another
(or, with a ``Delta`` synapse, jumps of one of its Variables)."""
from __future__ import annotations

import warnings
from typing import Any, cast

import jax
import brainunit as u
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem, NeuGroup, Variable, share
from ...core.context import get_dt
from ...core.delays import MAX_DELAY_STEPS, WHOLE_STEPS, delay_steps_from_time
from ...core.initializers import (Constant, LogNormal, Normal, TruncatedNormal, Uniform, concrete_numbers, init_array, truncate,
                                 upper_bound)
from ...core.modes import Mode
from ...core.node import updated_in_this_step
from ...core.base import reset_parts
from ...core.checks import check_bool, check_int, fits_shape, is_real, is_traced, register_wiring_check
from ...core.graph import iter_attr_nodes
from ...core.random import check_graph_seed, connector_graph_seed
from ...core.units import conductance_units, in_units_of
from ..connectivity import AbstractConnector, check_overflow
from ..plasticity import STP
from ..synapses import CUBA, AbstractOutput, AbstractSynapse, Delta, Exponential, ExponentialCurrent
from ._event import event_ring, event_sum
from ._plastic import check_rule, fan_in_bound, plastic_step, post_index
from ._weights import WeightSpec

__all__ = ["Projection"]


class Projection(DynamicalSystem):
    """Connect ``pre`` to ``post``: ``conn`` draws the synapses, ``syn`` holds their dynamics on the
    postsynaptic neurons and ``out`` turns them into a current for ``post``; or ``syn=Delta()`` (no
    ``out``): each spike makes ``post.V`` (or the Variable named by ``Delta(target)``) jump by ``w``.

    Step ``i`` (a "deliver" node, so it runs before the neuron groups): read ``pre.spike`` (the spikes
    of step ``i-1``, or of step ``i-1-d`` with a delay of ``d`` steps), propagate them event-driven
    (cost ~ spikes x fan-out, exact for any number of spikes) and advance the synapse, so that
    ``g_i = g_{i-1} exp(-dt/tau) + sum of w over the delivered spikes``; ``post`` uses ``g_i`` in step
    ``i``. This is Brian2's order (V integrates with g, g decays, spikes add w). A ``Delta`` synapse
    adds the delivered weights to its target at the same point, before ``post`` integrates step ``i``.

    The synapses are drawn in ``reset_state`` from the run key (``init_key("conn")``; from
    ``graph_seed`` when given), so each run of a batch has its own graph with the same static shapes: ``targets`` (``int32 (n_pre, K)``, padding
    ``n_post``), ``overflow`` (``bool``; True means a row needed more than ``K`` synapses; with
    ``check_overflow=True`` the reset also raises ``ConnectivityOverflowError``) and, for per-synapse
    weights, ``weights`` (``float32 (n_pre, K)``).

    Args:
        pre, post: neuron groups (``pre`` needs a bool ``spike`` Variable; ``pre`` may be ``post``).
        conn: a connector, e.g. ``FixedProb(0.02)``.
        syn: synapse dynamics, e.g. ``Exponential(tau=5.)`` (attached to ``post``, one per projection),
            or ``Delta(target="V")``.
        out: ``CUBA()`` or ``COBA(E)``; registered on ``post`` with ``add_inp_fun``. Required for every
            synapse except ``Delta``, which takes none.
        weight: a scalar (number or JAX value; swept values may be traced), an initializer drawn per
            synapse, or a dense ``(n_pre, n_post)`` array (small groups).
        delay: ``None`` or ms (a whole number of steps of ``dt``): a scalar, one per presynaptic
            neuron (shape ``pre.varshape``, through the core delay buffers), or one per synapse: a
            dense ``(n_pre, n_post)`` array, or an initializer (``Constant``, ``Uniform``, ``Normal``,
            ``TruncatedNormal``, ``LogNormal``; normal ones truncated to ``[dt, mean + 5 sd]``) drawn per
            synapse from the run key and rounded to whole steps (a ring of future inputs on ``post``).
        plasticity: a rule (``STDP(...)``, ``Vogels2011()``, ``TripletSTDP()``, ``Rule(on_pre, on_post)``)
            makes the weights per-synapse state ``w`` (``float32 (n_pre * K,)`` over the ``synapse`` dim,
            from ``weight`` as above, scalar included) that the rule changes at every spike, with the
            rule's traces as Variables of the projection and ``post_index`` (``int32 (n_post, K_in)``)
            for the postsynaptic side (docs/plasticity.md). ``w`` is saved, checkpointed and resumed
            with the rest of the state and can be recorded (``monitors={"w": "EE.w"}``).
        stp: short-term plasticity, ``STP(U, tau_f, tau_d)``: each spike's weights are multiplied by
            the fraction of resources it releases (Tsodyks-Markram; ``u`` and ``x`` per presynaptic
            neuron, recorded as ``"EE.stp.x"``; docs/plasticity.md). With ``plasticity`` too, the rule
            changes the weights and each spike delivers its weights times its release.
        chunk_size: spikes handled per loop iteration of the propagation.
        check_overflow: raise at reset (outside a transform) if a connectivity row overflowed. The
            runner refuses an overflowed model either way: ``overflow`` is a declared init check.
        graph_seed: ``None`` (default): the graph (synapses, per-synapse weights and delays) comes from
            the run's seed, so each run has its own. An integer: every run draws the graph the run of
            seed ``graph_seed`` draws — one network, different noise — and a batch of runs holds one
            copy of it (docs/random.md, "One graph for every run").
            A connector that fixes its own (``graph_seed`` attribute: a BrainPy connector's ``seed=``)
            gives it when this is unset; two different ones are refused.
        out_label: the label ``out``'s current is registered under on ``post`` (BrainPy's ``out_label``):
            ``post.sum_current_inputs(V, label=...)`` sums the inputs of one label; without a label
            it sums every input, labelled or not.

    Pre and post are references, not children: add the groups to the Network too.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models import LIF, Projection, FixedProb, Exponential, COBA
    >>> E = LIF(100, V_rest=-60., V_reset=-60., V_th=-50., tau=20., I_bias=20.)
    >>> ee = Projection(E, E, FixedProb(0.1), Exponential(5.), COBA(0.), weight=0.6)
    >>> net = bb.Network(E=E, ee=ee)
    >>> with bb.environment(key=bb.core.random.run_key(0)):
    ...     bb.core.assign_paths(net); net.reset()
    ...     spikes = bb.for_loop(lambda i: net.step_run(i) or E.spike.value, jnp.arange(100), dyn_vars=net)
    >>> spikes.shape, ee.targets.shape[0]
    ((100, 100), 100)
    """

    # made by reset_state (init_variable; which ones depends on the options): declared for the type checker only
    targets: Variable
    overflow: Variable
    post_overflow: Variable
    weights: Variable
    w: Variable
    ring: Variable
    pending: Variable
    delayed_targets: Variable

    update_phase = "deliver"

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"delay": u.ms}
    #: the synapse's state lives on the postsynaptic group (``AlignPreProjection``: on the presynaptic one)
    _syn_on_pre = False
    #: a plastic projection refuses one start weight outside its rule's [w_min, w_max] (BrainPy's classes allow it)
    _weights_within_bounds = True
    #: in an update that runs pre, then this projection, then post: False orders every pair of spikes in time as
    #: Brian2 does; True steps as BrainPy 2.8.2's STDP projection does there (``_plastic._brainpy_pre_first``)
    _brainpy_plastic_order = False

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: AbstractConnector, syn: AbstractSynapse,
                 out: AbstractOutput | None = None, weight: Any = 1.0, delay: Any = None, *, chunk_size: int = 16,
                 check_overflow: bool = True, plasticity: Any = None, stp: STP | None = None,
                 graph_seed: int | None = None, out_label: str | None = None, name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(name=name, mode=mode)
        if out_label is not None and not isinstance(out_label, str):
            raise TypeError(f"{type(self).__name__}: out_label must be a text label or None, got {out_label!r}")
        self.graph_seed = connector_graph_seed(check_graph_seed(graph_seed, f"{type(self).__name__}: graph_seed"),
                                               conn, type(self).__name__)
        _check_group("pre", pre)
        _check_group("post", post)
        spike = pre.__dict__.get("spike")
        if not isinstance(spike, Variable) or spike.dtype != jnp.bool_:
            raise TypeError(f"pre group {pre.name!r} needs a bool Variable 'spike' to project from, got {spike!r}")
        self.conn = _check_instance("conn", conn, AbstractConnector, "FixedProb(0.02)")
        self.syn = _check_instance("syn", syn, AbstractSynapse, "Exponential(tau=5.)")
        if getattr(syn, "pre_only", False) and not self._syn_on_pre:  # g saturates: summing spikes per post is wrong
            raise TypeError(f"{type(self).__name__}: {type(syn).__name__} keeps one state per presynaptic neuron (its "
                            f"g saturates); use bb.AlignPreProjection(pre, post, conn, "
                            f"bb.{type(syn).__name__}(), out, weight=w)")
        self.out = _check_output(out, syn)
        self.chunk_size = check_int("chunk_size", chunk_size, minimum=1)
        self.check_overflow = check_bool("check_overflow", check_overflow)  # bool('no') was True
        self.declare_init_check("overflow", f"projection {self.name!r}: a connectivity row needed more synapses "
                                "than its static bound, so some are missing; check the connector's parameters")
        self._pre, self._post = pre, post
        self._weight = WeightSpec(in_units_of("weight", weight, _weight_units(self.syn, self.out, post),
                                              type(self).__name__, strict=True), pre.num, post.num)
        self._syn_delay = _check_synaptic_delay(delay, pre, post)
        self.plasticity = None if plasticity is None else _check_plastic(self, plasticity, post)
        if self.plasticity is not None and self._weights_within_bounds:  # a contradiction: refused
            _check_start_weights(self, self.plasticity)
        if self.plasticity is not None and is_traced((self.plasticity.w_min, self.plasticity.w_max)):
            # each swept bound alone is checked when the sweep is planned; a pair of them (-p w_min=0.6 -p w_max=0.5)
            # only here, in the run: it failed nowhere and learned weights clipped into a reversed range
            self.declare_init_check("bounds_reversed", f"projection {self.name!r}: the bounds of "
                                    f"{type(self.plasticity).__name__} are reversed in this run: w_min > w_max (or, "
                                    "with form='multiplicative', not finite with w_min < w_max); give bounds in order")
        if self.plasticity is not None:
            self.declare_init_check("post_overflow", f"projection {self.name!r}: a postsynaptic neuron has more synapses "
                                    "than the post -> pre index holds; check the connector's parameters")
        self.stp = None if stp is None else _check_stp(self, stp)
        self._delay_ms = None if self._syn_delay is not None else _check_delay(delay, pre)
        self._delay_id = f"{self.name}.spike"
        if self._delay_ms is not None:
            self.register_delay(self._delay_id, self._read_steps(), pre.spike)
        _fits(syn, "syn", pre if self._syn_on_pre else post)
        _fits(self.out, "out", post)
        syn.attach(post, summed_weight_unit(syn, self.out, post))
        if self.out is not None:
            post.add_inp_fun(self.name, post_current(self.syn, self.out, self._post_current), label=out_label)
        self.reset_state()

    # -- the pieces --------------------------------------------------------------------------------
    @property
    def pre(self) -> NeuGroup:
        return self._pre

    @property
    def post(self) -> NeuGroup:
        return self._post

    @property
    def weight(self) -> Any:
        """The scalar weight, or the per-synapse ``weights`` Variable (``w`` if plastic)."""
        if self.plasticity is not None:
            return self.w
        return self._weight.value if self._weight.is_scalar else self.weights

    def recorded_value(self, name: str, value: jax.Array) -> jax.Array:
        """What a monitor of ``self.<name>`` records: the plastic weights ``w`` with NaN on padding slots
        (a plain mean over the synapse dim then counts real synapses only, docs/plasticity.md); the
        state itself keeps 0 there. Anything else as it is."""
        if name != "w" or self.plasticity is None:
            return value
        real = self.targets.value.reshape(-1) < self.post.num
        return jnp.where(real, value, jnp.float32(jnp.nan))

    def synapse_layout(self, name: str) -> dict | None:
        """For a store: how the synapse dim of ``self.<name>`` maps to neurons (``w`` of a plastic
        projection: ``{"k": K, "n_post": n, "targets": path of targets}``), else None."""
        if name != "w" or self.plasticity is None:
            return None
        return {"k": int(self.targets.shape[-1]), "n_post": int(self.post.num)}

    def expected_synapses(self) -> float:
        """The mean number of synapses of the drawn graph (exact for fixed degrees); static."""
        return self.pre.num * self.conn.out_degree_moments(self.pre.num, self.post.num, self.pre is self.post)[0]

    def connectivity_bytes(self) -> int:
        """Bytes of the graph's variables (targets, per-synapse weights and delays, the post index) per run."""
        names = ("targets", "weights", "w", "delay_steps", "delayed_targets", "post_index")
        return sum(int(np.prod(v.shape)) * np.dtype(v.dtype).itemsize
                   for v in (self.__dict__.get(n) for n in names) if isinstance(v, Variable))

    def fan_out(self) -> int:
        """The static row width ``K`` of ``targets``."""
        return self.conn.fan_out(self.pre.num, self.post.num, self.pre is self.post)

    # -- state -------------------------------------------------------------------------------------
    def reset_state(self, batch_size: int | None = None) -> None:
        """Draw the synapses (and per-synapse weights) from this run's key; re-check the delay for ``dt``."""
        conn = self.conn(self.init_key("conn", self.graph_seed), self.pre.num, self.post.num, self.pre is self.post)
        self._set("targets", conn.targets, ("pre", "slot"), "postsynaptic index of each synapse (padding: n_post)")
        self._set("overflow", conn.overflow, (), "True if a row of targets overflowed (synapses missing)")
        if self.plasticity is not None:
            self._reset_plastic(conn.targets, batch_size)
        elif not self._weight.is_scalar:
            w = self._weight.per_synapse(self.init_key("weight", self.graph_seed), conn.targets)
            self._set("weights", w, ("pre", "slot"), "weight of each synapse (0 on padding)",
                      units=_weight_units(self.syn, self.out, self.post))
        if self.check_overflow and not is_traced(conn.overflow):
            check_overflow(conn.overflow, f"projection {self.name!r}")
        # Traced (inside the runner's compiled init): no host callback, which would keep JAX from
        # caching the program; the runner checks the declared init check after init instead.
        if self._delay_ms is not None:  # dt may differ from construction time: size the buffer again
            self.register_delay(self._delay_id, self._read_steps(), self.pre.spike)
        if self._syn_delay is not None:
            self._reset_synaptic_delays(conn.targets, batch_size)
        # net.reset_state() or proj.reset_state() alone: its synapse, output and STP start over too
        reset_parts(batch_size, *(part for _, part in iter_attr_nodes(self)))

    def _reset_synaptic_delays(self, targets: jax.Array, batch_size: int | None) -> None:
        """Per-synapse delays: a ring of the next ``L`` steps' inputs to ``post``, filled event by event.

        A spike of step ``s`` on a synapse of ``d`` steps is added to the row read in step ``s + 1 + d``;
        ``delayed_targets`` holds ``d * n_post + target``, rotated by the ring pointer at delivery.
        """
        kind, value, max_ms = self._syn_delay
        n_post, valid = self.post.num, targets < self.post.num
        if kind == "dense":
            # checked again for the running dt (as a scalar delay is): rounding would silently shorten it
            delay_steps_from_time(np.asarray(value), share.dt, how=WHOLE_STEPS)
            ms = value[jnp.arange(self.pre.num)[:, None], jnp.where(valid, targets, 0)]
        else:
            ms = init_array(truncate(value, share.dt, max_ms), targets.shape, jnp.float32, key=self.init_key("delay", self.graph_seed))
        max_steps = int(round(max_ms / share.dt))
        steps = jnp.clip(jnp.round(ms / share.dt), 0, max_steps).astype(jnp.int32)
        length = max_steps + 1
        flat = jnp.where(valid, steps * n_post + targets, length * n_post).astype(jnp.int32)
        self._set("delay_steps", jnp.where(valid, steps, 0), ("pre", "slot"), "delay of each synapse in steps")
        self._set("delayed_targets", flat, ("pre", "slot"), "delay * n_post + target (padding: L * n_post)")
        self.init_variable("pending", 0.0, shape=(length, n_post), batch_size=batch_size,
                           dims=("delay_step", "post"), units=_weight_units(self.syn, self.out, self.post),
                           description="inputs due in each of the next steps")
        self._set("ring", jnp.zeros((), jnp.int32), (), "ring pointer of pending")

    def _reset_plastic(self, targets: jax.Array, batch_size: int | None) -> None:
        """Plastic weights (one copy per lane: they diverge), the post -> pre index and zeroed traces."""
        w = self._weight.per_synapse(self.init_key("weight", self.graph_seed), targets).reshape(-1)
        # the weight's unit (mV onto V under CUBA, 1 under COBA: docs/units.md), for a monitor's and the store's label
        self.init_variable("w", w, shape=w.shape, batch_size=batch_size, dims=("synapse",), kind="weights",
                           units=_weight_units(self.syn, self.out, self.post), description="weight of each synapse s (pre s // K, post targets[s // K, s % K]; 0 on padding, NaN in records)")
        k_in = fan_in_bound(self.conn, self.pre.num, self.post.num, self.pre is self.post)
        index, overflow = post_index(targets, self.post.num, k_in)
        self._set("post_index", index, ("post", "in_slot"), "synapse ids into each postsynaptic neuron (padding n_pre*K)")
        self._set("post_overflow", overflow, (), "True if a post_index row overflowed (synapses missing)")
        if self.check_overflow and not is_traced(overflow):
            check_overflow(overflow, f"projection {self.name!r} (post -> pre index)")
        rule = self.plasticity
        assert rule is not None  # called for a plastic projection only
        if is_traced((rule.w_min, rule.w_max)):
            self._set("bounds_reversed", _bounds_reversed(rule), (), "True if the rule's swept bounds are reversed")
        weight_units = _weight_units(self.syn, self.out, self.post)
        for side, traces, n in (("pre", rule.pre_traces, self.pre.num), ("post", rule.post_traces, self.post.num)):
            for name in traces:
                # a trace that jumps by an amplitude in weight units (STDP's apre += dApre) is in them; one that
                # jumps by 1 (Vogels', the triplet rule's) is a count
                units = (weight_units or "1") if name in rule.weight_traces else "1"
                self.init_variable(name, 0.0, shape=(n,), batch_size=batch_size, dims=(side,), units=units,
                                   description=f"{side}synaptic trace of {type(self.plasticity).__name__}")

    def _set(self, name: str, value: jax.Array, dims: tuple[str, ...], description: str, units: str = "") -> None:
        # Connectivity has no batch axis (one graph per model; runs of a sweep differ through vmap).
        self.init_variable(name, value, shape=value.shape, dtype=value.dtype, batched=False, dims=dims,
                           units=units, description=description)

    def check(self) -> None:
        """Raise ``ConnectivityOverflowError`` if the drawn graph overflowed (concrete values, any lane)."""
        check_overflow(self.overflow.value, f"projection {self.name!r}")
        if self.plasticity is not None:
            check_overflow(self.post_overflow.value, f"projection {self.name!r} (post -> pre index)")

    # -- one step ----------------------------------------------------------------------------------
    def _read_steps(self) -> Any:
        # Without delay the projection reads pre.spike as left by step i-1 (neurons update later in
        # the step): that is the value the buffer recorded 1 step ago. A delay of d steps reads d+1 ago.
        return delay_steps_from_time(self._delay_ms, share.dt, how=WHOLE_STEPS) + 1

    def spikes_sent(self) -> jax.Array:
        """The presynaptic spikes that enter the synapses in step ``i``, shaped like ``pre.spike``.

        Without delay, ``pre.spike`` of step ``i-1``; with a scalar or per-neuron delay of ``d`` steps,
        of step ``i-1-d``. Per-synapse delays act later, synapse by synapse (``delivered``), so with them
        this is the undelayed vector of step ``i-1``: what arrives now is ``delivered()``, not this.
        """
        if self._delay_ms is None:
            return self.pre.spike.value
        # a custom update that ran pre before this projection holds this step's spikes in pre.spike (the
        # undelayed read takes them): the delay then counts d steps from them, not from the step before
        return self.get_delay_data(self._delay_id, self._read_steps() - int(updated_in_this_step(self.pre)))

    def delivered(self) -> jax.Array:
        """``float32 (..., *post.varshape)``: the summed weights arriving at each postsynaptic neuron in
        step ``i``, every kind of delay applied. Call it once per step: with per-synapse delays it
        advances their ring. ``update`` is ``syn.update(delivered())`` (plus the synapse's input sources); a subclass that handles the
        input itself should start from this.
        """
        spike = self.spikes_sent()
        batch = spike.shape[: spike.ndim - len(self.pre.varshape)]
        scale = None if self.stp is None else self.stp.update(spike).reshape(batch + (self.pre.num,))
        spike = spike.reshape(batch + (self.pre.num,))
        if self.plasticity is not None:
            x = self._deliver_plastic(spike, batch, scale)
        else:
            x = self.deliver(spike, scale) if self._syn_delay is None else self._deliver_delayed(spike, scale)
        return x.reshape(batch + self.syn.varshape)

    def _deliver_plastic(self, spike: jax.Array, batch: tuple[int, ...], scale: jax.Array | None = None) -> jax.Array:
        """Deliver this step's spikes, each row scaled by ``scale`` if given (short-term plasticity), and apply
        the rule to the weights themselves (one lane at a time under a batch axis)."""
        rule = self.plasticity
        assert rule is not None  # called for a plastic projection only
        post_spike = self.post.spike.value.reshape(batch + (self.post.num,))
        pre_tr = {n: getattr(self, n).value for n in rule.pre_traces}
        post_tr = {n: getattr(self, n).value for n in rule.post_traces}

        # a custom update that ran pre before this projection and post after it (BrainPy's pre(); syn(); post())
        # gives this step's presynaptic spikes with the step before's postsynaptic ones: the rule then takes the
        # postsynaptic ones first, so that every pair is ordered in time as in Brian2 (docs/plasticity.md)
        post_first = updated_in_this_step(self.pre) and not updated_in_this_step(self.post)
        if updated_in_this_step(self.post) and not updated_in_this_step(self.pre):
            # the other way round nothing tells, within this step, which spikes of the step before came first
            warnings.warn(f"projection {self._path or self.name!r}: its post group {self.post.name!r} updated before it in "
                          f"this step and its pre group {self.pre.name!r} after it, so the rule takes the postsynaptic "
                          "spikes of this step with the presynaptic ones of the step before: pairs of spikes one step "
                          "apart or in the same step are not ordered as in Brian2 (docs/plasticity.md). Update the "
                          "projection before the post group, or the pre group before the projection",
                          UserWarning, stacklevel=2)

        def lane(s_pre: Any, s_post: Any, w: Any, a: Any, b: Any, c: Any) -> Any:
            return plastic_step(self, s_pre, s_post, w, a, b, self.chunk_size, scale=c, post_first=post_first,
                                brainpy_order=brainpy_order)

        # BrainPy's order is known for an undelayed projection only (with a delay its traces take the delayed
        # spikes one step after its weight updates, through a ring that delivers early: Brian2's order is kept)
        brainpy_order = self._brainpy_plastic_order and self._syn_delay is None and _no_delay(self._delay_ms)

        fn = lane
        for _ in batch:
            fn = jax.vmap(fn)
        x, w, pre_tr, post_tr = fn(spike, post_spike, self.w.value, pre_tr, post_tr, scale)
        self.w.value = w
        for n, v in {**pre_tr, **post_tr}.items():
            getattr(self, n).value = v
        return x

    def update(self, *args: Any) -> jax.Array:
        return self.syn.update(self.syn.with_sources(self.delivered()))

    def deliver(self, spike: jax.Array, scale: jax.Array | None = None) -> jax.Array:
        """``float32 (..., n_post)``: the summed weights of the synapses of the neurons in ``spike``, each
        neuron's times its ``scale`` if given (short-term plasticity)."""
        weights = None if self._weight.is_scalar else self.weights.value

        def fn(s: Any, c: Any) -> Any:
            return event_sum(s, self.targets.value, self.post.num, weights, self.chunk_size, scale=c)

        for _ in range(spike.ndim - 1):  # batching mode: one graph, a batch of spike vectors
            fn = jax.vmap(fn)
        x = fn(spike, scale)
        if self._weight.is_scalar:
            x = x * jnp.asarray(self._weight.value, jnp.float32)
        return x

    def _deliver_delayed(self, spike: jax.Array, scale: jax.Array | None = None) -> jax.Array:
        """Add this step's spikes to the ring at their synapses' delays; return the row due now."""
        ring = self.ring.value
        weight = self._weight.value if self._weight.is_scalar else self.weights.value

        def fn(s: Any, p: Any, c: Any) -> Any:
            return event_ring(s, self.delayed_targets.value, weight, ring, p, self.chunk_size, scale=c)

        for _ in range(spike.ndim - 1):  # batching mode: one graph and ring pointer, a batch of rings
            fn = jax.vmap(fn)
        self.pending.value, now = fn(spike, self.pending.value, scale)
        self.ring.value = (ring + 1) % self.pending.shape[-2]
        return now

    def _post_current(self, V: Any = None, *args: Any, **kwargs: Any) -> jax.Array:  # registered only with an output
        return cast(AbstractOutput, self.out).current(self.syn.g.value, V)


def post_current(syn: AbstractSynapse, out: AbstractOutput, fallback: Any) -> Any:
    """The current input a projection registers on ``post``: for ``Exponential`` + ``CUBA`` an
    ``ExponentialCurrent``, which ``LIF(method="exact")`` integrates exactly; else ``fallback``."""
    if type(syn) is Exponential and type(out) is CUBA and syn.method == "exact":  # euler's g is no exponential
        return ExponentialCurrent(syn)
    return fallback


def _no_delay(delay_ms: Any) -> bool:
    """Whether a projection's presynaptic delay (ms, None: none) is none or 0."""
    return delay_ms is None or (np.ndim(delay_ms) == 0 and float(delay_ms) == 0.0)


#: The Variables a projection's ``reset_state`` makes: a plasticity rule's trace may take none of these names.
_STATE_NAMES = ("w", "targets", "overflow", "weights", "delay_steps", "delayed_targets", "pending", "ring",
                "post_index", "post_overflow")


def _described(proj: Projection) -> str:
    """The projection as a construction-time error names it: its own name, and where that name was made up
    (the network's attribute is not known yet), which groups it joins."""
    if getattr(proj, "_name_given", True):
        return repr(proj.name)

    def group(g: Any) -> str:
        return repr(g.name) if getattr(g, "_name_given", True) else f"a {type(g).__name__} of {g.num}"

    return f"{proj.name!r} (from {group(proj.pre)} to {group(proj.post)})"


def _check_plastic(proj: Projection, rule: Any, post: NeuGroup) -> Any:
    rule = check_rule(rule, _described(proj))
    # the rule's amplitudes and bounds given as quantities (STDP(w_max=5 * u.mV)), in the weight's unit
    # (docs/units.md): a CUBA weight onto a LIF in mV, a COBA one a plain number; a plain number is in it already
    rule = rule.in_weight_units(_weight_units(proj.syn, proj.out, post),
                                f"{type(rule).__name__} on projection {_described(proj)}")
    spike = post.__dict__.get("spike")
    if not isinstance(spike, Variable) or spike.dtype != jnp.bool_:
        raise TypeError(f"projection {_described(proj)}: plasticity needs post group {post.name!r} to have a bool Variable "
                        f"'spike', got {spike!r}")
    if proj._syn_delay is not None:
        raise ValueError(f"projection {_described(proj)}: plasticity works with no delay, a scalar delay or one per "
                         "presynaptic neuron, not with per-synapse delays")
    # the state reset_state makes later (targets, post_index...) is not there yet at construction
    taken = [n for n in rule.trace_names() if n in _STATE_NAMES or hasattr(proj, n)]
    if taken:
        raise ValueError(f"projection {_described(proj)}: trace name(s) {taken} clash with the projection's own attributes; "
                         "rename them")
    return rule


def _check_start_weights(proj: Projection, rule: Any) -> None:
    """Refuse one start weight for every synapse (a number or ``Constant``) outside ``[w_min, w_max]``: the rule
    clips a weight only when it updates it, so it was delivered (and recorded) as given until then. Drawn or
    per-synapse weights may reach past a bound on purpose (the first update clips them) and are not checked."""
    spec, bounds = proj._weight, (rule.w_min, rule.w_max)
    value = spec.value.value if isinstance(spec.value, Constant) else spec.value
    if is_traced(bounds) or not (spec.kind == "scalar" or isinstance(spec.value, Constant)):
        return
    numbers = concrete_numbers(value)
    lo, hi = float(bounds[0]), float(bounds[1])
    if numbers is None or numbers.size != 1 or lo <= float(numbers) <= hi:
        return
    raise ValueError(f"projection {_described(proj)}: start weight {spec.value!r} lies outside the bounds of "
                     f"{type(rule).__name__}, [w_min, w_max] = [{lo:g}, {hi:g}]; the rule clips a weight only when it "
                     "updates it, so every synapse would act with that weight until then. Give a weight within the "
                     "bounds (or widen them)")


def _bounds_reversed(rule: Any) -> jax.Array:
    """True where the rule's (traced) bounds are a contradiction its constructor refuses for concrete ones."""
    lo, hi = jnp.asarray(rule.w_min, jnp.float32), jnp.asarray(rule.w_max, jnp.float32)
    if getattr(rule, "form", None) == "multiplicative":
        return jnp.any((lo >= hi) | ~jnp.isfinite(lo) | ~jnp.isfinite(hi))
    return jnp.any(lo > hi)


def _check_stp(proj: Projection, stp: Any) -> STP:
    stp = _check_instance("stp", stp, STP, "STP(U=0.5, tau_f=0., tau_d=800.)")
    stp.attach(proj.pre, proj.name)
    return stp


def _check_group(role: str, group: Any) -> None:
    if not isinstance(group, NeuGroup):
        raise TypeError(f"{role} must be a NeuGroup (e.g. a LIF group), got {type(group).__name__}: {group!r}")


def _check_instance(role: str, value: Any, cls: type, example: str) -> Any:
    if isinstance(value, type) and issubclass(value, cls):
        raise TypeError(f"{role} must be an instance, got the class {value.__name__}; e.g. {role}={example}")
    if not isinstance(value, cls):
        article = "an" if cls.__name__[:1] in "AEIOU" else "a"
        raise TypeError(f"{role} must be {article} {cls.__name__} such as {example}, got {value!r}")
    return value


def _weight_units(syn: AbstractSynapse, out: AbstractOutput | None, post: NeuGroup) -> str:
    """The unit of a weight (docs/units.md): its Delta target's; for a CUBA current the unit of the group's
    synaptic currents, ``current_units`` (mV as R * I for LIF, pA with ``C_m``, uA/cm^2 for HH and
    ``CondNeuGroupLTC``, whose ``input`` is in nA, mV/ms for Izhikevich); for a conductance (``COBA``, ``MgBlock``,
    and any other output, read as one as before: a current ``g * (E - V)``) that current's unit per mV,
    ``conductance_units``: 1 (relative to the leak) onto the LIF family, nS onto a LIF given ``C_m``, mS/cm^2 onto
    HH-type groups, 1/ms onto Izhikevich.

    (It was 1 for every conductance: a store labelled nS or mS/cm^2 weights and ``g`` as plain numbers, and
    ``weight=0.6 * u.nS`` onto a LIF given ``C_m`` was refused.)"""
    if isinstance(syn, Delta):
        return getattr(post.__dict__.get(syn.target), "units", "")
    current = getattr(post, "current_units", "mV")
    return current if isinstance(out, CUBA) else conductance_units(current)


def summed_weight_unit(syn: AbstractSynapse, out: AbstractOutput | None, post: NeuGroup) -> str:
    """The unit a synapse's state sums weights in: the weight's."""
    return _weight_units(syn, out, post)


def _check_output(out: Any, syn: AbstractSynapse) -> AbstractOutput | None:
    if isinstance(syn, Delta):
        if out is not None:
            raise TypeError(f"a Delta synapse adds to post.{syn.target} directly and takes no output; leave out=None "
                            f"(got out={out!r})")
        return None
    if out is None:
        raise TypeError(f"out is required with a {type(syn).__name__} synapse: e.g. out=COBA(E=0.) or out=CUBA() "
                        "(only a Delta synapse takes none)")
    return _check_instance("out", out, AbstractOutput, "COBA(E=0.)")


def _check_synaptic_delay(delay: Any, pre: NeuGroup, post: NeuGroup) -> Any:
    """Per-synapse delays: a dense ``(n_pre, n_post)`` array of ms (whole steps), or an initializer
    drawn per synapse and rounded to whole steps. ``None`` for other delays."""
    if isinstance(delay, DELAY_DISTRIBUTIONS):
        return ("init", delay, check_delay_distribution(delay))
    if delay is None or is_traced(delay) or np.ndim(delay) != 2:
        return None
    arr = np.asarray(delay, dtype=np.float64)
    if arr.shape == tuple(pre.varshape):  # one delay per presynaptic neuron of a 2-D group
        return None
    if arr.shape != (pre.num, post.num):
        raise ValueError(f"per-synapse delays must have shape (n_pre, n_post) = {(pre.num, post.num)}, got {arr.shape}")
    delay_steps_from_time(arr, share.dt, how=WHOLE_STEPS)  # errors name a negative delay or one that is not whole steps
    return ("dense", jnp.asarray(arr, jnp.float32), float(arr.max()))


#: initializers accepted as per-synapse delays
DELAY_DISTRIBUTIONS = (Constant, Uniform, Normal, TruncatedNormal, LogNormal)


def check_delay_distribution(delay: Any) -> float:
    """The largest delay (ms) ``delay`` can draw, checked concrete and finite; it sizes the ring.

    Normal-family delays are truncated to ``[dt, bound]`` when drawn (values outside are drawn again,
    as NEST's ``redraw(normal(...), min=resolution)``); a normal without ``high`` is cut at
    ``mean + 5 sd`` (``SD_BOUND`` in ``core/initializers.py``).
    """
    params = [v for v in vars(delay).values() if not isinstance(v, bool)]
    if any(is_traced(v) for v in params):
        raise TypeError("per-synapse delays size a buffer: their parameters must be concrete, not traced")
    high = upper_bound(delay)
    low = float(np.min(delay.value)) if isinstance(delay, Constant) else (
        float(np.min(delay.min_val)) if isinstance(delay, Uniform) else 0.0)
    if not np.isfinite(high) or low < 0 or high < low:
        raise ValueError(f"per-synapse delays must lie in [0, max] ms with a finite max, got {delay!r}")
    dt = get_dt()
    if high / dt > MAX_DELAY_STEPS:  # as a scalar delay: the ring would hold that many steps of every target
        raise ValueError(f"per-synapse delays up to {high:g} ms are {high / dt:.3g} steps of dt={dt:g} ms, more than a "
                         f"delay buffer holds ({MAX_DELAY_STEPS} steps, {MAX_DELAY_STEPS * dt:g} ms at this dt); "
                         f"got {delay!r}")
    return high


def _check_delay(delay: Any, pre: NeuGroup) -> Any:
    """``None`` for no delay, else the delay in ms (scalar or one per pre neuron), validated for ``dt``."""
    if delay is None:
        return None
    if is_traced(delay):
        raise TypeError("delay sizes a buffer and must be concrete, not a traced value; sweep it as a static parameter")
    if np.asarray(delay).dtype.kind not in "iuf":  # '1' or True would read as 1 ms
        raise TypeError(f"delay is a number of milliseconds (or one per presynaptic neuron), got {delay!r}")
    arr = np.asarray(delay, dtype=np.float64)
    if arr.ndim and arr.shape not in (pre.varshape, (pre.num,)):
        raise ValueError(f"delay must be a scalar or have pre's shape {pre.varshape}, got shape {arr.shape}")
    delay_steps_from_time(arr, share.dt, how=WHOLE_STEPS)  # errors name a negative delay or one that is not whole steps
    if arr.ndim == 0:
        return None if arr == 0 else float(arr)
    return arr.reshape(pre.varshape)


_SHAPES = frozenset({"size", "varshape", "keep_size"})  # a part's own shape, (4, 5): not one value per neuron


def _fits(part: Any, role: str, post: NeuGroup) -> None:
    """A synapse's or output's per-neuron parameter (``tau``, ``E``) has one value or one per neuron of the group
    ``post`` it lives on: another length failed deep inside the compiled step ("mul got incompatible shapes")."""
    from ...core.errors import ParameterShapeError

    for name, value in vars(part).items() if part is not None else ():
        numbers = isinstance(value, (list, tuple)) and bool(value) and all(is_real(v) for v in value)  # [1., 2., 3.]
        if (name.startswith("_") or name in _SHAPES or isinstance(value, (str, bytes, Variable)) or is_traced(value)
                or not (hasattr(value, "shape") or numbers)):  # the state Variables are the synapse's own
            continue
        shape = tuple(np.shape(value))
        if not shape:
            continue
        if not fits_shape(shape, post.varshape):
            raise ParameterShapeError(f"{role} {type(part).__name__}: {name} has shape {shape}, but the group "
                                      f"{post.name!r} it acts on has shape {tuple(post.varshape)}: give one value or one "
                                      "per neuron")


@register_wiring_check
def check_wiring(net: Any) -> None:
    """Refuse a network whose projections cannot run as written (called when a model is built for a run):
    a projection from or onto a group that is not part of the network (that group would never be simulated:
    its inputs pile up, its spikes never come), and one synapse instance given to two projections (they would
    share one ``g``: each adds into the other's and it decays twice per step)."""
    nodes = net.nodes()
    present = {id(node) for node in nodes.values()}
    owner: dict[int, str] = {}
    for path, node in nodes.items():
        if not isinstance(node, Projection):
            continue
        for role in ("pre", "post"):
            group = getattr(node, f"_{role}", None)
            if group is not None and id(group) not in present:
                raise ValueError(f"projection {path!r}: its {role} group {group.name!r} is not part of the network, so "
                                 f"it would never be simulated; add it to the Network (Network(..., {group.name}=...))")
        syn = node.__dict__.get("syn")
        if syn is not None:
            if id(syn) in owner:
                raise ValueError(f"projections {owner[id(syn)]!r} and {path!r} are given the same {type(syn).__name__} "
                                 "instance: each projection needs its own synapse (its own g)")
            owner[id(syn)] = path
