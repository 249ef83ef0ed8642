"""BrainPy's ExpIF, QuaIF, AdQuaIF and Gif families on brainbatch's models (``brainbatch.models.neurons``).

BrainPy 2.8 (``brainpy/dyn/neurons/lif.py``) has four classes of each: ``X`` and ``XLTC`` differ only in
where ``sum_current_inputs`` is evaluated (``X`` at the V the step starts from, ``XLTC`` inside the
derivative: ``_held_current.py``; the same numbers for currents that do not depend on V), and ``XRef``/``XRefLTC`` add ``tau_ref``.
``bp.neurons.X`` (the 2.3 names) is BrainPy's ``XRef`` with ``tau_ref=0`` by default. So here ``X``
takes ``tau_ref`` too: at 0 it holds nothing and makes no refractory state (the numbers are the same
either way, and the recorded variables stay those of the plain model); ``XRef`` always has the state
(``t_last_spike``, ``refractory``), as BrainPy's. Initial values are BrainPy's: V = 0 mV for the IF
models, above threshold, so every neuron spikes in its first step, as there.
"""
from __future__ import annotations

from typing import Any

from ..core.initializers import OneInit, ZeroInit
from ..models import GIF as _GIF
from ..models import AdQuaIF as _AdQuaIF
from ..models import ExpIF as _ExpIF
from ..models import QuaIF as _QuaIF
from ._held_current import CurrentAtStepStart, ltc_twin
from ._compat import BrainPyCalls, membrane_noise, method_name, spike_kwargs

__all__ = ["ExpIF", "ExpIFLTC", "ExpIFRef", "ExpIFRefLTC", "QuaIF", "QuaIFLTC", "QuaIFRef", "QuaIFRefLTC",
           "AdQuaIF", "AdQuaIFLTC", "AdQuaIFRef", "AdQuaIFRefLTC", "Gif", "GifLTC", "GifRef", "GifRefLTC", "GIF",
           "ref_arg"]

def ref_arg(tau_ref: Any, always: bool) -> Any:
    """The native model's ``tau_ref``: None (no refractory state) for a plain class at 0 ms."""
    if always:
        return 0.0 if tau_ref is None else tau_ref
    if tau_ref is None or (isinstance(tau_ref, (int, float)) and not isinstance(tau_ref, bool) and tau_ref == 0):
        return None
    return tau_ref


class ExpIF(CurrentAtStepStart, BrainPyCalls, _ExpIF):
    """BrainPy's ExpIF: ``tau dV/dt = -(V - V_rest) + delta_T exp((V - V_T)/delta_T) + R I``; V starts at 0.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.dyn.ExpIFRef(3, tau_ref=2.)
    >>> float(g.V.value[0]), float(g.V_th), float(g.tau_ref)
    (0.0, -55.0, 2.0)
    """

    _always_ref = False

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -55.0, V_T: Any = -59.9, delta_T: Any = 3.48, R: Any = 1.0, tau: Any = 10.0,
                 tau_ref: Any = 0.0, V_initializer: Any = ZeroInit(), noise: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, V_T=V_T,
                         delta_T=delta_T, R=R, tau=tau, V_initializer=V_initializer, method=method_name(method),
                         name=name, mode=mode, tau_ref=ref_arg(tau_ref, self._always_ref), noise=membrane_noise(noise))


class ExpIFRef(ExpIF):
    """BrainPy's ExpIFRef: ExpIF whose V is held for ``tau_ref`` ms after a spike (``t_last_spike`` kept)."""

    _always_ref = True


class QuaIF(CurrentAtStepStart, BrainPyCalls, _QuaIF):
    """BrainPy's QuaIF: ``tau dV/dt = c (V - V_rest)(V - V_c) + R I``; V starts at 0.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.neurons.QuaIF(3)
    >>> float(g.V_th), float(g.V_c), hasattr(g, "t_last_spike")
    (-30.0, -50.0, False)
    """

    _always_ref = False

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -30.0, V_c: Any = -50.0, c: Any = 0.07, R: Any = 1.0, tau: Any = 10.0,
                 tau_ref: Any = 0.0, V_initializer: Any = ZeroInit(), noise: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, V_c=V_c, c=c, R=R,
                         tau=tau, V_initializer=V_initializer, method=method_name(method), name=name, mode=mode,
                         tau_ref=ref_arg(tau_ref, self._always_ref), noise=membrane_noise(noise))


class QuaIFRef(QuaIF):
    """BrainPy's QuaIFRef: QuaIF whose V is held for ``tau_ref`` ms after a spike."""

    _always_ref = True


class AdQuaIF(CurrentAtStepStart, BrainPyCalls, _AdQuaIF):
    """BrainPy's AdQuaIF: QuaIF (without R) with an adaptation current w (``w += b`` at a spike); V = w = 0 at start.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.dyn.AdQuaIFRefLTC(2, tau_ref=1.)
    >>> float(g.b), float(g.tau_w), g.refractory.shape
    (0.1, 10.0, (2,))
    """

    _always_ref = False

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -65.0, V_reset: Any = -68.0,
                 V_th: Any = -30.0, V_c: Any = -50.0, a: Any = 1.0, b: Any = 0.1, c: Any = 0.07, tau: Any = 10.0,
                 tau_w: Any = 10.0, tau_ref: Any = 0.0, V_initializer: Any = ZeroInit(),
                 w_initializer: Any = ZeroInit(), noise: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th=V_th, V_c=V_c, a=a, b=b,
                         c=c, tau=tau, tau_w=tau_w, V_initializer=V_initializer, w_initializer=w_initializer,
                         method=method_name(method), name=name, mode=mode, tau_ref=ref_arg(tau_ref, self._always_ref),
                         noise=membrane_noise(noise))


class AdQuaIFRef(AdQuaIF):
    """BrainPy's AdQuaIFRef: AdQuaIF whose V is held for ``tau_ref`` ms after a spike (w keeps integrating)."""

    _always_ref = True


class Gif(CurrentAtStepStart, BrainPyCalls, _GIF):
    """BrainPy's Gif (``bp.neurons.GIF``): two spike-triggered currents and a moving threshold ``V_th``.

    >>> import brainbatch.brainpy as bp
    >>> g = bp.neurons.GIF(2)
    >>> float(g.V.value[0]), float(g.V_th.value[0]), float(g.R)
    (-70.0, -50.0, 20.0)
    """

    _always_ref = False
    # BrainPy 2.8.2's diffusion (noise, None, None, None) goes to the first of JointEq(dI1, dI2, dVth, dV): I1
    noise_on = "I1"

    def __init__(self, size: Any, keep_size: bool = False, V_rest: Any = -70.0, V_reset: Any = -70.0,
                 V_th_inf: Any = -50.0, V_th_reset: Any = -60.0, R: Any = 20.0, tau: Any = 20.0, a: Any = 0.0,
                 b: Any = 0.01, k1: Any = 0.2, k2: Any = 0.02, R1: Any = 0.0, R2: Any = 1.0, A1: Any = 0.0,
                 A2: Any = 0.0, tau_ref: Any = 0.0, V_initializer: Any = OneInit(-70.0),
                 I1_initializer: Any = ZeroInit(), I2_initializer: Any = ZeroInit(),
                 Vth_initializer: Any = OneInit(-50.0), noise: Any = None, method: str = "exp_auto",
                 name: str | None = None, mode: Any = None, **kwargs: Any) -> None:
        spike_kwargs(type(self).__name__, kwargs)
        super().__init__(size, keep_size=keep_size, V_rest=V_rest, V_reset=V_reset, V_th_inf=V_th_inf,
                         V_th_reset=V_th_reset, R=R, tau=tau, a=a, b=b, k1=k1, k2=k2, R1=R1, R2=R2, A1=A1, A2=A2,
                         V_initializer=V_initializer, I1_initializer=I1_initializer, I2_initializer=I2_initializer,
                         Vth_initializer=Vth_initializer, method=method_name(method), name=name, mode=mode,
                         tau_ref=ref_arg(tau_ref, self._always_ref), noise=membrane_noise(noise))


class GifRef(Gif):
    """BrainPy's GifRef: Gif whose V is held for ``tau_ref`` ms after a spike (the other states go on)."""

    _always_ref = True


# BrainPy's LTC classes sum the current inputs inside the derivative (_held_current.py)
ExpIFLTC, ExpIFRefLTC = ltc_twin(ExpIF, "ExpIFLTC"), ltc_twin(ExpIFRef, "ExpIFRefLTC")
QuaIFLTC, QuaIFRefLTC = ltc_twin(QuaIF, "QuaIFLTC"), ltc_twin(QuaIFRef, "QuaIFRefLTC")
AdQuaIFLTC, AdQuaIFRefLTC = ltc_twin(AdQuaIF, "AdQuaIFLTC"), ltc_twin(AdQuaIFRef, "AdQuaIFRefLTC")
GifLTC, GifRefLTC, GIF = ltc_twin(Gif, "GifLTC"), ltc_twin(GifRef, "GifRefLTC"), Gif
