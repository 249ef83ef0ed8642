"""``MixIons`` / ``mix_ions``: several ions hosting the channels that read more than one of them (BrainPy
2.8.2's ``MixIons``, e.g. ``IAHP_De1994v2`` reading calcium's ``C`` and potassium's ``E``)."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from ...core.graph import iter_attr_nodes
from ._base import IonChannel
from ._ion import HostedChannel, Ion, IonInfo, check_channel_name, raise_without_group

__all__ = ["MixIons", "mix_ions"]


class MixIons(IonChannel):
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

    def add_elem(self, *elems: HostedChannel, **named: HostedChannel) -> None:
        """Add channels (positional ones under their ``name``) reading several of these ions."""
        items = [(getattr(ch, "name", None), ch) for ch in elems] + list(named.items())
        for key, channel in items:
            if not isinstance(channel, HostedChannel) or len(channel.ions) < 2:
                raise TypeError(f"MixIons.add_elem({key}=...): a channel reading several ions is needed (e.g. "
                                f"IAHP_De1994v2); a channel of one ion goes on that ion, got {channel!r}")
            for kind in channel.ions:
                self.ion_of(kind)
            if channel.num != self.num:
                raise ValueError(f"MixIons.add_elem({key}=...): the channel has {channel.num} elements, the ions {self.num}")
        for key, channel in items:
            setattr(self, check_channel_name(self, key), channel)
            object.__setattr__(channel, "_host", self)
            for kind in channel.ions:
                self.ion_of(kind).__dict__["_external"][f"{self.name}.{key}"] = (self, channel)

    def channels(self) -> dict[str, HostedChannel]:
        """The channels here, in the order they were added."""
        return {k: v for k, v in iter_attr_nodes(self) if isinstance(v, HostedChannel)}

    def infos_for(self, channel: HostedChannel) -> tuple[IonInfo, ...]:
        return tuple(self.ion_of(kind).info() for kind in channel.ions)

    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        for channel in self.channels().values():
            channel.reset_state(V, *self.infos_for(channel), batch_size)

    def update(self, V: Any = None) -> None:
        if V is None:
            raise_without_group(self)
        for channel in self.channels().values():
            channel.update(V, *self.infos_for(channel))

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
