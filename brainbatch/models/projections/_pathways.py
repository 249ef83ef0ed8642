"""``Pathways``: a table of projections between populations in one object, one synaptic state per target
population and one ring of delayed inputs for all of them (the microcircuit's 64 pathways in one step).
"""
from __future__ import annotations

import copy
import math
from typing import Any, Mapping, NamedTuple, Sequence

import brainunit as u

import jax
import jax.numpy as jnp
import numpy as np

from ...core import DynamicalSystem, NeuGroup, Variable, share
from ...core.checks import beyond_float32, check_bool, is_bool, is_traced
from ...core.delays import WHOLE_STEPS, delay_steps_from_time
from ...core.initializers import (Constant, Initializer, LogNormal, Normal, OneInit, TruncatedNormal, Uniform,
                                  ZeroInit, concrete_numbers, init_array, truncate)
from ...core.modes import Mode
from ...core.units import UnitMismatch, in_units_of, is_quantity, to_convention
from ...core.random import check_graph_seed, connector_graph_seed, init_keys
from ...core.variable import mark_redrawn, mark_seeded, release_value
from ..connectivity import AbstractConnector, check_overflow
from ..synapses import AbstractOutput, AbstractSynapse, Delta
from ..connectivity import FixedTotalNumber
from ...kernels import event_ring_csr
from ._families import family_row
from ._table import CHUNK, TableSpec, count, draw_total_numbers, empty_table, place, row_pointers
from ._projection import DELAY_DISTRIBUTIONS, check_delay_distribution, post_current, summed_weight_unit

__all__ = ["Pathways"]

#: a row holds at most ``mean + ROW_SD * sd + ROW_SLACK`` synapses (as ``binomial_bound``), and a table of
#: random size at most ``mean + ROW_SD * sd + ROW_SLACK`` in all; more sets overflow
ROW_SD, ROW_SLACK = 10.0, 10

#: the chunked draw of a table of total numbers, compiled once per table (``TableSpec`` is static)
_DRAW_TOTAL_NUMBERS = jax.jit(draw_total_numbers, static_argnums=(1, 2))


class Pathways(DynamicalSystem):
    """Projections from several populations to several populations, given as tables.

    ``conn``, ``weight`` and ``delay`` are tables indexed ``[target][source]`` (NEST's and the
    microcircuit papers' order: rows are the postsynaptic populations), or a single value for every
    pathway; a ``None`` (or ``0`` through ``FixedProb.table``) connector means no pathway. Tables are
    nested lists or 2-D arrays. Every synapse of one ``Pathways`` has the same dynamics ``syn`` and
    output ``out``: each target population gets one copy of ``syn`` (``pathways.syn[name]``), which
    all its incoming pathways share, and the whole table shares one ring buffer of delayed inputs —
    so a step costs one propagation call and one synaptic update per target, however many pathways.
    For synapses of several kinds (excitatory and inhibitory with different time constants, or COBA
    reversal potentials) use one ``Pathways`` per kind.

    Connectivity is drawn at reset from the run key, chunk by chunk into compressed rows by presynaptic
    neuron (CSR; a row lists its synapses in drawing order; the scratch is one chunk's, not the table's:
    ``_table.py``): row ``i`` is ``targets[indptr[i]:indptr[i + 1]]``, ``int32`` ``delay_steps *
    n_post_total + post index``, with ``weights`` ``float32`` alongside: 8 bytes per synapse and 4 per
    presynaptic neuron (``bytes_per_synapse()``). Entries past ``indptr[-1]`` (only for connectors
    whose number of synapses is random: the capacity is the bound ``mean + 10 sd + 10``) hold the
    padding ``L * n_post_total``. A row longer than ``row_width()`` (the same bound per presynaptic
    neuron; the pure-JAX path gathers rows in windows of that width) sets ``overflow``.

    Args:
        pre, post: ``{name: group}`` or a sequence of groups (names from ``group.name``).
        conn: a connector or a ``[target][source]`` table of connectors and ``None``; build one with
            ``FixedTotalNumber.table(N)``, ``FixedProb.table(P)`` or ``FixedInDegree.table(K)``.
        syn: synapse dynamics, e.g. ``Exponential(0.5)`` (not ``Delta``).
        out: ``CUBA()`` or ``COBA(E)``.
        weight: a scalar or initializer (``Normal(87.8, 8.8, keep_sign=True)``), or a table of them.
        delay: ``None``, ms, or a distribution (``Normal(1.5, 0.75)``: truncated to ``[dt, mean +
            5 sd]``), or a table of them; drawn per synapse and rounded to whole steps.
        save_connectivity: keep ``targets`` and ``weights`` in a sweep's saved states (default). With
            ``False`` a store keeps none of them (they are most of a large model's state) and a resume
            draws them again from the seed, which gives the same table (``mark_seeded``).
        graph_seed: ``None`` (default): the table comes from the run's seed (each run its own). An
            integer: every run draws the table the run of seed ``graph_seed`` draws — one network,
            different noise — and a batch of runs holds one copy (docs/random.md, "One graph for every run").
            Connectors that fix their own (``graph_seed`` attribute, all the same) give it when this is unset.

    >>> import brainbatch as bb, jax
    >>> from brainbatch.models import LifRef, Pathways, FixedTotalNumber, Exponential, CUBA
    >>> E, I = LifRef(80, name="E"), LifRef(20, name="I")
    >>> net = bb.Network(E=E, I=I, rec=Pathways({"E": E, "I": I}, {"E": E, "I": I},
    ...                  FixedTotalNumber.table([[640, 160], [160, 40]]), Exponential(0.5), CUBA(),
    ...                  weight=[[1.0, -4.0], [1.0, -4.0]], delay=bb.Normal(1.5, 0.75)))
    >>> with bb.environment(key=jax.random.key(0)):
    ...     net.reset()
    >>> int((net.rec.targets.value < net.rec.pad).sum()), int(net.rec.indptr.value[-1]), sorted(net.rec.syn)
    (1000, 1000, ['E', 'I'])
    """

    # made by reset_state (init_variable; which ones depends on the options): declared for the type checker only
    targets: Variable
    indptr: Variable
    overflow: Variable
    weights: Variable
    ring: Variable
    pending: Variable

    update_phase = "deliver"

    #: units of the physical parameters (docs/units.md); bare numbers are read in these units
    param_units = {"delay": u.ms}

    def __init__(self, pre: Mapping[str, NeuGroup] | Sequence[NeuGroup], post: Mapping[str, NeuGroup] | Sequence[NeuGroup],
                 conn: Any, syn: AbstractSynapse, out: AbstractOutput, weight: Any = 1.0, delay: Any = None, *,
                 save_connectivity: bool = True, graph_seed: int | None = None, name: str | None = None,
                 mode: Mode | None = None):
        super().__init__(name=name, mode=mode)
        self.save_connectivity = check_bool("save_connectivity", save_connectivity)
        given = check_graph_seed(graph_seed, "Pathways: graph_seed")
        self._pres, self._posts = _groups("pre", pre), _groups("post", post)
        for gname, group in self._pres.items():
            spike = group.__dict__.get("spike")
            if not isinstance(spike, Variable) or spike.dtype != jnp.bool_:
                raise TypeError(f"pre group {gname!r} needs a bool Variable 'spike' to project from, got {spike!r}")
        shape = (len(self._posts), len(self._pres))
        self._conn = _table("conn", conn, shape, lambda c: c is None or isinstance(c, AbstractConnector),
                            "a connector or None")
        if all(c is None for row in self._conn for c in row):
            raise ValueError("Pathways: the conn table has no pathway (every entry is None or 0)")
        conns = [c for row in self._conn for c in row if c is not None]
        seeds = {getattr(c, "graph_seed", None) for c in conns}
        if len(seeds) > 1:  # one graph_seed holds for the whole table
            raise ValueError(f"Pathways: the connectors fix different graph seeds {sorted(seeds, key=repr)}; give "
                             "them all the same seed (or none, and graph_seed=)")
        self.graph_seed = connector_graph_seed(given, conns[0], "Pathways")
        posts = list(self._posts.values())
        # entries with units: a weight in its target's unit (docs/units.md; known per target row), a delay in ms
        labels = (list(self._posts), list(self._pres))
        self._weight = _table("weight", weight, shape, _is_finite_value, "a finite number (within float32) or an initializer",
                              lambda h, w: in_units_of("weight", w, summed_weight_unit(syn, out, posts[h]), "Pathways",
                                                       strict=True), labels)
        self._delay = _table("delay", delay, shape, lambda d: d is None or _is_value(d), "None, ms or a distribution",
                             lambda h, d: to_convention("delay", d, u.ms, "Pathways"), labels)
        self._max_delay_ms = max(_max_delay(d) for row in self._delay for d in row)
        if not isinstance(syn, AbstractSynapse) or isinstance(syn, Delta):
            raise TypeError(f"syn must be a synapse such as Exponential(tau=0.5) (not Delta), got {syn!r}")
        if getattr(syn, "pre_only", False):  # one state per target neuron, fed by all its synapses, is another model
            raise TypeError(f"Pathways: {type(syn).__name__} keeps one state per presynaptic neuron (its g saturates), "
                            f"and Pathways keeps one per postsynaptic neuron; give each such pathway its own "
                            f"bb.AlignPreProjection(pre, post, conn, bb.{type(syn).__name__}(), out, weight=w)")
        if syn.attached:
            raise ValueError(f"syn is a template that Pathways copies for each target population; give a new one, "
                             f"not {syn.name!r}, which is attached already")
        if not isinstance(out, AbstractOutput):
            raise TypeError(f"out must be an output such as CUBA() or COBA(E=0.), got {out!r}")
        self.out = out
        self.syn = {}
        for hname, group in self._posts.items():
            s = copy.deepcopy(syn)
            s.name = f"{syn.name}_{hname}" if _valid_name(f"{syn.name}_{hname}") else None  # None: a made-up name
            s.attach(group, summed_weight_unit(s, out, group))
            self.syn[hname] = s
            group.add_inp_fun(f"{self.name}_{hname}", post_current(s, out, _current(out, s)))
        self.declare_init_check("overflow", f"pathways {self.name!r}: a presynaptic neuron drew more synapses "
                                "than its row holds, so some are missing; check the connectors' parameters")
        self.reset_state()

    # -- sizes ------------------------------------------------------------------------------------
    @property
    def n_pre(self) -> int:
        return sum(g.num for g in self._pres.values())

    @property
    def n_post(self) -> int:
        return sum(g.num for g in self._posts.values())

    def _offsets(self, groups: Mapping[str, NeuGroup]) -> list[int]:
        return list(np.cumsum([0] + [g.num for g in groups.values()])[:-1])

    def row_width(self) -> int:
        """The static bound ``K`` on a row's length: the largest bound over source populations."""
        widths = []
        for g, pre in enumerate(self._pres.values()):
            mean = var = 0.0
            cap = 0
            for h, post in enumerate(self._posts.values()):
                c = self._conn[h][g]
                if c is None:
                    continue
                m, v = c.out_degree_moments(pre.num, post.num, pre is post)
                mean, var, cap = mean + m, var + v, cap + c.fan_out(pre.num, post.num, pre is post)
            widths.append(min(cap, math.ceil(mean + ROW_SD * math.sqrt(var) + ROW_SLACK)))
        return max(1, *widths)

    @property
    def pad(self) -> int:
        """The padding value of ``targets`` (unused capacity past ``indptr[-1]``): ``L * n_post_total``."""
        return self.pending.shape[-2] * self.n_post

    def expected_synapses(self) -> float:
        """The mean number of synapses of a drawn table (exact for total numbers and in-degrees); static."""
        return sum(pre.num * c.out_degree_moments(pre.num, post.num, pre is post)[0] for c, pre, post in self._pathways())

    def capacity(self) -> int:
        """The length of ``targets`` and ``weights``; static. The number of synapses where it is fixed (every
        pathway a ``FixedTotalNumber``), else the bound ``mean + 10 sd + 10`` on it, at most every
        pathway's largest fan-out on every presynaptic neuron."""
        if all(isinstance(c, FixedTotalNumber) for c, _, _ in self._pathways()):
            return sum(int(c.num_pairs(pre.num, post.num, pre is post)) for c, pre, post in self._pathways())
        mean = var = 0.0
        cap = 0
        for c, pre, post in self._pathways():
            m, v = c.out_degree_moments(pre.num, post.num, pre is post)
            mean, var, cap = mean + pre.num * m, var + pre.num * v, cap + pre.num * c.fan_out(pre.num, post.num, pre is post)
        return max(1, min(cap, math.ceil(mean + ROW_SD * math.sqrt(var) + ROW_SLACK)))

    def connectivity_bytes(self) -> int:
        """Bytes of the table (``indptr``, ``targets`` and ``weights``; one copy per run of a batch); static:
        ``4 (n_pre + 1) + 8 capacity()``."""
        return 4 * (self.n_pre + 1) + 8 * self.capacity()

    def bytes_per_synapse(self) -> float:
        """Bytes of connectivity (``indptr``, ``targets`` and ``weights``) per drawn synapse."""
        n = int(self.indptr.value[..., -1].min())
        return sum(_nbytes(getattr(self, v).value) for v in ("indptr", "targets", "weights")) / max(n, 1)

    def _pathways(self) -> Any:
        """``(connector, pre group, post group)`` of each pathway, in table order (target-major)."""
        return [(self._conn[h][g], pre, post) for h, post in enumerate(self._posts.values())
                for g, pre in enumerate(self._pres.values()) if self._conn[h][g] is not None]

    # -- state ------------------------------------------------------------------------------------
    def reset_state(self, batch_size: int | None = None) -> None:
        dt = share.dt
        length = int(round(self._max_delay_ms / dt)) + 1
        if length * self.n_post >= 2**31:
            raise ValueError(f"pathways {self.name!r}: delays of up to {length - 1} steps onto {self.n_post} neurons "
                             "overflow int32 indices; use a larger dt or fewer neurons per Pathways")
        if self.capacity() >= 2**31:  # the row starts (indptr) are int32: the draw overflowed in JAX's argument parsing
            raise ValueError(f"pathways {self.name!r}: {self.capacity():,} synapses is past what one table indexes "
                             f"({2**31 - 1:,}: int32 indices); split the populations over several Pathways, or scale "
                             "the model down")
        spec = self._total_numbers(dt, length)
        keys = self._keys(("pathway",) if spec is not None else ("conn", "weight", "delay"))
        if not is_traced(keys):  # drawn eagerly: let the old table go first, so two are never held
            for name in ("indptr", "targets", "weights"):
                if isinstance(self.__dict__.get(name), Variable):
                    release_value(self.__dict__[name])
        if spec is not None:  # one small program for any number of pathways, chunk by chunk (_table.py)
            indptr, targets, weights, overflow = _DRAW_TOTAL_NUMBERS(keys, spec)
        else:
            # One compiled program per table structure and dt, shared by every Pathways of that structure
            # (eager op-by-op drawing would dispatch thousands of small ops); inside the runner's init it
            # is inlined. A table whose parameters are traced or arrays gets its own program.
            layout = self._layout(dt, length)
            if layout is not None:
                indptr, targets, weights, overflow = _DRAW_EACH(keys, layout)
            else:
                cache = self.__dict__.setdefault("_draw_cache", {})
                if dt not in cache:
                    own = self._layout(dt, length, by_value=False)
                    cache[dt] = jax.jit(lambda k: _draw_each(k, own))
                indptr, targets, weights, overflow = cache[dt](keys)
        self._max_row = self.row_width()
        self._set("indptr", indptr, ("pre_edge",), "row i (presynaptic neuron i) is targets[indptr[i]:indptr[i + 1]]")
        self._set("targets", targets, ("synapse",),
                  "delay_steps * n_post + post index of each synapse (past indptr[-1]: L * n_post)")
        units = self._weight_units()
        self._set("weights", weights, ("synapse",), "weight of each synapse (0 past indptr[-1])", units)
        self.init_variable("overflow", overflow, shape=(), dtype=jnp.bool_, batched=False, dims=(),
                           description="True if a row of targets overflowed (synapses missing)")
        mark_redrawn(self.init_variable("pending", 0.0, shape=(length, self.n_post), batch_size=batch_size,
                                        dims=("delay_step", "post"), units=units,
                                        description="inputs due in each of the next steps"))
        self.init_variable("ring", jnp.zeros((), jnp.int32), shape=(), dtype=jnp.int32, batched=False, dims=(),
                           description="ring pointer of pending")
        if not is_traced(overflow):
            check_overflow(overflow, f"pathways {self.name!r}")

    def _keys(self, uses: tuple[str, ...]) -> jax.Array:
        """Key data ``uint32 (P, 2)`` (one use) or ``(P, len(uses), 2)``: ``init_key(f"{use} {target}<{source}")``
        for each pathway, in table order."""
        tags = [f"{hname}<{gname}" for h, hname in enumerate(self._posts) for g, gname in enumerate(self._pres)
                if self._conn[h][g] is not None]
        keys = jax.random.key_data(init_keys(self._path, [f"{use} {tag}" for tag in tags for use in uses],
                                                  self.graph_seed))
        return keys if len(uses) == 1 else keys.reshape(len(tags), len(uses), -1)

    def _total_numbers(self, dt: float, length: int) -> TableSpec | None:
        """The table as a ``TableSpec`` for the chunked counter-based draw, or ``None`` (pathway by pathway).

        Possible when every pathway is a ``FixedTotalNumber`` with multapses and every weight and delay one of the
        families of ``_families.py``: the program is then the same size for 1 or 64 pathways.
        """
        rows = []
        pre_off, post_off = self._offsets(self._pres), self._offsets(self._posts)
        for h, post in enumerate(self._posts.values()):
            for g, pre in enumerate(self._pres.values()):
                conn = self._conn[h][g]
                if conn is None:
                    continue
                if not isinstance(conn, FixedTotalNumber) or not conn.allow_multapses:
                    return None  # the counter-based draw makes independent pairs (multapses allowed)
                delay = self._delay[h][g]
                delay = 0.0 if delay is None else delay
                if not isinstance(delay, (int, float)):
                    delay = truncate(delay, dt, (length - 1) * dt)
                w_row, d_row = family_row(self._weight[h][g]), family_row(delay)
                if w_row is None or d_row is None:
                    return None
                same = pre is post and not conn.allow_self_conn and pre.num == post.num
                rows.append((conn.num, (pre.num, post.num, int(same), int(pre_off[g]), int(post_off[h])), w_row, d_row))
        if sum(r[0] for r in rows) + CHUNK >= 2**31:  # synapse indices are int32
            return None
        return TableSpec(tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows),
                         tuple(r[3] for r in rows), float(dt), int(length), self.n_pre, self.n_post, self.row_width())

    def _layout(self, dt: float, length: int, by_value: bool = True) -> Any:
        """The table's static structure for ``_draw_each``: equal layouts draw equal tables from equal keys.
        With ``by_value`` ``None`` when a connector, weight or delay cannot be compared by value (arrays,
        traced values, a user's callable)."""
        pre_off, post_off = self._offsets(self._pres), self._offsets(self._posts)
        paths = []
        for h, post in enumerate(self._posts.values()):
            for g, pre in enumerate(self._pres.values()):
                conn = self._conn[h][g]
                if conn is None:
                    continue
                weight, delay = self._weight[h][g], self._delay[h][g]
                if by_value:
                    try:
                        hash(conn)
                    except TypeError:
                        return None
                    weight, delay = _ByValue.of(weight), _ByValue.of(delay)
                    if weight is None or (delay is None) != (self._delay[h][g] is None):
                        return None
                paths.append(_Path(conn, pre.num, post.num, pre is post, int(pre_off[g]), int(post_off[h]),
                                   weight, delay))
        return _Layout(tuple(paths), float(dt), int(length), self.n_pre, self.n_post, self.capacity(),
                       self.row_width())

    def _weight_units(self) -> str:
        """The unit the weights (and the inputs due) are in (docs/units.md): the target populations' one, or
        "" where they differ (a LIF with ``C_m`` takes pA, one without mV): the table then holds both."""
        units = {summed_weight_unit(s, self.out, self._posts[h]) for h, s in self.syn.items()}
        return units.pop() if len(units) == 1 else ""

    def _set(self, name: str, value: jax.Array, dims: tuple[str, ...], description: str, units: str = "") -> None:
        var = self.init_variable(name, value, shape=value.shape, dtype=value.dtype, batched=False,
                                 dims=dims, units=units, description=description)
        mark_redrawn(var)  # every reset draws it anew: a fresh run drops the old copy before (Runner)
        if not self.save_connectivity:
            mark_seeded(var)
    def check(self) -> None:
        """Raise ``ConnectivityOverflowError`` if the drawn table overflowed (concrete values, any lane)."""
        check_overflow(self.overflow.value, f"pathways {self.name!r}")

    # -- one step ---------------------------------------------------------------------------------
    def update(self, *args: Any) -> None:
        spikes = [g.spike.value for g in self._pres.values()]
        first = next(iter(self._pres.values()))
        batch = spikes[0].shape[: spikes[0].ndim - len(first.varshape)]
        spike = jnp.concatenate([s.reshape(batch + (-1,)) for s in spikes], axis=-1)
        ring = self.ring.value
        fn = lambda s, p: event_ring_csr(s, self.indptr.value, self.targets.value, self.weights.value,  # noqa: E731
                                         ring, p, self._max_row)
        for _ in range(len(batch)):  # batching mode: one table and ring pointer, a batch of rings
            fn = jax.vmap(fn)
        self.pending.value, now = fn(spike, self.pending.value)
        self.ring.value = (ring + 1) % self.pending.shape[-2]
        start = 0
        for syn in self.syn.values():
            x = now[..., start:start + syn.num].reshape(batch + syn.varshape)
            start += syn.num
            syn.update(syn.with_sources(x))


def _nbytes(x: Any) -> int:
    return int(np.prod(x.shape)) * np.dtype(x.dtype).itemsize  # also of a traced value (no .nbytes)


def _groups(role: str, groups: Any) -> dict[str, NeuGroup]:
    if isinstance(groups, NeuGroup):
        groups = [groups]
    items = list(groups.items()) if isinstance(groups, Mapping) else [(g.name, g) for g in groups]
    if not items:
        raise ValueError(f"{role} must name at least one group")
    for key, g in items:
        if not isinstance(g, NeuGroup):
            raise TypeError(f"{role} {key!r} must be a NeuGroup (e.g. a LifRef group), got {type(g).__name__}")
    names = [k for k, _ in items]
    if len(set(names)) != len(names):
        raise ValueError(f"{role} groups need distinct names, got {names}")
    return dict(items)


def _is_value(x: Any) -> bool:
    # complex numbers failed in the run, as "float() argument must be a string or a real number"
    return isinstance(x, Initializer) or (np.ndim(x) == 0 and not isinstance(x, str) and not is_bool(x)
                                          and x is not None and not np.iscomplexobj(x))


def _is_finite_value(x: Any) -> bool:
    """A weight: an initializer, or a number that is not NaN or infinite (Projection refuses those too)."""
    if not _is_value(x):
        return False
    numbers = None if isinstance(x, Initializer) else concrete_numbers(x)
    # beyond float32, a finite number is inf in the model
    return numbers is None or bool(np.all(np.isfinite(numbers))) and not beyond_float32(numbers)


def _table(what: str, value: Any, shape: tuple[int, int], ok: Any, allowed: str,
           convert: Any = None, labels: tuple[list[str], list[str]] | None = None) -> list[list[Any]]:
    """``value`` as a ``[target][source]`` table (one value stands for every entry); ``convert(h, entry)``
    turns each entry into the convention's number (an entry with a unit) before it is checked, and a wrong
    unit names the entry (with ``labels``, the target and source groups' names)."""
    if is_quantity(value) and np.ndim(value.mantissa) == 2:  # a table of numbers times one unit
        value = [[value[h, g] for g in range(value.shape[1])] for h in range(value.shape[0])]
    is_table = isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim == 2)
    if not is_table:
        rows = [[value] * shape[1] for _ in range(shape[0])]
    else:
        rows = [list(r) for r in value]
        if len(rows) != shape[0] or any(len(r) != shape[1] for r in rows):
            lengths = sorted({len(r) for r in rows})
            got = (f"{len(rows)} rows" if len(lengths) > 1 else f"({len(rows)}, {lengths[0] if lengths else 0})")
            if len(lengths) > 1:  # ragged: name the row that is off (a row per target group)
                bad = next(h for h, r in enumerate(rows) if len(r) != shape[1])
                where = f" (target {labels[0][bad]!r})" if labels and bad < len(labels[0]) else ""
                got += f" whose row {bad}{where} has {len(rows[bad])} entries, not {shape[1]}"
            raise ValueError(f"the {what} table must be (targets, sources) = {shape}, got {got}")
    if convert is not None:
        rows = [[_converted(convert, h, g, entry, labels if is_table else None) for g, entry in enumerate(row)]
                for h, row in enumerate(rows)]
    for h, row in enumerate(rows):
        for g, entry in enumerate(row):
            if not ok(entry):
                raise TypeError(f"{what}[{h}][{g}] must be {allowed}, got {entry!r}")
    return rows


def _converted(convert: Any, h: int, g: int, entry: Any, labels: tuple[list[str], list[str]] | None) -> Any:
    try:
        return convert(h, entry)
    except UnitMismatch as err:
        if labels is None:  # one value for the whole table: the message names it already
            raise
        raise UnitMismatch(f"{err}, in entry [{h}][{g}] (target {labels[0][h]!r}, source {labels[1][g]!r})") from None


def _max_delay(delay: Any) -> float:
    if delay is None:
        return 0.0
    if isinstance(delay, DELAY_DISTRIBUTIONS):
        return check_delay_distribution(delay)
    if isinstance(delay, Initializer):
        raise TypeError(f"a delay distribution must be one of {[c.__name__ for c in DELAY_DISTRIBUTIONS]}, got {delay!r}")
    if is_traced(delay):
        raise TypeError("delays size a buffer and must be concrete, not traced")
    delay_steps_from_time(np.asarray(delay, np.float64), share.dt, how=WHOLE_STEPS)  # names a negative or fractional delay
    return float(delay)


def _delay_steps(delay: Any, shape: Any, key: Any, dt: float, max_steps: int) -> jax.Array:
    if delay is None:
        return jnp.zeros(shape, jnp.int32)
    if isinstance(delay, Initializer):
        ms = init_array(truncate(delay, dt, max_steps * dt), shape, jnp.float32, key=key)
    else:
        ms = jnp.full(shape, float(delay), jnp.float32)
    return jnp.clip(jnp.round(ms / dt), 0, max_steps).astype(jnp.int32)


class _Path(NamedTuple):
    """One pathway of a ``_Layout``: its connector, sizes, whether pre and post are one group, offsets,
    weight and delay (``_ByValue`` in a cached layout)."""

    conn: Any
    n_pre: int
    n_post: int
    same: bool
    pre_off: int
    post_off: int
    weight: Any
    delay: Any


class _Layout(NamedTuple):
    """What ``_draw_each`` draws: the pathways in table order, ``dt``, ring length, sizes, capacity, row width."""

    paths: tuple
    dt: float
    length: int
    n_pre: int
    n_post: int
    capacity: int
    width: int


class _ByValue:
    """A weight or delay compared by value (its type and numbers), so equal tables share one program."""

    __slots__ = ("value", "key")

    def __init__(self, value: Any, key: Any) -> None:
        self.value, self.key = value, key

    @classmethod
    def of(cls, value: Any) -> "_ByValue | None":
        """``value`` wrapped, or ``None`` where it is not a ``None``, a plain number or an initializer of plain
        numbers."""
        if value is None:
            return None
        if isinstance(value, Initializer):
            if type(value) not in _BUILT_IN:  # a user's initializer may draw from more than its attributes
                return None
            params = tuple(sorted(vars(value).items()))
            if all(_plain(v) for _, v in params):
                return cls(value, (type(value), params))
            return None
        return cls(value, (type(value), value)) if _plain(value) else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByValue) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


#: initializers a cached layout may hold: their draw is a function of their attributes alone
_BUILT_IN = (Constant, ZeroInit, OneInit, Uniform, Normal, TruncatedNormal, LogNormal)


def _plain(x: Any) -> bool:
    """A Python bool, int or float that equals itself (not NaN): a value a cache key may hold."""
    return type(x) in (bool, int, float) and x == x


def _draw_each(keys: jax.Array, layout: _Layout) -> Any:
    """Draw pathway by pathway with the connectors' own samplers, in two passes of one loop (count each
    row's synapses, then draw them again and place them: the scratch is one pathway's synapses)."""
    max_steps, n_post_total = layout.length - 1, layout.n_post
    n_pre, capacity, width, dt = layout.n_pre, layout.capacity, layout.width, layout.dt

    def value(x: Any) -> Any:
        return x.value if isinstance(x, _ByValue) else x

    def draws() -> Any:
        for p, path in enumerate(layout.paths):
            k_conn, k_weight, k_delay = (jax.random.wrap_key_data(k) for k in keys[p])
            src, dst, valid, flag = _pairs(path.conn, k_conn, path.n_pre, path.n_post, path.same)
            w = init_array(value(path.weight), src.shape, jnp.float32, key=k_weight)
            steps = _delay_steps(value(path.delay), src.shape, k_delay, dt, max_steps)
            yield jnp.where(valid, src + path.pre_off, n_pre), steps * n_post_total + dst + path.post_off, w, flag

    def one_pass(second: Any, carry: Any) -> Any:
        # the samplers are traced once; pass 0 counts, pass 1 (counts final) places
        counts, table = carry
        starts = row_pointers(counts, capacity, width)[0][:-1]
        for src, tgt, w, flag in draws():
            counts, table = jax.lax.cond(
                second == 0, lambda c, t: (count(c, src), t[:3] + (t[3] | flag,)),
                lambda c, t: (c, place(t, starts, src, tgt, w)), counts, table)
        return counts, table

    carry = (jnp.zeros((n_pre,), jnp.int32), empty_table(n_pre, capacity, layout.length * n_post_total))
    counts, table = jax.lax.fori_loop(0, 2, one_pass, carry)
    indptr, overflow = row_pointers(counts, capacity, width)
    return indptr, table[0], table[1], table[3] | overflow


#: the pathway-by-pathway draw, compiled once per table structure (``_Layout`` is static and compared by
#: value), so every Pathways of one structure (a model built again, a seed loop) reuses one program
_DRAW_EACH = jax.jit(_draw_each, static_argnums=1)


def _pairs(conn: AbstractConnector, key: Any, n_pre: int, n_post: int, same: bool) -> Any:
    """One pathway's synapses as ``(pre, post, valid, overflow)`` flat arrays of a static length."""
    if hasattr(conn, "pairs"):
        src, dst = conn.pairs(key, n_pre, n_post, same)
        return src, dst, jnp.ones(src.shape, jnp.bool_), jnp.zeros((), jnp.bool_)
    c = conn(key, n_pre, n_post, same)
    src = jnp.repeat(jnp.arange(n_pre, dtype=jnp.int32), c.fan_out)
    dst = c.targets.reshape(-1)
    return src, dst, dst < n_post, c.overflow


def _current(out: AbstractOutput, syn: AbstractSynapse) -> Any:
    return lambda V=None, *a, **k: out.current(syn.g.value, V)


def _valid_name(name: str) -> bool:
    import re

    return bool(re.match(r"^[A-Za-z_][A-Za-z0-9_\-]*$", name))
