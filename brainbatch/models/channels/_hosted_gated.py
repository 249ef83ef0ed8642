"""``IonGatedChannel``: a ``GatedChannel`` on an ion, ``g_max * prod(gate ** power) * (E_ion - V)`` with ``E``
read from the ion (BrainPy 2.8.2's calcium channels and ``*_v2`` channels)."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from ._gated import GatedChannel
from ._ion import HostedChannel, IonInfo

__all__ = ["IonGatedChannel"]


class IonGatedChannel(HostedChannel, GatedChannel):
    """Gates as a ``GatedChannel`` (V only); the current takes its reversal potential from the ion.

    >>> from brainbatch.models.channels import ICaT_HP1992, CalciumFixed
    >>> ch = ICaT_HP1992(1); ch.reset_state(jnp.array([-60.0]), None); round(float(ch.q.value[0]), 4)
    0.01
    """

    def reset_state(self, V: Any = None, ion: IonInfo | None = None,  # type: ignore[override]
                    batch_size: int | None = None) -> None:
        GatedChannel.reset_state(self, V, batch_size)

    def update(self, V: Any, *infos: IonInfo) -> None:
        GatedChannel.update(self, V)

    def current(self, V: Any, ion: IonInfo, *others: IonInfo) -> jax.Array:  # type: ignore[override]
        return jnp.asarray(self.conductance() * (ion.E - V))
