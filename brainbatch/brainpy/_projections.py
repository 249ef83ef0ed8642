"""BrainPy's projections as brainbatch's ``Projection`` (pre spikes -> synapses -> synaptic state -> output).

BrainPy 2.3: ``synapses.Exponential(pre, post, conn, output=COBA(E), g_max=w, tau=...)``; as in BrainPy,
the output's current is added into ``post.input`` (``target_var='input'``) when the synapse updates.
BrainPy 2.4: ``dyn.FullProjAlignPost(pre, delay, comm, syn, out, post)`` and the other aligned
projections, with ``comm`` from ``bp.dnn``. For linear synapses (exponential, alpha, dual exponential)
aligning the state with pre or post gives the same currents, so every variant keeps the state on the
postsynaptic side, where brainbatch's Projection holds it.
"""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from ..core import share
from ..core.pytree import flatten, unflatten
from ..core.checks import is_int
from ..models import AlignPreProjection, Projection
from ..models.synapses import AbstractOutput, AbstractSynapse
from ._dualexp import TwoGateDualExponential
from ._halfproj import refuse_saturating_on_post
from ._method_pair import MethodAlpha, MethodDualExpon
from ..models.synapses import Exponential as _Exponential
from ._base import Desc
from ._compat import BrainPyCalls, MethodDecay, method_name, refs_of
from ._old_style import IntoInput, StepDelay, as_connector, as_weight, delay_ms
from ._stp import as_terminal
from ._view import ViewEnds
from .dnn import _Comm
from .synouts import CUBA, check_into_input

__all__ = ["Exponential", "Alpha", "DualExponential", "FullProjAlignPost", "ProjAlignPostMg2", "FullProjAlignPostMg",
           "FullProjAlignPreSDMg", "FullProjAlignPreDSMg", "ProjAlignPreMg1", "ProjAlignPreMg2", "FullProjAlignPreSD",
           "FullProjAlignPreDS"]


def _warn_null_output(what: str) -> None:
    """BrainPy 2.4.3-2.8.2 give ``bp.synapses.Alpha`` and ``DualExponential`` ``output=None`` (``_NullSynOut``): the
    synapse steps ``g`` and adds nothing to the postsynaptic group. brainbatch adds ``CUBA`` (what their docs and
    BrainPy 2.3 did; docs/migrating-from-brainpy.md): said here, as the numbers differ silently otherwise."""
    import warnings

    from ._compat import BrainPyDifferenceWarning, outside_brainbatch

    warnings.warn(f"bp.synapses.{what} without output=: BrainPy 2.8.2 gives it no output, so its current reaches no "
                  f"group (the postsynaptic neurons run as if unconnected); brainbatch adds it as a current "
                  f"(bp.synouts.CUBA()). Pass output=bp.synouts.CUBA() (or COBA(E=...)) to silence this "
                  f"(docs/migrating-from-brainpy.md)", BrainPyDifferenceWarning, stacklevel=outside_brainbatch())


class _TwoEnd(BrainPyCalls, ViewEnds, IntoInput, StepDelay, Projection):
    """BrainPy 2.3 two-end synapse: ``g_max`` is the weight, ``delay_step`` the delay in steps."""

    def _setup(self, pre: Any, post: Any, conn: Any, syn: AbstractSynapse, output: Any, stp: Any, comp_method: Any,
               g_max: Any, delay_step: Any, method: Any,
               name: Any, mode: Any) -> Any:
        if comp_method not in ("sparse", "dense", "jitconn", "csr"):
            raise ValueError(f"comp_method must be 'sparse' or 'dense', got {comp_method!r}")
        method_name(method)  # checked here; each synapse steps by it (set_method)
        if output is None and getattr(self, "syn_on_pre", False):
            _warn_null_output(type(self).__name__)
        out = CUBA() if output is None else output
        check_into_input(type(self).__name__, out)
        conn = as_connector(conn, pre, post, comp_method)
        self._base_init(pre, post, conn, syn, out, weight=as_weight(g_max, conn, type(self).__name__, pre, post),
                        delay=delay_ms(delay_step), stp=as_terminal(type(self).__name__, stp), name=name, mode=mode)
        self.keep_delay_steps(delay_step)
        self.route_into_input()
        self.bind_views()

    _base_init = Projection.__init__

    @property
    def g(self) -> Any:
        """The synaptic state (BrainPy's ``syn.g``; its path here is ``<name>.syn.g``)."""
        return self.syn.g


class _MethodExponential(MethodDecay, _Exponential):
    """brainbatch's exponential synapse, its decay stepped by a BrainPy ``method``."""


class Exponential(_TwoEnd):
    """``g`` jumps by ``g_max`` per presynaptic spike and decays with ``tau`` (ms)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: AbstractOutput | None = None, stp: Any = None,
                 comp_method: str = "sparse", g_max: Any = 1.0, delay_step: Any = None, tau: Any = 8.0,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None) -> None:
        syn = _MethodExponential(tau)
        syn.set_method(method)  # BrainPy steps the decay by it (exactly for exp_auto)
        self._setup(pre, post, conn, syn, output, stp, comp_method, g_max, delay_step, method, name, mode)


class _TwoEndPre(_TwoEnd, AlignPreProjection):
    """BrainPy 2.3 two-end synapse aligned with pre (BrainPy's ``_TwoEndConnAlignPre``): ``g`` and ``h`` are per
    presynaptic neuron, each spike adds 1 (or what ``stp`` releases), and the post current is ``g_max`` times
    ``g`` summed over each neuron's synapses."""

    syn_on_pre = True
    _base_init = AlignPreProjection.__init__

    @property
    def h(self) -> Any:
        """The synapse's second variable (BrainPy's ``syn.h``; its path here is ``<name>.syn.h``)."""
        return self.syn.h


class Alpha(_TwoEndPre):
    """Alpha-function synapse with decay time ``tau_decay`` (ms); ``g`` and ``h`` per presynaptic neuron, stepped
    by ``method`` as BrainPy's ``odeint`` steps them (``_method_pair.py``).

    >>> import brainbatch.brainpy as bp
    >>> pre, post = bp.neurons.LIF(2), bp.neurons.LIF(3)
    >>> syn = bp.synapses.Alpha(pre, post, bp.conn.All2All(), output=bp.synouts.CUBA())  # BrainPy 2.8.2: no output
    >>> syn.g.shape, syn.h.shape
    ((2,), (2,))
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: AbstractOutput | None = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 1.0, delay_step: Any = None, tau_decay: Any = 10.0,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None) -> None:
        syn = MethodAlpha(tau_decay)
        syn.set_method(method)
        self._setup(pre, post, conn, syn, output, stp, comp_method, g_max, delay_step, method, name, mode)


class DualExponential(_TwoEndPre):
    """Dual-exponential synapse (rise ``tau_rise``, decay ``tau_decay``, ms); ``g`` and ``h`` per presynaptic
    neuron, stepped by ``method`` as BrainPy's ``odeint`` steps them (``_method_pair.py``)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: AbstractOutput | None = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 1.0, tau_decay: Any = 10.0, tau_rise: Any = 1.0,
                 delay_step: Any = None, method: str = "exp_auto", name: str | None = None, mode: Any = None) -> None:
        # BrainPy 2.5+ builds it on dyn.DualExpon with its default A: one spike makes g peak at 1 (times g_max)
        syn = MethodDualExpon(tau_rise=tau_rise, tau_decay=tau_decay)
        syn.set_method(method)
        self._setup(pre, post, conn, syn, output, stp, comp_method, g_max, delay_step, method, name, mode)


class _Aligned(BrainPyCalls, ViewEnds, Projection):
    """BrainPy 2.4 projection: ``comm`` (from ``bp.dnn``) gives the connector and the weight."""

    _syn_on_pre = False
    _syn_instance = False  # an align-pre projection that takes a synapse, not its description (no Mg)
    _bp_comm: Any  # the bp.dnn object given, set by _setup (refs['comm'])

    def _setup(self, pre: Any, post: Any, comm: Any, syn: Any, out: Any, delay: Any, name: Any, mode: Any,
               plasticity: Any = None, out_label: Any = None) -> Any:
        what = type(self).__name__
        for role, group in (("pre", pre), ("post", post)):  # before anything reads group.num
            if not is_int(getattr(group, "num", None)):
                raise TypeError(f"{what}: {role} must be a neuron group (such as bp.dyn.Lif(100)), got "
                                f"{type(group).__name__} {group!r}"[:200])
        if not isinstance(comm, _Comm):
            raise TypeError(f"{what}: comm must be a bp.dnn object such as bp.dnn.EventJitFPHomoLinear(n_pre, n_post, "
                            f"prob=0.02, weight=0.6) or bp.dnn.CSRLinear(bp.conn.FixedProb(0.02), 0.6), got {comm!r}")
        for role, n, group in (("num_in", comm.num_in, pre), ("num_out", comm.num_out, post)):
            if n is not None and n != group.num:
                raise ValueError(f"{what}: comm.{role}={n} but the group has {group.num} neurons")
        if isinstance(syn, Desc) and isinstance(syn.cls, type) and issubclass(syn.cls, AbstractOutput):
            # built with size=..., it failed as "COBA() got an unexpected keyword argument 'size'"
            raise TypeError(f"{what}: syn describes the output {syn.cls.__name__}, not a synapse; give that as out=, and as syn a "
                            "synapse such as bp.dyn.Expon.desc(size, tau=5.)")
        if isinstance(syn, Desc):
            size = syn.size()
            group = pre if self._syn_on_pre else post
            if size is not None and int(np.prod(size)) != group.num:
                raise ValueError(f"{what}: syn was described with size {size!r} but the "
                                 f"{'pre' if self._syn_on_pre else 'post'}synaptic group has {group.num} neurons")
            syn = syn.build(size=None)  # sized by the postsynaptic group when attached
        elif self._syn_on_pre and not self._syn_instance:
            raise TypeError(f"{what}: syn must be a description, e.g. bp.dyn.Expon.desc(size, tau=5.)")
        elif self._syn_on_pre:  # FullProjAlignPreSD/DS: a synapse of its own, sized by pre
            size = getattr(syn, "size", None)
            if size is not None and int(np.prod(size)) != pre.num:
                raise ValueError(f"{what}: syn has {int(np.prod(size))} neurons but the presynaptic group has "
                                 f"{pre.num}; give it the presynaptic size, e.g. bp.dyn.Expon(pre.num, tau=5.)")
            syn.size = None  # attached to pre by the projection
        if not self._syn_on_pre:
            refuse_saturating_on_post(what, syn)
        if self._syn_on_pre and comm.event:
            import warnings

            from ._compat import BrainPyDifferenceWarning, outside_brainbatch

            warnings.warn(
                f"{what} with bp.dnn.{type(comm).__name__}: BrainPy 2.8.2's event op takes every nonzero synaptic "
                f"state g as one spike and sends the full weight each step (g stays nonzero long after a spike, so a "
                f"neuron that spiked keeps driving its targets); brainbatch sends weight * g, as with bp.dnn.{type(comm).__name__[5:]}, which takes "
                f"g as it is. Use that one to silence this (docs/migrating-from-brainpy.md)",
                BrainPyDifferenceWarning, stacklevel=outside_brainbatch())
        out = out.build() if isinstance(out, Desc) else out
        check_into_input(what, out)
        object.__setattr__(self, "_bp_comm", comm)  # for refs['comm'] (a plain object, not a child node)
        # the next base in the MRO: Projection, or AlignPreProjection for the align-pre classes
        super(_Aligned, self).__init__(pre, post, comm.conn, syn, out, weight=as_weight(comm.weight, comm.conn, what, pre, post),
                            delay=None if delay is None or np.all(np.asarray(delay) == 0) else delay, name=name,
                            mode=mode, plasticity=plasticity, out_label=out_label)
        self.bind_views()

    @property
    def comm(self) -> Any:
        """BrainPy's ``proj.comm``: the ``bp.dnn`` object given (``proj.comm.weight`` is its weight, as given)."""
        return self._bp_comm

    @property
    def refs(self) -> dict:
        """BrainPy's ``proj.refs``: ``pre``, ``post``, ``syn``, ``out``, ``comm``."""
        return refs_of(self)


class FullProjAlignPost(_Aligned):
    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any, out_label: Any = None,
                 name: str | None = None,
                 mode: Any = None) -> None:
        self._setup(pre, post, comm, syn, out, delay, name, mode, out_label=out_label)


class ProjAlignPostMg2(FullProjAlignPost):
    """BrainPy's ``FullProjAlignPostMg``: there the projection adds to ``g`` and ``g`` decays in a
    before-update of ``post``, so a spike's weight reaches the neuron decayed by one step. BrainPy's exponential
    and two-gate synapses here add their input before the step's decay (``input_decays``: the running dt, the
    synapse's own ``method``); a brainbatch ``Exponential`` given directly gets a weight of ``w exp(-dt/tau)``
    (``w (1 - dt/tau)`` with ``method='euler'``; ``dt`` of construction).
    """

    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any, out_label: Any = None,
                 name: str | None = None,
                 mode: Any = None) -> None:
        super().__init__(pre, delay, comm, syn, out, post, out_label=out_label, name=name, mode=mode)
        if isinstance(self.syn, (MethodDecay, TwoGateDualExponential)):  # BrainPy's add_current, then the decay
            self.syn.input_decays = True
        elif isinstance(self.syn, _Exponential) and self._weight.is_scalar and np.ndim(self.syn.tau) == 0:
            tau = float(self.syn.tau)
            decay = 1 - share.dt / tau if self.syn.method == "euler" else np.exp(-share.dt / tau)
            self._weight.value = self._weight.value * float(decay)


FullProjAlignPostMg = ProjAlignPostMg2


class _AlignedPre(_Aligned, AlignPreProjection):
    """Align-pre: a nonlinear synapse (NMDA) keeps one state per presynaptic neuron; a linear one is kept per
    postsynaptic neuron (the same current, event-driven: about 5x faster at COBA's size), with a twin on pre,
    ``pre_syn``, stepped by the same spikes: BrainPy's ``g`` per presynaptic neuron, which ``refs['syn']`` gives."""

    _syn_on_pre = True
    #: the synapse takes the delayed spikes (BrainPy's DS order: delay, then synapse), else this step's (SD)
    _syn_after_delay = False

    def _setup(self, pre: Any, post: Any, comm: Any, syn: Any, out: Any, delay: Any, name: Any, mode: Any,
               plasticity: Any = None, out_label: Any = None) -> Any:
        twin = None
        if isinstance(syn, Desc) and isinstance(syn.cls, type) and issubclass(syn.cls, AbstractSynapse):
            candidate = syn.build(size=None)
            twin = None if self.keeps_state_on_pre(candidate) else candidate
        elif self._syn_instance and isinstance(syn, AbstractSynapse) and not self.keeps_state_on_pre(syn):
            # the script holds this instance (sized by pre) and monitors its g: it stays the presynaptic one,
            # and the projection works on a copy of it
            twin, syn = syn, unflatten(*reversed(flatten(syn)))
        super()._setup(pre, post, comm, syn, out, delay, name, mode, plasticity=plasticity, out_label=out_label)
        if twin is not None and not self._on_pre:
            twin.size = None
            twin.attach(pre, "1")  # fed spike counts (_step_pre_syn): a count, not the weight's unit
            self.pre_syn = twin
            # after the groups have updated, as BrainPy steps an align-pre synapse after pre (its after-update)
            self.add_aft_update(f"{self.name}.pre_syn", self._step_pre_syn)

    def _step_pre_syn(self) -> None:
        """Advance ``pre_syn`` by this step's spikes (BrainPy's SD order, or DS without delay), or with a delay in
        the DS order by those entering the synapses now, as ``g_post`` takes them."""
        spike = self.spikes_sent() if self._syn_after_delay and self._delay_ms is not None else self.pre.spike.value
        batch = spike.shape[: spike.ndim - len(self.pre.varshape)]
        self.pre_syn.update(spike.astype(jnp.float32).reshape(batch + self.pre_syn.varshape))

    @property
    def refs(self) -> dict:
        """BrainPy's ``proj.refs``; ``syn`` is the synapse whose ``g`` is per presynaptic neuron, as in BrainPy."""
        refs = refs_of(self)
        if "pre_syn" in self.__dict__:
            refs["syn"] = self.pre_syn
        return refs


class FullProjAlignPreSDMg(_AlignedPre):

    def __init__(self, pre: Any, syn: Any, delay: Any, comm: Any, out: Any, post: Any, out_label: Any = None,
                 name: str | None = None,
                 mode: Any = None) -> None:
        self._setup(pre, post, comm, syn, out, delay, name, mode, out_label=out_label)


class FullProjAlignPreDSMg(_AlignedPre):

    _syn_after_delay = True

    def __init__(self, pre: Any, delay: Any, syn: Any, comm: Any, out: Any, post: Any, out_label: Any = None,
                 name: str | None = None,
                 mode: Any = None) -> None:
        self._setup(pre, post, comm, syn, out, delay, name, mode, out_label=out_label)


class FullProjAlignPreSD(FullProjAlignPreSDMg):
    """``FullProjAlignPreSDMg`` with a synapse of its own (``syn=bp.dyn.Expon(pre.num, tau=5.)``, not a ``.desc``):
    BrainPy shares a described synapse between the projections that merge it, here every projection has its own
    either way, so the two give the same numbers."""

    _syn_instance = True


class FullProjAlignPreDS(FullProjAlignPreDSMg):
    """``FullProjAlignPreDSMg`` with a synapse of its own (see ``FullProjAlignPreSD``)."""

    _syn_instance = True


# BrainPy 2.8.2's aliases (brainpy/dyn/projections/__init__.py): Mg1 takes (pre, delay, syn, ...), Mg2 (pre, syn, delay, ...)
ProjAlignPreMg1, ProjAlignPreMg2 = FullProjAlignPreDSMg, FullProjAlignPreSDMg
