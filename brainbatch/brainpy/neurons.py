"""``brainbatch.brainpy.neurons`` (BrainPy 2.3 names) and the neuron part of ``dyn`` (BrainPy 2.4 names).

``LIF(tau_ref=...)`` is BrainPy's ``LifRefLTC`` (its refractory rule; ``tau_ref=0``: none); ``HH`` is
brainbatch's ``HH``. Integrator names are BrainPy's (``'exp_auto'``).

>>> import brainbatch.brainpy as bp
>>> E = bp.neurons.LIF(10, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
>>> E.V.shape, float(E.tau_ref)
((10,), 5.0)
"""
from __future__ import annotations

from typing import Any

import jax
import brainunit as u
import jax.numpy as jnp

from ..core import share
from ..core.initializers import OneInit, Uniform, ZeroInit
from ..core.random import uniform as fast_uniform
from ..core.variable import Variable
from ..models import HH as _HH
from ..models import FHNNeuron as _FHNNeuron
from ..models import HindmarshRose as _HindmarshRose
from ..models import ALIF as _ALIF
from ..models import AdEx as _AdEx
from ..models import Izhikevich as _Izhikevich
from ..models import LIF as _LIF
from ..models.neurons import HeldRefractory, init_spike_clock
from ..models import PoissonGroup as _PoissonGroup
from ..models.inputs import SpikeTimeGroup as _SpikeTimeGroup
from ._held_current import CurrentAtStepStart, ltc_twin
from ._leaky import Integrator, LeakyIntegrator
from ._compat import (BrainPyCalls, check_input_var, check_none, membrane_noise, method_name, spike_kwargs,
                      unsupported)
from ._conductance_neurons import MorrisLecar, WangBuzsakiModel
from ._if_neurons import (GIF, AdQuaIF, AdQuaIFLTC, AdQuaIFRef, AdQuaIFRefLTC, ExpIF, ExpIFLTC, ExpIFRef,
                          ExpIFRefLTC, Gif, GifLTC, GifRef, GifRefLTC, QuaIF, QuaIFLTC, QuaIFRef, QuaIFRefLTC,
                          ref_arg)

__all__ = ["LIF", "LifRef", "LifRefLTC", "Lif", "LifLTC", "HH", "HHLTC", "PoissonGroup", "Izhikevich",
           "IzhikevichLTC", "IzhikevichRef", "IzhikevichRefLTC", "AdExIF", "AdExIFLTC", "AdExIFRef", "AdExIFRefLTC",
           "ExpIF", "ExpIFLTC", "ExpIFRef", "ExpIFRefLTC", "QuaIF", "QuaIFLTC", "QuaIFRef", "QuaIFRefLTC", "AdQuaIF",
           "AdQuaIFLTC", "AdQuaIFRef", "AdQuaIFRefLTC", "Gif", "GifLTC", "GifRef", "GifRefLTC", "GIF",
           "SpikeTimeGroup", "HindmarshRose", "FHN", "ALIFBellec2020"]
__all__ += ["MorrisLecar", "WangBuzsakiModel", "LeakyIntegrator", "Integrator"]  # _conductance_neurons.py, _leaky.py


class LIF(CurrentAtStepStart, BrainPyCalls, HeldRefractory, _LIF):
    """BrainPy's LIF (``LifRef``; ``LifRefLTC`` sums the current inputs inside the derivative, ``_held_current.py``): ``tau dV/dt = -(V - V_rest) + R I``, reset to ``V_reset``, and
    BrainPy's refractory rule: V is put back to its value at the start of the step while
    ``t - t_last_spike <= tau_ref`` in BrainPy's float32 times (``_refractory.py``), so what was written
    into V earlier in the step (a ``PoissonInput``, a ``Delta`` onto V) stays, and what the integration
    and delta inputs added is dropped. ``tau_ref = 0`` (the default) holds nothing.

    Not the native ``bb.LifRef`` (Brian2's rule: one held step fewer, V clamped at ``V_reset``).

    >>> import brainbatch.brainpy as bp
    >>> g = bp.neurons.LIF(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    >>> mon = bp.DSRunner(g, monitors=['spike'], inputs=('input', 30.), progress_bar=False).run(30.)
    >>> mon['spike'][:, 0].nonzero()[0].tolist()  # as BrainPy 2.8.2: V = 0 spikes at once, then 132 steps
    [0, 132, 263]
    """

    param_units = {"tau_ref": u.ms}

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = 0.0, V_reset: Any = -5.0, V_th: Any = 20.0,
                 R: Any = 1.0, tau: Any = 10.0, tau_ref: Any = None, V_initializer: Any = ZeroInit(),
                 noise: Any = None, method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R, tau=tau,
                         V_initializer=V_initializer, method=method_name(method), name=name, mode=mode,
                         noise=membrane_noise(noise))
        self.set_tau_ref(0.0 if tau_ref is None else tau_ref)

    def reset_state(self, batch_size: int | None = None) -> None:
        super().reset_state(batch_size)
        init_spike_clock(self, batch_size)

    def update(self, x: Any = None) -> jax.Array:
        self.add_external(x)
        with self.held_currents():
            V, refractory = self.hold_V(self.integrate_V())
        spike = V >= self.V_th
        self.V.value = jnp.where(spike, self.V_reset, V)
        self.spike.value = spike
        self.note_spikes(spike, refractory)
        return spike


LifRef = LIF


class LifRefLTC(LIF):
    """BrainPy's ``LifRefLTC``: ``LifRef`` with the current inputs summed inside the derivative."""

    hold_current_inputs = False


class Lif(CurrentAtStepStart, BrainPyCalls, _LIF):
    """BrainPy 2.4's ``dyn.Lif``: LIF without a refractory period."""

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = 0.0, V_reset: Any = -5.0, V_th: Any = 20.0,
                 R: Any = 1.0, tau: Any = 10.0, V_initializer: Any = ZeroInit(), noise: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, R=R, tau=tau,
                         V_initializer=V_initializer, method=method_name(method), name=name, mode=mode,
                         noise=membrane_noise(noise))


class LifLTC(Lif):
    """BrainPy's ``LifLTC``: ``Lif`` with the current inputs summed inside the derivative."""

    hold_current_inputs = False


class HH(CurrentAtStepStart, BrainPyCalls, _HH):
    """BrainPy's Hodgkin-Huxley group (same parameters and defaults: V uniform in [-70, -60) mV and
    m, h, n at their steady state for that V, as ``HHLTC.reset_state`` in BrainPy 2.8.2)."""

    def __init__(self, size: Any, keep_size: bool = False, ENa: Any = 50.0, gNa: Any = 120.0, EK: Any = -77.0,
                 gK: Any = 36.0, EL: Any = -54.387, gL: Any = 0.03, V_th: Any = 20.0, C: Any = 1.0,
                 V_initializer: Any = Uniform(-70.0, -60.0), m_initializer: Any = None,
                 h_initializer: Any = None, n_initializer: Any = None, noise: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, ENa=ENa, gNa=gNa, EK=EK, gK=gK, EL=EL, gL=gL, V_th=V_th, C=C,
                         V_initializer=V_initializer, m_initializer=m_initializer, h_initializer=h_initializer,
                         n_initializer=n_initializer, method=method_name(method), name=name, mode=mode,
                         noise=membrane_noise(noise))


HHLTC = ltc_twin(HH, "HHLTC")


class Izhikevich(CurrentAtStepStart, BrainPyCalls, _Izhikevich):
    """BrainPy's Izhikevich group: its defaults, V = -70 mV and u = b V at the start.

    ``tau_ref`` > 0: BrainPy's refractory period (``bp.neurons.Izhikevich`` is BrainPy's ``IzhikevichRef``);
    at 0 no refractory state is made (``_if_neurons.py`` says why).

    >>> import brainbatch.brainpy as bp
    >>> bp.dyn.IzhikevichRef(2, tau_ref=3.).t_last_spike.shape, hasattr(bp.dyn.Izhikevich(2), "refractory")
    ((2,), False)
    """

    _always_ref = False

    def __init__(self, size: Any, keep_size: bool = False, V_th: Any = 30.0, p1: Any = 0.04, p2: Any = 5.0,
                 p3: Any = 140.0, a: Any = 0.02, b: Any = 0.20, c: Any = -65.0, d: Any = 8.0, R: Any = 1.0,
                 tau: Any = 10.0, tau_ref: Any = 0.0, V_initializer: Any = OneInit(-70.0),
                 u_initializer: Any = None, noise: Any = None, method: str = "exp_auto", name: str | None = None,
                 mode: Any = None, **kwargs: Any) -> None:
        what = type(self).__name__
        if (p1, p2, p3) != (0.04, 5.0, 140.0):
            raise TypeError(f"{what}: p1, p2, p3 other than 0.04, 5, 140 are not supported")
        kwargs.pop("input_var", None)
        spike_kwargs(what, kwargs)
        super().__init__(size, keep_size=keep_size, a=a, b=b, c=c, d=d, V_th=V_th, V_initializer=V_initializer,
                         u_initializer=u_initializer, method=method_name(method), name=name, mode=mode,
                         tau_ref=ref_arg(tau_ref, self._always_ref), noise=membrane_noise(noise))
        # BrainPy fixes u's start, b V, when the group is made: a b set afterwards (its Izhikevich notebook's
        # neu.a, neu.b, neu.c, neu.d = ...) changes the dynamics, not u's start (with it, 'tonic spiking' fired
        # 7 spikes in 50 ms without input, BrainPy's 2)
        self._u_start_b = self.b


class IzhikevichRef(Izhikevich):
    """BrainPy's IzhikevichRef: V held for ``tau_ref`` ms after a spike, u keeps integrating."""

    _always_ref = True


IzhikevichLTC, IzhikevichRefLTC = ltc_twin(Izhikevich, "IzhikevichLTC"), ltc_twin(IzhikevichRef, "IzhikevichRefLTC")


class AdExIF(CurrentAtStepStart, BrainPyCalls, _AdEx):
    """BrainPy's AdExIF group: its defaults, V_th = -55 mV and V = w = 0 at the start (as BrainPy 2.8.2,
    so every neuron spikes in the first step). ``tau_ref`` as ``Izhikevich``'s."""

    _always_ref = False

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0, V_th: Any = -55.0,
                 V_T: Any = -59.9, delta_T: Any = 3.48, a: Any = 1.0, b: Any = 1.0, tau: Any = 10.0,
                 tau_w: Any = 30.0, tau_ref: Any = 0.0, R: Any = 1.0, V_initializer: Any = ZeroInit(),
                 w_initializer: Any = ZeroInit(), noise: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        what = type(self).__name__
        kwargs.pop("input_var", None)
        spike_kwargs(what, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, V_T=V_T,
                         delta_T=delta_T, a=a, b=b, tau=tau, tau_w=tau_w, R=R, V_initializer=V_initializer,
                         w_initializer=w_initializer, method=method_name(method), name=name, mode=mode,
                         tau_ref=ref_arg(tau_ref, self._always_ref), noise=membrane_noise(noise))


class AdExIFRef(AdExIF):
    """BrainPy's AdExIFRef: V held for ``tau_ref`` ms after a spike, w keeps integrating."""

    _always_ref = True


AdExIFLTC, AdExIFRefLTC = ltc_twin(AdExIF, "AdExIFLTC"), ltc_twin(AdExIFRef, "AdExIFRefLTC")


class PoissonGroup(BrainPyCalls, _PoissonGroup):
    """Independent Poisson spike trains at ``freqs`` Hz (drawn from the run's streams; no ``seed``).

    ``freqs`` may be a ``bm.Variable``: the group then reads it every step, so a script that changes
    it during a run (``group.freqs[:] = ...``) changes the rates, as in BrainPy.
    """

    def __init__(self, size: Any, freqs: Any, seed: Any = None, keep_size: bool = False, name: str | None = None,
                 mode: Any = None, **kwargs: Any) -> None:
        check_none("PoissonGroup", seed=seed, **{k: v for k, v in kwargs.items() if k == "sharding"})
        if isinstance(freqs, Variable):
            super().__init__(size, 0.0, keep_size=keep_size, name=name, mode=mode)
            self.freqs = freqs  # a Variable of the group (or of its owner): threaded through every step
        else:
            super().__init__(size, freqs, keep_size=keep_size, name=name, mode=mode)

    def update(self) -> jax.Array:
        if not isinstance(self.freqs, Variable):
            return super().update()
        u = fast_uniform(self.step_key(), self.spike.shape, jnp.float32)
        spike = u < jnp.asarray(self.freqs.value, jnp.float32) * (share.dt / 1000.0)
        self.spike.value = spike
        return spike


class SpikeTimeGroup(BrainPyCalls, _SpikeTimeGroup):
    """Neuron ``indices[k]`` spikes at ``times[k]`` ms (``brainbatch.models.inputs.SpikeTimeGroup``: BrainPy's
    step rule, pointer and batching). ``spk_type`` may be None or ``bool`` (spikes are bool here).

    >>> import brainbatch.brainpy as bp
    >>> g = bp.dyn.SpikeTimeGroup(2, times=[10., 20., 20.], indices=[0, 0, 1])
    >>> mon = bp.DSRunner(g, monitors=['spike'], progress_bar=False).run(30.)
    >>> [int(t) for t in mon['spike'].nonzero()[0]]   # steps 100 (neuron 0) and 200 (both)
    [100, 200, 200]
    """

    def __init__(self, size: Any, indices: Any, times: Any, spk_type: Any = None, name: str | None = None,
                 sharding: Any = None, keep_size: bool = False, mode: Any = None, need_sort: bool = True) -> None:
        check_none("SpikeTimeGroup", sharding=sharding)
        if spk_type not in (None, bool, jnp.bool_):
            raise TypeError(f"SpikeTimeGroup: spk_type={spk_type!r} is not supported; spikes are bool (use None)")
        super().__init__(size, indices, times, keep_size=keep_size, name=name, mode=mode, need_sort=need_sort)


_input_var = check_input_var


class HindmarshRose(BrainPyCalls, _HindmarshRose):
    """BrainPy's ``bp.neurons.HindmarshRose`` (its argument order: ``keep_size`` after ``method``).

    >>> import brainbatch.brainpy as bp
    >>> hr = bp.neurons.HindmarshRose(3)
    >>> hr.V.shape, float(hr.y.value[0])
    ((3,), -10.0)
    """

    def __init__(self, size: Any, a: Any = 1.0, b: Any = 3.0, c: Any = 1.0, d: Any = 5.0, r: Any = 0.01, s: Any = 4.0,
                 V_rest: Any = -1.6, V_th: Any = 1.0, V_initializer: Any = ZeroInit(), y_initializer: Any = OneInit(-10.0),
                 z_initializer: Any = ZeroInit(), noise: Any = None, method: str = "exp_auto", keep_size: bool = False,
                 input_var: bool = True, name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        what = type(self).__name__
        _input_var(what, input_var)
        spike_kwargs(what, kwargs)
        super().__init__(size, keep_size=keep_size, a=a, b=b, c=c, d=d, r=r, s=s, V_rest=V_rest, V_th=V_th,
                         V_initializer=V_initializer, y_initializer=y_initializer, z_initializer=z_initializer,
                         method=method_name(method), name=name, mode=mode, noise=membrane_noise(noise))


class FHN(BrainPyCalls, _FHNNeuron):
    """BrainPy's spiking ``bp.neurons.FHN`` (``brainbatch.FHNNeuron``; ``bp.rates.FHN`` is the rate model).

    >>> import brainbatch.brainpy as bp
    >>> bp.neurons.FHN(2, Vth=1.5).spike.dtype
    dtype('bool')
    """

    def __init__(self, size: Any, a: Any = 0.7, b: Any = 0.8, tau: Any = 12.5, Vth: Any = 1.8,
                 V_initializer: Any = ZeroInit(), w_initializer: Any = ZeroInit(), noise: Any = None,
                 method: str = "exp_auto", keep_size: bool = False, input_var: bool = True, name: str | None = None,
                 mode: Any = None) -> None:
        what = "FHN"
        _input_var(what, input_var)
        super().__init__(size, keep_size=keep_size, a=a, b=b, tau=tau, Vth=Vth, V_initializer=V_initializer,
                         w_initializer=w_initializer, method=method_name(method), name=name, mode=mode,
                         noise=membrane_noise(noise))


class ALIFBellec2020(BrainPyCalls, _ALIF):
    """BrainPy's ``bp.neurons.ALIFBellec2020`` (``brainbatch.ALIF`` with BrainPy 2.8.2's reset, ``V -= V_th``).

    BrainPy subtracts ``V_th`` itself at a spike, where ``bb.ALIF`` subtracts ``V_th - V_rest`` (the same with
    ``V_rest = 0``, Bellec et al.'s convention); with BrainPy's defaults (``V_rest`` -70, ``V_th`` -60 mV) a spike
    thus raises V by 60 mV and the neuron runs away, here as there. BrainPy never reads its current or delta
    inputs (a projection onto it delivers nothing); brainbatch adds them, as for every other group.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.neurons.ALIFBellec2020(2, V_rest=0., V_th=10., tau_ref=2.)
    >>> float(g.V.value[0]), float(g.a.value[0]), g.t_last_spike.shape
    (-70.0, 0.0, (2,))
    """

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -70.0, V_th: Any = -60.0, R: Any = 1.0,
                 beta: Any = 1.6, tau: Any = 20.0, tau_a: Any = 2000.0, tau_ref: Any = None, noise: Any = None,
                 V_initializer: Any = OneInit(-70.0), a_initializer: Any = ZeroInit(), spike_fun: Any = None,
                 input_var: bool = True, method: str = "exp_auto", name: str | None = None, mode: Any = None,
                 eprop: bool = False) -> None:
        what = type(self).__name__
        _input_var(what, input_var)
        spike_kwargs(what, {"spike_fun": spike_fun})
        if eprop:
            raise TypeError(f"{what}: eprop={eprop!r} is not supported; e-prop is a training rule, and training is "
                            "out of scope for brainbatch")
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_th=V_th, R=R, beta=beta, tau=tau, tau_a=tau_a,
                         V_initializer=V_initializer, a_initializer=a_initializer, method=method_name(method),
                         name=name, mode=mode, tau_ref=tau_ref, noise=membrane_noise(noise))

    def reset_drop(self) -> Any:
        # BrainPy 2.8.2's ALIFBellec2020.update: ``V -= self.V_th * spike``
        return self.V_th


_HINTS = {name: "write it as a bp.NeuGroup subclass with bp.odeint (or a brainbatch NeuGroup)"
          for name in ("Leaky", "InputGroup", "OutputGroup")}


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.neurons", name, _HINTS, __all__)
