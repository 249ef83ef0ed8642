"""``brainbatch.brainpy.rates`` (BrainPy 2.8.2's ``bp.rates`` / ``bp.dyn``): rate models and their couplings.

``FHN``, ``FeedbackFHN``, ``QIF``, ``StuartLandauOscillator``, ``WilsonCowanModel`` nodes with
Ornstein-Uhlenbeck noise, ``ThresholdLinearModel``, ``DiffusiveCoupling`` / ``AdditiveCoupling`` with a
per-pair delay matrix in steps: brainbatch's ``brainbatch.FHN``, ``brainbatch.DiffusiveCoupling``...
with BrainPy's arguments (integrator names such as ``'exp_auto'``).

>>> import brainbatch.brainpy as bp, numpy as np
>>> fhn = bp.rates.FHN(4, x_ou_sigma=0.01, y_ou_sigma=0.01)
>>> c = bp.dyn.DiffusiveCoupling(fhn.x, fhn.x, var_to_output=fhn.input, conn_mat=np.ones((4, 4)),
...                              delay_steps=np.full((4, 4), 3), initial_delay_data=bp.init.Uniform(0, 0.05))
>>> sorted(bp.DynSysGroup(fhn=fhn, coupling=c).vars())[:3]
['coupling.history', 'coupling.idx', 'fhn.input']
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..models.rates import AdditiveCoupling as _AdditiveCoupling
from ..models.rates import DelayCoupling as _DelayCoupling
from ..models.rates import DiffusiveCoupling as _DiffusiveCoupling
from ..models.rates import FHN as _FHN
from ..models.rates import QIF as _QIF
from ..models.rates import FeedbackFHN as _FeedbackFHN
from ..models.rates import StuartLandauOscillator as _StuartLandauOscillator
from ..models.rates import ThresholdLinearModel as _ThresholdLinearModel
from ..models.rates import WilsonCowanModel as _WilsonCowanModel
from ..models.rates import OUProcess as _OUProcess
from ..models.rates import RateModel as _RateModel
from ..core.initializers import ZeroInit
from ..core.checks import is_traced
from ._compat import BrainPyCalls, BrainPyDifferenceWarning, method_name, outside_brainbatch, unsupported

__all__ = ["FHN", "OUProcess", "RateModel", "DelayCoupling", "DiffusiveCoupling", "AdditiveCoupling", "FeedbackFHN",
           "QIF", "StuartLandauOscillator", "WilsonCowanModel", "ThresholdLinearModel"]


class RateModel(BrainPyCalls, _RateModel):
    """The base of rate models (BrainPy's ``RateModel``)."""


class FHN(BrainPyCalls, _FHN):
    """FitzHugh-Nagumo nodes with OU noise: ``brainbatch.FHN`` with BrainPy's arguments."""

    def __init__(self, size: Any, *args: Any, method: str = "exp_auto", **kwargs: Any) -> None:
        super().__init__(size, *args, method=method_name(method), **kwargs)  # type: ignore[misc]  # args stop before method


class FeedbackFHN(BrainPyCalls, _FeedbackFHN):
    """FitzHugh-Nagumo nodes with delayed self-feedback: ``brainbatch.FeedbackFHN`` with BrainPy's arguments.

    >>> import brainbatch.brainpy as bp
    >>> bp.rates.FeedbackFHN(2, delay=1.).x_history.shape  # 10 steps of past and x(0), dt = 0.1 ms
    (2, 11)
    """

    def __init__(self, size: Any, *args: Any, method: str = "exp_auto", **kwargs: Any) -> None:
        super().__init__(size, *args, method=method_name(method), **kwargs)  # type: ignore[misc]  # args stop before method


class QIF(BrainPyCalls, _QIF):
    """The QIF population's mean field (Montbrio et al. 2015): ``brainbatch.QIF`` with BrainPy's arguments.

    >>> import brainbatch.brainpy as bp
    >>> float(bp.rates.QIF(2, eta=-3.).eta)
    -3.0
    """

    def __init__(self, size: Any, *args: Any, method: str = "exp_auto", **kwargs: Any) -> None:
        super().__init__(size, *args, method=method_name(method), **kwargs)  # type: ignore[misc]  # args stop before method


class StuartLandauOscillator(BrainPyCalls, _StuartLandauOscillator):
    """Stuart-Landau oscillators: ``brainbatch.StuartLandauOscillator`` with BrainPy's arguments.

    >>> import brainbatch.brainpy as bp
    >>> bp.rates.StuartLandauOscillator(3, a=0.1).x.shape
    (3,)
    """

    def __init__(self, size: Any, *args: Any, method: str = "exp_auto", **kwargs: Any) -> None:
        super().__init__(size, *args, method=method_name(method), **kwargs)  # type: ignore[misc]  # args stop before method


class WilsonCowanModel(BrainPyCalls, _WilsonCowanModel):
    """Wilson-Cowan E/I nodes: ``brainbatch.WilsonCowanModel`` with BrainPy's arguments (``method='exp_euler_auto'``).

    >>> import brainbatch.brainpy as bp
    >>> sorted(v for v in vars(bp.rates.WilsonCowanModel(2)) if v in ("x", "y", "input", "input_y"))
    ['input', 'input_y', 'x', 'y']
    """

    def __init__(self, size: Any, *args: Any, method: str = "exp_euler_auto", **kwargs: Any) -> None:
        super().__init__(size, *args, method=method_name(method), **kwargs)  # type: ignore[misc]  # args stop before method


class ThresholdLinearModel(BrainPyCalls, _ThresholdLinearModel):
    """Rectified-linear E/I rates: ``brainbatch.ThresholdLinearModel`` with BrainPy's arguments and their order.

    ``seed`` is accepted and, as in BrainPy 2.8.2, not used: the noise comes from the run key.

    >>> import brainbatch.brainpy as bp
    >>> tl = bp.rates.ThresholdLinearModel(2, tau_e=2., tau_i=1., seed=3)
    >>> tl.e.shape, tl.Ie.shape
    ((2,), (2,))
    """

    def __init__(self, size: Any, tau_e: Any = 2e-2, tau_i: Any = 1e-2, beta_e: Any = 0.066, beta_i: Any = 0.351,
                 noise_e: Any = 0.0, noise_i: Any = 0.0, e_initializer: Any = ZeroInit(),
                 i_initializer: Any = ZeroInit(), seed: int | None = None, keep_size: bool = False,
                 name: str | None = None, mode: Any = None, input_var: bool = True) -> None:
        del seed  # BrainPy stores it and never reads it
        super().__init__(size, tau_e=tau_e, tau_i=tau_i, beta_e=beta_e, beta_i=beta_i, noise_e=noise_e,
                         noise_i=noise_i, e_initializer=e_initializer, i_initializer=i_initializer,
                         keep_size=keep_size, name=name, mode=mode, input_var=input_var)


class OUProcess(BrainPyCalls, _OUProcess):
    """Ornstein-Uhlenbeck noise (``method`` is checked; the process is integrated exactly in its mean)."""

    def __init__(self, size: Any, mean: Any = 0.0, sigma: Any = 1.0, tau: Any = 10.0, method: str = "exp_euler",
                 keep_size: bool = False, mode: Any = None, name: str | None = None) -> None:
        method_name(method)
        super().__init__(size, mean=mean, sigma=sigma, tau=tau, keep_size=keep_size, mode=mode, name=name)


class DelayCoupling(BrainPyCalls, _DelayCoupling):
    """The base of the delay couplings."""


def _warn_short_delays(coupling: _DelayCoupling) -> None:
    """BrainPy 2.8.2 never updates the ring slots that a delay matrix's pairs of 0 or 1 step read: such a pair
    reads ``initial_delay_data`` in every step of the run (its whole-brain examples' ``delay_mat`` with short
    fibres), where brainbatch reads the current value (docs/step-order.md's delay rule). Said once, at build."""
    delays, conn = coupling.delay_steps, coupling.conn_mat
    if delays is None or np.ndim(delays) != 2 or is_traced(conn):
        return
    short = (np.asarray(delays) <= 1) & (np.asarray(conn, dtype=np.float64) != 0)
    if not short.any():
        return
    pre, post = (int(k) for k in np.argwhere(short)[0])
    warnings.warn(
        f"bp.dyn.{type(coupling).__name__}: {int(short.sum())} connected pair(s) have delay_steps 0 or 1 (e.g. pre "
        f"{pre} -> post {post}: {int(np.asarray(delays)[pre, post])}). BrainPy 2.8.2 reads initial_delay_data for "
        "them in every step of the run (its delay ring never writes their slots); brainbatch reads the current value. "
        "Give them 2 steps or more for the same numbers in both (docs/migrating-from-brainpy.md)",
        BrainPyDifferenceWarning, stacklevel=outside_brainbatch())


class DiffusiveCoupling(BrainPyCalls, _DiffusiveCoupling):
    """``target += sum_i C[i, j] (x1_i(t - d_ij) - x2_j(t))`` (see ``brainbatch.DiffusiveCoupling`` for the delay rule;
    a delay matrix's connected pairs of 0 or 1 step warn: BrainPy 2.8.2 reads ``initial_delay_data`` for them in
    every step, brainbatch the current value)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _warn_short_delays(self)


class AdditiveCoupling(BrainPyCalls, _AdditiveCoupling):
    """``target += sum_i C[i, j] x_i(t - d_ij)`` (delays as ``DiffusiveCoupling``'s, the same warning)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _warn_short_delays(self)


_HINTS = {name: "not part of brainbatch (training and reservoir computing are out of scope)"
          for name in ("Reservoir", "NVAR", "RNNCell", "GRUCell", "LSTMCell", "Conv1dLSTMCell", "Conv2dLSTMCell",
                       "Conv3dLSTMCell")}
# BrainPy 2.8.2's JansenRitModel is an empty class (no parameters, no equations): nothing to port
_HINTS["JansenRitModel"] = "write it as a brainbatch RateModel subclass (see brainbatch.FHN)"


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.rates", name, _HINTS, __all__)
