"""BrainPy's base classes for hand-written synapses: ``Projection``, ``SynConn``/``TwoEndConn``.

They are "deliver" nodes (docs/step-order.md), as BrainPy 2.8.2's ``DynSysGroup`` updates every
``Projection`` before the neuron groups: a synapse that writes ``self.post.input += ...`` in its
update is read by ``post`` in the same step, whatever the attribute order. ``pre``/``post`` are
references (not children), and ``conn`` is BrainPy's: ``self.conn.require('pre2post')``.
"""
from __future__ import annotations

from typing import Any, NamedTuple, cast

import jax.numpy as jnp
import numpy as np

from ..core import DynamicalSystem as _DynamicalSystem
from ..core import share
from ..core.graph import iter_attr_nodes
from ..core.checks import fits_shape, is_traced
from ..core.variable import Variable, unwrap
from ._compat import BrainPyCalls
from ._integrator import Integrator
from ._stp_terminals import as_terminal
from ._view import ViewDelays, updated
from ..core.jax_compat import trace_state_clean
from .conn import All2All, IJConn, MatConn, One2One, TwoEndConnector, conn_matrix

__all__ = ["Projection", "SynConn", "TwoEndConn", "AMPA", "GABAa", "NMDA", "BioNMDA"]


def _delay_steps(what: str, delay_step: Any) -> int:
    """``delay_step`` as a whole number of steps >= 0 (None: 0): -1 ran as no delay and 1.5 as 1."""
    if delay_step is None:
        return 0
    value = unwrap(delay_step)
    if isinstance(value, bool) or np.ndim(value) != 0 or not np.issubdtype(np.asarray(value).dtype, np.number) \
            or not 0 <= float(value) < 2**31 or float(value) != int(float(value)):
        raise ValueError(f"{what}: delay_step must be a whole number of steps >= 0 (one for the whole synapse), "
                         f"got {delay_step!r}")
    return int(float(value))


def _checked(what: str, **values: Any) -> None:
    """Kinetic parameters: finite numbers >= 0 (``T_duration``/``T_dur`` > 0); ``g_max`` finite. A negative rate
    or pulse gave a negative conductance or a synapse that never opens, a NaN a NaN V, without a word."""
    for name, value in values.items():
        arr = unwrap(value)
        if is_traced(arr) or (name == "g_max" and callable(arr)):  # a swept value, an initializer: checked elsewhere
            continue
        if isinstance(arr, (str, bool)) or arr is None or callable(arr):
            raise TypeError(f"{what}: {name} must be a number, got {value!r}")
        try:
            arr = np.asarray(arr, np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{what}: {name} must be a number or an array of numbers, got {value!r}") from None
        if name == "g_max":
            ok = np.isfinite(arr).all()
            rule = "finite"
        elif name in ("T_duration", "T_dur"):
            ok = bool(np.all(np.isfinite(arr) & (arr > 0)))
            rule = "a finite time in ms > 0"
        else:
            ok = bool(np.all(np.isfinite(arr) & (arr >= 0)))
            rule = "a finite number >= 0"
        if not ok:
            raise ValueError(f"{what}: {name} must be {rule}, got {value!r}")


class Projection(BrainPyCalls, _DynamicalSystem):
    """BrainPy's ``Projection``: a node that delivers input, run before the neuron groups of a step.

    Without its own ``update`` it updates its child nodes, in attribute order.

    >>> import brainbatch.brainpy as bp
    >>> bp.Projection.update_phase
    'deliver'
    """

    update_phase = "deliver"

    def update(self, *args: Any, **kwargs: Any) -> Any:
        # an integral it holds (self.integral = bp.odeint(...)) is called by an update, not one
        children = [child for _, child in iter_attr_nodes(self) if not isinstance(child, Integrator)]
        if not children:
            raise NotImplementedError(f"{type(self).__name__} must implement update() (it has no child nodes to run)")
        for child in children:
            cast(Any, child).update(*args, **kwargs)

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to clear: a projection's inputs are its presynaptic spikes."""


def _conn(conn: Any, pre: Any, post: Any) -> Any:
    if isinstance(conn, TwoEndConnector):
        return conn(pre.size, post.size)
    if conn is None or isinstance(conn, str):
        return conn
    if isinstance(conn, dict):
        if not ("i" in conn and "j" in conn):
            raise ValueError(f"conn given as a dict needs 'i' and 'j' (pre and post indices), got {sorted(conn)}")
        return IJConn(conn["i"], conn["j"])(pre.size, post.size)
    mat = np.asarray(conn.value if isinstance(conn, Variable) else conn)
    if mat.shape != (pre.num, post.num):
        raise ValueError(f"conn given as a matrix must have shape (pre.num, post.num) = {(pre.num, post.num)}, "
                         f"got {mat.shape}")
    return MatConn(mat)(pre.size, post.size)


class SynConn(ViewDelays, Projection):
    """BrainPy's ``SynConn``: ``pre``, ``post`` and ``conn`` (a connector called with the group sizes)."""

    def __init__(self, pre: Any, post: Any, conn: Any = None, name: str | None = None, mode: Any = None) -> None:
        super().__init__(name=name, mode=mode)
        for role, group in (("pre", pre), ("post", post)):
            if not isinstance(group, _DynamicalSystem):
                raise TypeError(f"{role} must be a neuron group (a DynamicalSystem), got {type(group).__name__}")
        self._pre, self._post = pre, post
        self.conn = _conn(conn, pre, post)

    @property
    def pre(self) -> Any:
        return self._pre

    @property
    def post(self) -> Any:
        return self._post

    def check_pre_attrs(self, *attrs: str) -> None:
        """That ``pre`` has these attributes (BrainPy's check), else an error naming the missing one."""
        _check_attrs(self, "pre", self._pre, attrs)

    def check_post_attrs(self, *attrs: str) -> None:
        _check_attrs(self, "post", self._post, attrs)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement update()")


def _check_attrs(syn: Any, role: str, group: Any, attrs: Any) -> None:
    for attr in attrs:
        if not isinstance(attr, str):
            raise TypeError(f"attribute names must be strings, got {attr!r}")
        if not hasattr(group, attr):
            raise ValueError(f"{type(syn).__name__} needs its {role} group {group.name!r} to have {attr!r}")


class _BoundOutput:
    """A BrainPy 2.3 output bound to a synapse: ``self.output(g)`` adds the current into ``post.input``."""

    def __init__(self, output: Any, post: Any) -> None:
        from .synouts import check_into_input  # synouts imports the NMDA output, which needs this module

        check_into_input("TwoEndConn output", output)
        self._output, self._post = output, post

    def __call__(self, g: Any) -> Any:
        V = self._post.V.value if hasattr(self._post, "V") else None
        current = self._output.current(g, V)
        self._post.input.value = self._post.input.value + current
        return current


class TwoEndConn(SynConn):
    """BrainPy 2.3's ``TwoEndConn``: a ``SynConn`` with an ``output`` (``self.output(g)`` adds to ``post.input``).

    >>> import brainbatch.brainpy as bp, brainbatch.brainpy.math as bm
    >>> class Jump(bp.TwoEndConn):
    ...     def __init__(self, pre, post, conn, w=1.):
    ...         super().__init__(pre, post, conn)
    ...         self.pre2post = self.conn.require('pre2post')
    ...         self.w = w
    ...     def update(self):
    ...         self.post.input += bm.pre2post_event_sum(self.pre.spike, self.pre2post, self.post.num, self.w)
    >>> a = bp.neurons.LIF(3); s = Jump(a, a, bp.conn.All2All(include_self=False))
    >>> s.pre2post[1].tolist()
    [0, 2, 4, 6]
    """

    def __init__(self, pre: Any, post: Any, conn: Any = None, output: Any = None, stp: Any = None, ltp: Any = None,
                 mode: Any = None, name: str | None = None, init_stp: bool = True) -> None:
        super().__init__(pre, post, conn, name=name, mode=mode)
        if stp is not None or ltp is not None:
            raise TypeError(f"{type(self).__name__}: stp/ltp are not supported on a hand-written TwoEndConn; "
                            "stp= is taken by bp.synapses.Exponential, Alpha, DualExponential and Delta, and "
                            "bp.synapses.STP is a synapse with it (docs/migrating-from-brainpy.md)")
        self.output = None if output is None else _BoundOutput(output, post)


class _AllPairs(NamedTuple):
    """``bp.conn.All2All``'s graph, kept as its sizes: every pre -> post pair, less ``i -> i`` when ``no_self``."""

    n_post: int
    no_self: bool


class _SamePairs(NamedTuple):
    """``bp.conn.One2One``'s graph, kept as its size: ``i -> i`` only."""

    n: int


def _graph(syn: Any, comp_method: str) -> Any:
    """What ``syn`` multiplies by: ``_AllPairs``/``_SamePairs`` for ``bp.conn.All2All``/``One2One`` (as BrainPy,
    whatever ``comp_method``: a 2000 x 2000 matrix product each step ran 4x slower than BrainPy's sum), else the
    float32 connection matrix; an array ``g_max`` must fit (pre.num, post.num) (a transposed one failed at the
    first step with "mul got incompatible shapes")."""
    what = type(syn).__name__
    conn = syn.conn
    graph: Any = None
    if isinstance(conn, (All2All, One2One)) and conn.pre_num is not None and conn.post_num is not None:
        n_pre, n_post = conn.pre_num, conn.post_num
        if isinstance(conn, All2All):
            graph = _AllPairs(n_post, conn.excludes_self(n_pre, n_post, n_pre == n_post))
        elif n_pre == n_post:  # else conn_matrix's error on the sizes
            graph = _SamePairs(n_pre)
        if graph is not None and conn.graph_seed is None and not trace_state_clean():
            # drawn anyway, and left unused: in a sweep's traced build() each connector's draw advances the
            # count that keys the next connector's graph, so skipping it changed the graphs of those after it
            conn_matrix(conn, comp_method, what)
    shape: tuple[int, ...] = (syn._pre.num, syn._post.num)
    if graph is None:
        graph = jnp.asarray(conn_matrix(conn, comp_method, what), jnp.float32)
        shape = tuple(graph.shape)
    g_max = unwrap(syn.g_max)
    if not callable(g_max) and np.ndim(g_max) > 0:
        g_shape = tuple(np.shape(g_max))
        if not fits_shape(g_shape, shape):
            raise ValueError(f"{what}: g_max of shape {g_shape} does not fit the connection matrix (pre.num, post.num) "
                             f"= {shape}: give a number or an array of that shape")
    return graph


def _diagonal(w: Any) -> Any:
    """The diagonal of ``w`` (a float32 array that fits ``(n, n)``) as it broadcasts there, without building it."""
    if w.ndim < 2:
        return w
    if w.shape[0] == 1:
        return w[0]
    return w[:, 0] if w.shape[1] == 1 else jnp.diagonal(w)


def _weighted(g: Any, g_max: Any, graph: Any) -> Any:
    """What ``post`` receives from the presynaptic gates ``g``: ``g_max * (g @ mat)`` for a number, ``g @ (g_max *
    mat)`` for a ``(pre, post)`` matrix or a per-target vector (BrainPy takes it as the weights of its graph).

    For ``All2All`` and ``One2One`` the same sums without the matrix, in O(n_pre + n_post) a step unless ``g_max``
    is a full matrix (BrainPy's ``sum(g) * g_max``, less ``g`` without self-connections, and ``g * g_max``). They
    equal the matrix product up to float32 rounding only: the terms are the same, added in another order, and
    ``sum(g) - g_i`` takes ``g_i`` out after adding it in (an error of about 1e-7 of ``sum(g)``).

    >>> _weighted(jnp.array([1.0, 2.0]), jnp.array([[1.0, 0.0], [3.0, 4.0]]), jnp.ones((2, 2))).tolist()
    [7.0, 8.0]
    >>> _weighted(jnp.array([1.0, 2.0]), jnp.array([[1.0, 0.0], [3.0, 4.0]]), _AllPairs(2, True)).tolist()
    [6.0, 0.0]
    >>> _weighted(jnp.array([1.0, 2.0]), 0.5, _SamePairs(2)).tolist()
    [0.5, 1.0]
    """
    scalar = jnp.ndim(unwrap(g_max)) == 0
    w = g_max if scalar else jnp.asarray(unwrap(g_max), jnp.float32)
    if isinstance(graph, _SamePairs):
        return g * (w if scalar else _diagonal(w))
    if not isinstance(graph, _AllPairs):
        return g_max * (g @ graph) if scalar else g @ (w * graph)
    if scalar or w.ndim < 2 or w.shape[0] == 1:  # one weight per target: sum(g) times it
        total = jnp.sum(g, axis=-1, keepdims=True)
        out = (w if scalar or w.ndim < 2 else w[0]) * (total - g if graph.no_self else total)
    else:  # per source (one column) or per synapse
        out = jnp.sum(g * w[:, 0], axis=-1, keepdims=True) if w.shape[1] == 1 else g @ w
        if graph.no_self:
            out = out - g * _diagonal(w)
    return jnp.broadcast_to(out, (*jnp.shape(g)[:-1], graph.n_post))


class AMPA(TwoEndConn):
    """BrainPy's ``synapses.AMPA``: per presynaptic neuron ``dg/dt = alpha T (1 - g) - beta g`` with
    ``T`` on for ``T_duration`` ms after each spike; ``post`` receives ``output(g_max * conn^T g)``."""

    # made by reset_state (init_variable): declared for the type checker only
    g: Variable
    spike_arrival_time: Variable

    _defaults = dict(E=0.0, g_max=0.42, alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)

    def __init__(self, pre: Any, post: Any, conn: Any, output: Any = None, stp: Any = None, comp_method: str = "dense",
                 g_max: Any = None, delay_step: Any = None, alpha: Any = None, beta: Any = None, T: Any = None,
                 T_duration: Any = None, method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 stop_spike_gradient: bool = False) -> None:
        from .synouts import COBA

        # BrainPy 2.8.2 filters the spike by stp= (x, or u x) and only tests the result for nonzero, which a
        # spike passes whatever the terminal's state: g is the same with or without it (Li 2017's thalamus
        # notebook gives it). The terminal still runs, so that syn.stp.u / .x read as BrainPy's.
        terminal = as_terminal(type(self).__name__, stp)
        d = self._defaults
        output = COBA(E=d["E"]) if output is None else output
        super().__init__(pre, post, conn, output=output, name=name, mode=mode)
        self.g_max = d["g_max"] if g_max is None else g_max
        self.alpha = d["alpha"] if alpha is None else alpha
        self.beta = d["beta"] if beta is None else beta
        self.T = d["T"] if T is None else T
        self.T_duration = d["T_duration"] if T_duration is None else T_duration
        _checked(type(self).__name__, g_max=self.g_max, alpha=self.alpha, beta=self.beta, T=self.T,
                 T_duration=self.T_duration)
        if comp_method not in ("sparse", "dense"):
            raise ValueError(f"{type(self).__name__}: comp_method must be 'sparse' or 'dense', got {comp_method!r}")
        # BrainPy multiplies by the dense matrix or the CSR structure: bp.conn.FixedProb draws them by two laws
        self._mat = _graph(self, comp_method)
        self._delay_id = None
        steps = _delay_steps(type(self).__name__, delay_step)
        if steps > 0:
            # without a delay the synapse reads the spikes of the step before (the groups update after
            # it); delay_step d reads those of d steps before that, recorded at the end of step i-1-d
            self._delay_id, self._read_steps = f"{self.name}.spike", steps + 1
            self.register_delay(self._delay_id, self._read_steps, pre.spike)
        self.stp = terminal
        if terminal is not None:
            terminal.attach(self._pre, self.name)
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        self.init_variable("g", 0.0, shape=self._pre.varshape, batch_size=batch_size)
        self.init_variable("spike_arrival_time", -1e7, shape=self._pre.varshape, batch_size=batch_size)

    def update(self, pre_spike: Any = None) -> Any:
        if pre_spike is None:
            pre_spike = (self._pre.spike.value if self._delay_id is None else self.get_delay_data(
                self._delay_id, self._read_steps - int(updated(self._pre))))
        if self.stp is not None:
            pre_spike = self.stp.update(pre_spike)  # 0 where no spike, > 0 at every spike
        t, dt = share.t, share.dt
        self.spike_arrival_time.value = jnp.where(pre_spike, t, self.spike_arrival_time.value)
        TT = ((t - self.spike_arrival_time.value) < self.T_duration) * self.T
        # exact for the linear ODE over one step (what exponential Euler gives for it)
        rate = self.alpha * TT + self.beta
        g_inf = self.alpha * TT / rate
        g = self.g.value
        self.g.value = g_inf + (g - g_inf) * jnp.exp(-rate * dt)
        return cast(_BoundOutput, self.output)(_weighted(self.g.value, self.g_max, self._mat))


class GABAa(AMPA):
    """BrainPy's ``synapses.GABAa``: ``AMPA`` with ``E=-80``, ``g_max=0.04``, ``alpha=0.53``,
    ``beta=0.18``, ``T=1``, ``T_duration=1`` (Destexhe & Paré 1999)."""

    _defaults = dict(E=-80.0, g_max=0.04, alpha=0.53, beta=0.18, T=1.0, T_duration=1.0)


class NMDA(TwoEndConn):
    """BrainPy 2.3's ``synapses.NMDA``: per presynaptic neuron the NMDA gating of ``bp.dyn.NMDA`` (``g`` rises
    through ``x``, which each spike raises by 1; ``a`` 0.5 /ms, ``tau_decay`` 100 ms, ``tau_rise`` 2 ms), and
    ``post`` receives ``output(g_max * conn^T g)`` through a magnesium block (``MgBlock(E=0, alpha=0.062,
    beta=3.57, cc_Mg=1.2)`` by default), as BrainPy's class wraps its own ``NMDA`` dynamics.

    >>> import brainbatch.brainpy as bp
    >>> E = bp.neurons.LIF(4)
    >>> s = bp.synapses.NMDA(E, E, bp.conn.All2All())
    >>> s.g.shape, s.g_max
    ((4,), 0.15)
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: Any = None, stp: Any = None, comp_method: str = "dense",
                 g_max: Any = 0.15, delay_step: Any = None, tau_decay: Any = 100.0, a: Any = 0.5, tau_rise: Any = 2.0,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 stop_spike_gradient: bool = False) -> None:
        from ._nmda import NMDA as _Gating
        from .synouts import MgBlock

        for what, value in (("a", a), ("tau_decay", tau_decay), ("tau_rise", tau_rise)):
            if np.size(value) != 1:  # BrainPy's own rule: one value for the whole synapse
                raise ValueError(f"NMDA: {what} must be one number, got {value!r}")
        super().__init__(pre, post, conn, output=MgBlock(E=0.0, alpha=0.062, beta=3.57, cc_Mg=1.2)
                         if output is None else output, name=name, mode=mode)
        _checked("NMDA", g_max=g_max)
        self.g_max, self.tau_decay, self.tau_rise, self.a = g_max, tau_decay, tau_rise, a
        self._wire(_Gating(pre.size, pre.keep_size, method=method, a=a, tau_decay=tau_decay, tau_rise=tau_rise),
                   comp_method, delay_step, stp)

    def _wire(self, syn: Any, comp_method: str, delay_step: Any, stp: Any) -> None:
        """The gating ``syn`` (one per presynaptic neuron), the connection matrix, the spike delay and the
        ``stp=`` terminal: as BrainPy 2.8.2, NMDA's ``x`` rises by the filtered spike (``x``, or ``u x``);
        BioNMDA's pulse starts where it is nonzero, at every spike."""
        self.syn = syn
        self.stp = as_terminal(type(self).__name__, stp)
        if self.stp is not None:
            self.stp.attach(self._pre, self.name)
        if comp_method not in ("sparse", "dense"):
            raise ValueError(f"{type(self).__name__}: comp_method must be 'sparse' or 'dense', got {comp_method!r}")
        self._mat = _graph(self, comp_method)
        self._delay_id = None
        steps = _delay_steps(type(self).__name__, delay_step)
        if steps > 0:  # as AMPA: d steps before the step before
            self._delay_id, self._read_steps = f"{self.name}.spike", steps + 1
            self.register_delay(self._delay_id, self._read_steps, self._pre.spike)

    @property
    def g(self) -> Variable:
        """The gating variable, one per presynaptic neuron (BrainPy's ``syn.g``)."""
        return self.syn.g

    @property
    def x(self) -> Variable:
        """The rise variable, one per presynaptic neuron (BrainPy's ``syn.x``)."""
        return self.syn.x

    def update(self, pre_spike: Any = None) -> Any:
        if pre_spike is None:
            pre_spike = (self._pre.spike.value if self._delay_id is None else self.get_delay_data(
                self._delay_id, self._read_steps - int(updated(self._pre))))
        spike = jnp.asarray(pre_spike, jnp.float32) if self.stp is None else self.stp.update(pre_spike)
        g = self.syn.update(spike)
        return cast(_BoundOutput, self.output)(_weighted(g, self.g_max, self._mat))


class BioNMDA(NMDA):
    """BrainPy 2.3's ``synapses.BioNMDA``: per presynaptic neuron the second-order kinetics of ``bp.dyn.BioNMDA``
    (``dg/dt = alpha1 x (1 - g) - beta1 g``, ``dx/dt = alpha2 T (1 - x) - beta2 x``, ``T = T_0`` for ``T_dur`` ms
    after a spike), and ``post`` receives ``output(g_max * conn^T g)`` through a magnesium block
    (``MgBlock(E=0)``), as BrainPy's class wraps its own ``BioNMDA`` dynamics.

    >>> import brainbatch.brainpy as bp
    >>> E = bp.neurons.LIF(4)
    >>> s = bp.synapses.BioNMDA(E, E, bp.conn.All2All())
    >>> s.g.shape, s.x.shape, s.g_max
    ((4,), (4,), 0.15)
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: Any = None, stp: Any = None, comp_method: str = "dense",
                 g_max: Any = 0.15, delay_step: Any = None, alpha1: Any = 2.0, beta1: Any = 0.01, alpha2: Any = 1.0,
                 beta2: Any = 0.5, T_0: Any = 1.0, T_dur: Any = 0.5, method: str = "exp_auto", mode: Any = None,
                 name: str | None = None, stop_spike_gradient: bool = False) -> None:
        from ._nmda import BioNMDA as _Gating
        from .synouts import MgBlock

        for what, value in (("alpha1", alpha1), ("beta1", beta1), ("alpha2", alpha2), ("beta2", beta2),
                            ("T_0", T_0), ("T_dur", T_dur)):
            if np.size(value) != 1:  # BrainPy's own rule: one value for the whole synapse
                raise ValueError(f"BioNMDA: {what} must be one number, got {value!r}")
        TwoEndConn.__init__(self, pre, post, conn, output=MgBlock(E=0.0) if output is None else output, name=name,
                            mode=mode)
        _checked("BioNMDA", g_max=g_max, alpha1=alpha1, beta1=beta1, alpha2=alpha2, beta2=beta2, T_0=T_0, T_dur=T_dur)
        self.g_max, self.alpha1, self.beta1, self.alpha2, self.beta2 = g_max, alpha1, beta1, alpha2, beta2
        self.T_0, self.T_dur = T_0, T_dur
        self._wire(_Gating(pre.size, pre.keep_size, method=method, alpha1=alpha1, beta1=beta1, alpha2=alpha2,
                           beta2=beta2, T=T_0, T_dur=T_dur), comp_method, delay_step, stp)
