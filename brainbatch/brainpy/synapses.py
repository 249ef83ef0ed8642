"""``brainbatch.brainpy.synapses`` (BrainPy 2.3): two-end synapses as brainbatch ``Projection``\\ s.

>>> import brainbatch.brainpy as bp
>>> E = bp.neurons.LIF(20, tau_ref=5.)
>>> s = bp.synapses.Exponential(E, E, bp.conn.FixedProb(0.1), g_max=0.6, tau=5., output=bp.synouts.COBA(E=0.))
>>> s.syn.tau, s.weight
(5.0, 0.6)
"""
from __future__ import annotations

from typing import Any

from ..models import PoissonInput as _PoissonInput
from ._compat import BrainPyCalls, check_none, unsupported
from ._delta import Delta
from ._gapjunction import GapJunction
from ._old_names import AlphaCOBA, AlphaCUBA, DeltaSynapse, DualExpCOBA, DualExpCUBA, ExpCOBA, ExpCUBA
from ._projections import Alpha, DualExponential, Exponential
from ._stp import STPSynapse as STP
from ._synconn import AMPA, NMDA, BioNMDA, GABAa, SynConn, TwoEndConn
from .rates import AdditiveCoupling, DiffusiveCoupling

__all__ = ["Exponential", "Alpha", "DualExponential", "PoissonInput", "DiffusiveCoupling", "AdditiveCoupling",
           "TwoEndConn", "SynConn", "AMPA", "GABAa", "NMDA", "BioNMDA", "Delta",
           "GapJunction", "STP"]
__all__ += ["ExpCUBA", "ExpCOBA", "DualExpCUBA", "DualExpCOBA", "AlphaCUBA", "AlphaCOBA", "DeltaSynapse"]  # _old_names.py


class PoissonInput(BrainPyCalls, _PoissonInput):
    """``num_input`` Poisson trains at ``freq`` Hz, each adding ``weight`` to ``target_var`` (no ``seed``)."""

    def __init__(self, target_var: Any, num_input: int, freq: Any, weight: Any, seed: Any = None, mode: Any = None,
                 name: str | None = None) -> None:
        check_none("PoissonInput", seed=seed)
        super().__init__(target_var, num_input, freq, weight, mode=mode, name=name)


_HINTS = {k: "build it from brainbatch's synapse dynamics and a Projection" for k in
          ("DelayCoupling", "DualExpon")}
_HINTS["SynOut"] = "use bp.synouts.COBA, CUBA or MgBlock (a hand-written output: compute the current in update)"
_HINTS["SynSTP"] = "use bp.synplast.STP or bp.synplast.STD (stp= of the synapse)"


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.synapses", name, _HINTS, __all__)
