"""``CondNeuGroupLTC`` and ``CondNeuGroup``: conductance-based neurons assembled from ion channels
(BrainPy 2.8.2's classes: their arguments, defaults and step)."""
from __future__ import annotations

from typing import Any

import brainunit as u
import jax
import jax.numpy as jnp

from ...core.graph import iter_attr_nodes
from ...core.initializers import Uniform
from ...core.variable import Variable
from ...core.checks import check_bool
from ..neurons._base import SpikingNeuron, check_initializer
from ._base import IonChannel
from ._ion import HostedChannel
from ._mix import MixIons

__all__ = ["CondNeuGroupLTC", "CondNeuGroup"]


class CondNeuGroupLTC(SpikingNeuron):
    r"""A group whose membrane current is the sum of its channels' (BrainPy's ``CondNeuGroupLTC``)::

        C dV/dt = sum_channels current(V) + sum_current_inputs(V) + input * 1e-3 / A

    Channels are ``IonChannel`` attributes (``self.INa = INa_HH1952(size)`` in a subclass's
    ``__init__``) or keyword arguments (``CondNeuGroupLTC(10, INa=..., IK=...)``). Each step (BrainPy's
    order): V is integrated with the channels' gates of the step start (exponential Euler linearises
    every current in V, synaptic ones too: "liquid time constant"), delta inputs are added, then every
    channel advances its gates with the V of the step start; a spike is an upward crossing of ``V_th``.
    Channel currents are densities in µA/cm² (``g_max`` in mS/cm² times mV). ``input`` is a current in nA
    (``update(x)``, a Runner's ``("E.input", 10 * u.nA)``, a ``Delta`` onto ``input``), scaled by ``1e-3 / A``
    into µA/cm² (``A``: membrane area in cm², default 1e-3, so 1 nA is 1 µA/cm²); synaptic currents are
    densities (a ``CUBA`` weight is in µA/cm², as onto ``HH``) and are not scaled. V starts from
    ``V_initializer``; gates start at their steady state for it.

    Args:
        size: neurons. C: membrane capacitance (µF/cm²). A: membrane area (cm²). V_th: spike threshold (mV).
        V_initializer: initial V (``Uniform(-70, -60)``). noise: Wiener noise on V (mV/sqrt(ms); a number or
        one per neuron), added after the integration as BrainPy's ``sdeint``. method: integrator of V.
        **channels: channels by name.

    >>> import brainbatch as bb, jax.numpy as jnp
    >>> from brainbatch.models.channels import INa_HH1952, IK_HH1952, IL
    >>> hh = CondNeuGroupLTC(1, V_initializer=bb.Constant(-65.), INa=INa_HH1952(1), IK=IK_HH1952(1),
    ...                      IL=IL(1, E=-54.387, g_max=0.03))
    >>> hh.reset()
    >>> spikes = bb.for_loop(lambda i: hh.step_run(i, 10.), jnp.arange(1000), dyn_vars=hh)  # 100 ms
    >>> int(spikes.sum())  # BrainPy 2.8.2: 9 (bench/brainpy_ported_references.py hh_channels)
    9
    """

    # made by reset_state (init_variable): declared for the type checker only
    V: Variable
    input: Variable
    spike: Variable

    #: the synaptic currents' unit (a CUBA weight's: densities, as the channels'); ``input`` is a current in nA
    current_units = "uA/cm^2"
    input_units = "nA"

    #: units of the physical parameters (docs/units.md)
    param_units = {"C": u.uF / u.cm**2, "A": u.cm**2, "V_th": u.mV, "V_initializer": u.mV,
                   "noise": u.mV / u.ms**0.5}

    def __init__(self, size: Any, keep_size: bool = False, C: Any = 1.0, A: Any = 1e-3, V_th: Any = 0.0,
                 V_initializer: Any = Uniform(-70.0, -60.0), noise: Any = None, method: str = "exp_euler",
                 name: str | None = None, mode: Any = None, init_var: bool = True, input_var: bool = True,
                 spk_type: Any = None, **channels: IonChannel) -> None:
        super().__init__(size, keep_size=keep_size, method=method, name=name, mode=mode)
        self.set_noise(noise)
        if spk_type not in (None, bool, jnp.bool_):
            raise TypeError(f"{type(self).__name__}: spikes are bool; spk_type={spk_type!r} is not supported")
        if not check_bool("input_var", input_var):
            raise TypeError(f"{type(self).__name__}: input_var=False is not supported (the group keeps `input`)")
        self.C = self.param("C", C, positive=True)
        self.A = self.param("A", A, positive=True)
        self.V_th = self.param("V_th", V_th)
        self._V_initializer = check_initializer("V_initializer", V_initializer)
        for key, channel in channels.items():
            if not isinstance(channel, IonChannel):
                raise TypeError(f"channel {key!r} must be an IonChannel (e.g. INa_HH1952(size)), got {channel!r}")
            setattr(self, key, channel)
        if check_bool("init_var", init_var):
            self.reset_state()

    def channels(self) -> dict[str, IonChannel]:
        """The channels (``IonChannel`` attributes), in attribute order."""
        found = {}
        for key, node in iter_attr_nodes(self):
            if isinstance(node, IonChannel):
                if isinstance(node, HostedChannel):
                    if node.__dict__.get("_host") is not None:  # also on its ion, which steps it
                        continue
                    kinds = " and ".join(ion.__name__ for ion in node.ions)
                    example = {"Sodium": "self.Na = SodiumFixed(size); self.Na", "Potassium":
                               "self.K = PotassiumFixed(size); self.K", "Calcium":
                               "self.Ca = CalciumDetailed(size); self.Ca"}.get(node.ions[0].__name__, "self.ion")
                    if len(node.ions) > 1:
                        example = "self.mix = mix_ions(self.K, self.Ca); self.mix"
                    raise TypeError(f"channel {key!r} ({type(node).__name__}) reads its reversal potential or "
                                    f"concentration from {kinds}: add it to such an ion ({example}.add_elem("
                                    f"{key}=...)), not to the group")
                if node.num != self.num:
                    raise ValueError(f"channel {key!r} has {node.num} elements but the group {self.name!r} has "
                                     f"{self.num} neurons")
                node._master = self
                found[key] = node
        for key, node in found.items():  # a mixed ion outside the group would never be stepped
            if isinstance(node, MixIons):
                for ion in node.ions:
                    if not any(ion is other for other in found.values()):
                        raise ValueError(f"channel {key!r} mixes {type(ion).__name__} ion {ion.name!r}, which is not "
                                         f"a channel of the group {self.name!r}: make the ions the group's first "
                                         f"(self.K = PotassiumFixed(size); self.Ca = CalciumDetailed(size); "
                                         f"self.{key} = mix_ions(self.K, self.Ca))")
        return found

    def reset_state(self, batch_size: int | None = None) -> None:
        V = self.init_variable("V", self._V_initializer, batch_size=batch_size, units="mV",
                               description="membrane potential")
        self.init_input_and_spike(batch_size)
        for channel in self.channels().values():
            channel.reset_state(V.value, batch_size)

    def _synaptic(self, V: jax.Array) -> Any:
        return self.sum_current_inputs(V)

    def derivative(self, V: jax.Array, t: Any, I: jax.Array) -> jax.Array:
        I = I + self._synaptic(V)
        for channel in self.channels().values():
            I = I + channel.current(V)
        return I / self.C

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        I = self.input.value * (1e-3 / jnp.asarray(self.A, jnp.float32))
        V_old = self.V.value
        V = self.membrane_noise(self.integrate(self.derivative, V_old, I)) + self.sum_delta_inputs()
        for channel in self.channels().values():
            channel.update(V_old)
        spike = jnp.logical_and(V >= self.V_th, V_old < self.V_th)
        self.V.value, self.spike.value = V, spike
        return spike


class CondNeuGroup(CondNeuGroupLTC):
    """As ``CondNeuGroupLTC``, except that synaptic currents are evaluated once per step at the V of the
    step start and held (BrainPy's ``CondNeuGroup``): only the channels' conductances enter the
    exponential-Euler linearisation.

    >>> from brainbatch.models.channels import IL
    >>> g = CondNeuGroup(2, IL=IL(2)); sorted(g.channels())
    ['IL']
    """

    def update(self, x: Any = None) -> jax.Array:
        held = self.sum_current_inputs(self.V.value)
        setattr(self, "_synaptic", lambda V: held)  # an instance attribute over the method, for this step
        try:
            return super().update(x)
        finally:
            del self._synaptic
