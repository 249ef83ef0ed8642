"""BrainPy 2.3's ``bp.synapses.Delta``: each delivered spike adds ``g_max`` to a Variable of ``post``.

BrainPy 2.8.2 (``brainpy/dynold/synapses/abstract_models.py``): the synapse's output, by default
``CUBA(target_var='V')``, adds the delivered weights to ``post.V`` when the synapse updates, before
``post`` integrates, so the jump decays with the rest of the step (``bp.dyn.FullProjDelta`` adds its
jump after). brainbatch's ``Projection`` with a ``Delta`` synapse does exactly that in its deliver
phase; ``CUBA(target_var='input')`` makes it a one-step current pulse instead. ``post_ref_key``
(a Variable of ``post``, e.g. ``'refractory'``) drops what arrives while it is true.
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ..core import NeuGroup
from ..core.variable import Variable
from ..models import Projection
from ..models.synapses import Delta as _Delta
from ._compat import BrainPyCalls
from ._stp import as_terminal
from ._view import ViewEnds
from ._old_style import StepDelay, as_connector, as_weight, delay_ms
from .synouts import CUBA

__all__ = ["Delta"]


def _target(output: Any) -> str:
    """The Variable of ``post`` the spikes jump: ``output``'s ``target_var`` (BrainPy's default ``'V'``)."""
    if output is None:
        return "V"
    if not isinstance(output, CUBA):
        raise TypeError(f"Delta: output must be bp.synouts.CUBA(target_var='V') (the default) or "
                        f"CUBA(target_var='input'), got {output!r}; a conductance output has no meaning for "
                        "jumps here")
    if output.target_var is None:
        raise TypeError("Delta: output=CUBA(target_var=None) delivers the jumps nowhere; name a Variable of the "
                        "postsynaptic group: target_var='V' (the default) or 'input'")
    return output.target_var


class _GatedDelta(_Delta):
    """``Delta`` that drops the jumps of neurons whose ``post.<ref_key>`` is true (BrainPy's
    ``post_ref_key``: ``post_vs * (1 - post.refractory)``), read before ``post`` updates."""

    def __init__(self, target: str, ref_key: str | None) -> None:
        super().__init__(target)
        self._ref_key = ref_key
        self._ref: Variable | None = None

    def attach(self, post: NeuGroup, weight_units: str | None = None) -> None:
        super().attach(post, weight_units)
        if self._ref_key is None:
            return
        ref = post.__dict__.get(self._ref_key)
        if not isinstance(ref, Variable):
            names = sorted(k for k, v in vars(post).items() if isinstance(v, Variable))
            raise ValueError(f"Delta: post_ref_key={self._ref_key!r} is not a Variable of the postsynaptic group "
                             f"{post.name!r}; it has {names} (a refractory LIF has 'refractory')")
        self._ref = ref

    def update(self, x: Any = None) -> jax.Array | None:
        if x is not None and self._ref is not None:
            x = x * (1.0 - jnp.asarray(self._ref.value, jnp.float32))
        return super().update(x)


class Delta(BrainPyCalls, ViewEnds, StepDelay, Projection):
    """BrainPy 2.3's delta synapse: a spike of ``pre`` adds ``g_max`` to ``post.V`` (``output``'s
    ``target_var``), ``delay_step`` steps after the undelayed arrival (docs/migrating-from-brainpy.md).

    >>> import brainbatch.brainpy as bp
    >>> pre = bp.neurons.SpikeTimeGroup(1, indices=[0], times=[0.])
    >>> post = bp.neurons.LIF(2, V_rest=0., V_th=30.)
    >>> syn = bp.synapses.Delta(pre, post, bp.conn.All2All(), g_max=2.)
    >>> V = bp.DSRunner(bp.Network(pre=pre, post=post, syn=syn), monitors=['post.V'], progress_bar=False).run(0.31)
    >>> [round(float(v), 3) for v in V['post.V'][:, 0]]   # added in step 1, then integrated with it
    [0.0, 1.98, 1.96]
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: Any = None, stp: Any = None,
                 comp_method: str = "sparse", g_max: Any = 1.0, delay_step: Any = None, post_ref_key: str | None = None,
                 name: str | None = None, mode: Any = None, stop_spike_gradient: bool = False) -> None:
        if comp_method not in ("sparse", "dense", "jitconn", "csr"):
            raise ValueError(f"Delta: comp_method must be 'sparse' or 'dense', got {comp_method!r}")
        if post_ref_key is not None and not isinstance(post_ref_key, str):
            raise TypeError(f"Delta: post_ref_key must be the name of a Variable of post (e.g. 'refractory'), "
                            f"got {post_ref_key!r}")
        # stop_spike_gradient only changes gradients, which a simulation does not take: accepted as is
        conn = as_connector(conn, pre, post, comp_method)
        super().__init__(pre, post, conn, _GatedDelta(_target(output), post_ref_key), None,
                         weight=as_weight(g_max, conn, "Delta", pre, post),
                         delay=delay_ms(delay_step), stp=as_terminal("Delta", stp), name=name, mode=mode)
        self.keep_delay_steps(delay_step)
        self.output = CUBA(target_var=self.syn.target) if output is None else output
        self.bind_views()

    @property
    def g_max(self) -> Any:
        """The weight (BrainPy's ``g_max``)."""
        return self.weight
