"""``MixIons`` / ``mix_ions``: several ions hosting the channels that read more than one of them (BrainPy
2.8.2's ``MixIons``, e.g. ``IAHP_De1994v2`` reading calcium's ``C`` and potassium's ``E``)."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ._ion import ChannelHost, HostedChannel, Ion, IonInfo

__all__ = ["MixIons", "mix_ions"]


class MixIons(ChannelHost):
    """Channels reading several ions, a channel of the group like an ion (``self.KCa = mix_ions(self.K, self.Ca)``).

    Each channel takes one ``IonInfo`` per class in its ``ions``, from the ion of that class here; its current
    enters V here (once), and each ion it reads lists it (``external``, which BrainPy's calcium dynamics add to
    the calcium current). The ions stay the group's channels: here they are references, not children.

    >>> from brainbatch.models.channels import CalciumFixed, PotassiumFixed
    >>> MixIons(PotassiumFixed(2), CalciumFixed(2)).ion_of(CalciumFixed).E
    120.0
    """

    def __init__(self, *ions: Ion, **channels: HostedChannel) -> None:
        if len(ions) < 2 or not all(isinstance(ion, Ion) for ion in ions):
            raise TypeError(f"MixIons takes two ions or more (e.g. mix_ions(self.K, self.Ca)), got {ions!r}")
        kinds = [next(c for c in type(ion).__mro__ if Ion in c.__bases__) for ion in ions]
        if len(set(kinds)) != len(kinds):  # ion_of would only ever find the first of a kind
            twice = next(k for k in kinds if kinds.count(k) > 1)
            raise ValueError(f"MixIons: one ion of each kind, got {kinds.count(twice)} {twice.__name__} ions "
                             f"({[type(i).__name__ for i in ions]})")
        sizes = {tuple(ion.varshape) for ion in ions}
        if len(sizes) != 1:
            raise ValueError(f"MixIons: the ions must have one shape, got {sorted(sizes)}")
        first = ions[0]
        super().__init__(first.size, keep_size=first.keep_size, method=first.method, mode=first.mode)
        object.__setattr__(self, "_ions", tuple(ions))
        self.add_elem(**channels)

    @property
    def ions(self) -> tuple[Ion, ...]:
        """The ions mixed (in the order given)."""
        return self.__dict__["_ions"]

    def ion_of(self, kind: type) -> Ion:
        """The ion of class ``kind`` here."""
        for ion in self.ions:
            if isinstance(ion, kind):
                return ion
        raise TypeError(f"MixIons has no {kind.__name__} ion: it mixes {[type(i).__name__ for i in self.ions]}")

    def _check_channel(self, key: Any, channel: Any) -> None:
        if not isinstance(channel, HostedChannel) or len(channel.ions) < 2:
            raise TypeError(f"MixIons.add_elem({key}=...): a channel reading several ions is needed (e.g. "
                            f"IAHP_De1994v2); a channel of one ion goes on that ion, got {channel!r}")
        for kind in channel.ions:
            self.ion_of(kind)
        if channel.num != self.num:
            raise ValueError(f"MixIons.add_elem({key}=...): the channel has {channel.num} elements, the ions {self.num}")

    def _added(self, key: str, channel: HostedChannel) -> None:
        for kind in channel.ions:  # each ion it reads lists it (BrainPy's calcium adds its current to I_Ca)
            self.ion_of(kind).__dict__["_external"][f"{self.name}.{key}"] = (self, channel)

    def infos_for(self, channel: HostedChannel) -> tuple[IonInfo, ...]:
        return tuple(self.ion_of(kind).info() for kind in channel.ions)

    def current(self, V: Any) -> Any:
        total: Any = 0.0
        for channel in self.channels().values():
            total = total + channel.current(V, *self.infos_for(channel))
        return jnp.asarray(total)


def mix_ions(*ions: Ion) -> MixIons:
    """``MixIons(*ions)`` (BrainPy's helper).

    >>> from brainbatch.models.channels import CalciumFixed, PotassiumFixed
    >>> len(mix_ions(PotassiumFixed(1), CalciumFixed(1)).ions)
    2
    """
    return MixIons(*ions)
