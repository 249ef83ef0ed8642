"""``Ion``: a membrane ion that hosts the channels reading its reversal potential ``E`` and concentration ``C``
(BrainPy 2.8.2's ``Ion``, ``Sodium``, ``Potassium``, ``Calcium``); ``HostedChannel``, the base of such channels.

An ion is a channel of its group (``self.Ca = CalciumDetailed(size)``): the group steps it and adds its
current, which is the sum of its channels' currents. Its channels are added with ``add_elem`` (or as keyword
arguments) and take the ion's state as an ``IonInfo(C, E)`` after ``V``: ``update(V, info)``,
``current(V, info)``, ``reset_state(V, info, batch_size)``; a channel reading several ions (``IAHP_De1994v2``)
takes one ``IonInfo`` per ion, in the order of its ``ions``, and lives on a ``MixIons`` of those ions.
"""
from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

import jax
import jax.numpy as jnp

from ...core.errors import keywords_named
from ...core.graph import iter_attr_nodes
from ...core.modes import Mode
from ...core.variable import Variable
from ._base import IonChannel

__all__ = ["IonInfo", "HostedChannel", "ChannelHost", "Ion", "Sodium", "Potassium", "Calcium", "check_channel_name"]


@keywords_named
class IonInfo(NamedTuple):
    """An ion's concentration ``C`` (mM) and reversal potential ``E`` (mV), as its channels read them."""

    C: Any
    E: Any


def _value(x: Any) -> Any:
    return x.value if isinstance(x, Variable) else x


def check_channel_name(owner: Any, key: Any) -> str:
    """``key`` as the attribute name of a channel on ``owner`` (a valid, unused identifier)."""
    if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
        raise ValueError(f"{type(owner).__name__}: a channel's name must be an identifier not starting with '_', "
                         f"got {key!r}")
    if hasattr(type(owner), key):  # a method or property of the ion (update, current, info...): it would be replaced
        raise ValueError(f"{type(owner).__name__}: {key!r} names a method or attribute of {type(owner).__name__}; give "
                         "the channel another name")
    existing = owner.__dict__.get(key)
    if existing is not None:
        raise ValueError(f"{type(owner).__name__}: {key!r} is already taken by {existing!r}; give the channel "
                         "another name")
    return key


def raise_without_group(ion: Any) -> None:
    """An ion stepped on its own (given to a runner): it takes the membrane potential of its group."""
    raise TypeError(f"{type(ion).__name__} is stepped by the conductance-based group it belongs to (it needs the "
                    f"group's V): make it an attribute of a CondNeuGroup, e.g. self.Ca = {type(ion).__name__}(size)"
                    ", and run the group")


class HostedChannel(IonChannel):
    """Base of channels that read an ion: ``ions`` names the ion classes they need, in the order their methods
    take the ions' ``IonInfo``. Put on its ion (or a ``MixIons``) with ``add_elem``, never on the group.

    >>> class ICaFixed(HostedChannel):  # a calcium current of fixed conductance, E from the ion
    ...     ions = (Calcium,)
    ...     def current(self, V, ca): return 0.1 * (ca.E - V)
    >>> float(ICaFixed(1).current(-60.0, IonInfo(C=2.4e-4, E=120.0)))
    18.0
    """

    #: the ion classes this channel reads, in the order its methods take their IonInfo
    ions: ClassVar[tuple[type, ...]] = ()

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        object.__setattr__(self, "_host", None)  # the ion (or MixIons) it is on: a reference, not a child

    def _graph_reset_args(self) -> tuple | None:
        host: Any = self.__dict__.get("_host")
        V = None if host is None else host._master_V()
        return None if V is None or host is None else (V, *host.infos_for(self))

    def reset_state(self, V: Any = None, *infos_and_batch: Any) -> None:  # noqa: D102
        pass

    def update(self, V: Any, *infos: IonInfo) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update(V, *infos)")

    def current(self, V: Any, *infos: IonInfo) -> jax.Array:
        raise NotImplementedError(f"{type(self).__name__} must implement current(V, *infos)")


class ChannelHost(IonChannel):
    """What an ion and a ``MixIons`` share: hosted channels, added with ``add_elem`` (checked by the subclass's
    ``_check_channel``), stepped and reset with the ``IonInfo`` that ``infos_for`` gives each of them."""

    def add_elem(self, *elems: HostedChannel, **named: HostedChannel) -> None:
        """Add channels (positional ones under their ``name``, keyword ones under the keyword)."""
        items = [(getattr(ch, "name", None), ch) for ch in elems] + list(named.items())
        for key, channel in items:  # all checked before any is added
            self._check_channel(key, channel)
        for key, channel in items:
            name = check_channel_name(self, key)
            setattr(self, name, channel)
            object.__setattr__(channel, "_host", self)
            self._added(name, channel)

    def _check_channel(self, key: Any, channel: Any) -> None:
        raise NotImplementedError

    def _added(self, key: str, channel: HostedChannel) -> None:
        """Called for each channel once it is here."""

    def channels(self) -> dict[str, HostedChannel]:
        """The channels here, in the order they were added."""
        return {k: v for k, v in iter_attr_nodes(self) if isinstance(v, HostedChannel)}

    def infos_for(self, channel: HostedChannel) -> tuple[IonInfo, ...]:
        """The ``IonInfo`` of each ion ``channel`` reads, in the order of its ``ions``."""
        raise NotImplementedError

    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:  # type: ignore[override]
        self.reset_channels(V, batch_size)

    def reset_channels(self, V: Any, batch_size: int | None = None) -> None:
        """Reset every channel here for the group's ``V`` (a subclass resets its own state first)."""
        for channel in self.channels().values():
            channel.reset_state(V, *self.infos_for(channel), batch_size)

    def update(self, V: Any = None) -> None:
        if V is None:
            raise_without_group(self)
        for channel in self.channels().values():
            channel.update(V, *self.infos_for(channel))


class Ion(ChannelHost):
    """Base of ions: hosts ``HostedChannel``s whose ``ions`` is this ion's kind; ``C`` and ``E`` are set by the
    subclass (parameters of a fixed ion, Variables of a dynamic one).

    >>> from brainbatch.models.channels import CalciumFixed, ICaT_HP1992
    >>> ca = CalciumFixed(2, E=120.0); ca.add_elem(IT=ICaT_HP1992(2)); sorted(ca.channels())
    ['IT']
    """

    #: concentration (mM) and reversal potential (mV): set by the subclass
    C: Any
    E: Any

    def __init__(self, size: Any, keep_size: bool = False, method: str = "exp_euler", name: str | None = None,
                 mode: Mode | None = None, **channels: HostedChannel) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        # channels of MixIons that read this ion (key -> (mix, channel)): references, not children
        object.__setattr__(self, "_external", {})
        object.__setattr__(self, "_pending", channels)  # added once the subclass has set C and E (_add_pending)

    def _add_pending(self) -> None:
        pending = self.__dict__.pop("_pending", None)
        if pending:
            self.add_elem(**pending)

    def _check_channel(self, key: Any, channel: Any) -> None:
        kind = type(self).__name__
        if not isinstance(channel, HostedChannel):
            raise TypeError(f"{kind}.add_elem({key}=...): a channel reading this ion's E or C is needed (e.g. "
                            f"ICaT_HP1992(size) on a calcium ion), got {channel!r}; channels with their own E "
                            "(IL, INa_HH1952, ...) go on the group")
        wanted = channel.ions
        if len(wanted) != 1:
            raise TypeError(f"{kind}.add_elem({key}=...): {type(channel).__name__} reads "
                            f"{' and '.join(c.__name__ for c in wanted)}: add it to mix_ions(...) of those ions")
        if not isinstance(self, wanted[0]):
            raise TypeError(f"{kind}.add_elem({key}=...): {type(channel).__name__} needs a {wanted[0].__name__} "
                            f"ion, not {kind}")
        if channel.num != self.num:
            raise ValueError(f"{kind}.add_elem({key}=...): the channel has {channel.num} elements, the ion {self.num}")
        if channel.__dict__.get("_host") is not None:
            raise ValueError(f"{kind}.add_elem({key}=...): {channel.name} is already on {channel.__dict__['_host'].name}")

    def info(self, C: Any = None, E: Any = None) -> IonInfo:
        """``IonInfo`` of this ion (its present ``C`` and ``E`` unless given)."""
        return IonInfo(_value(self.C) if C is None else C, _value(self.E) if E is None else E)

    def infos_for(self, channel: HostedChannel) -> tuple[IonInfo, ...]:
        return (self.info(),)

    def current(self, V: Any, C: Any = None, E: Any = None, external: bool = False) -> Any:
        """The sum of this ion's channels' currents (µA/cm², inward positive) at ``C`` and ``E`` (default: the
        ion's); ``external=True`` adds those of the ``MixIons`` channels reading this ion."""
        info = self.info(C, E)
        total: Any = 0.0
        for channel in self.channels().values():
            total = total + channel.current(V, info)
        if external:
            for mix, channel in self.__dict__["_external"].values():
                infos = tuple(info if isinstance(self, kind) else mix.ion_of(kind).info() for kind in channel.ions)
                total = total + channel.current(V, *infos)
        return jnp.asarray(total)


class Sodium(Ion):
    """Base of sodium ions (what ``*_v2`` sodium channels need)."""


class Potassium(Ion):
    """Base of potassium ions (what ``*_v2`` potassium channels and ``IK_Leak`` need)."""


class Calcium(Ion):
    """Base of calcium ions (what the calcium channels need)."""
