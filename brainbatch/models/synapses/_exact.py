"""The current of an ``Exponential`` synapse through ``CUBA``, marked so that a neuron can integrate it exactly.

Over one step the current ``g e^{-(t - t_i)/tau_syn}`` is known in closed form, so ``LIF(method="exact")``
(and ``LifRef(method="exact")``; both default to exponential Euler) add its exact contribution to V (brainbatch/models/README.md, "Exact integration") instead of
holding it constant over the step. Any other neuron sees an ordinary current input: calling the
object returns ``g``.
"""
from __future__ import annotations

from typing import Any

import jax

__all__ = ["ExponentialCurrent"]


class ExponentialCurrent:
    """``g`` of an exponential synapse as a current input, with its time constant ``exp_tau``.

    >>> import brainbatch as bb
    >>> from brainbatch.models import Exponential
    >>> cur = ExponentialCurrent(Exponential(tau=0.5, size=2))
    >>> cur.exp_tau, cur(-65.0).tolist()
    (0.5, [0.0, 0.0])
    """

    def __init__(self, syn: Any):
        self.syn = syn

    @property
    def exp_tau(self) -> Any:
        """The decay time constant (ms) of the current over a step."""
        return self.syn.tau

    def __call__(self, V: Any = None, *args: Any, **kwargs: Any) -> jax.Array:
        return self.syn.g.value
