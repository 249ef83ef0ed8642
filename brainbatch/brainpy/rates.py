"""``brainbatch.brainpy.rates`` (BrainPy 2.8.2's ``bp.rates`` / ``bp.dyn``): rate models and their couplings.

``FHN`` nodes with Ornstein-Uhlenbeck noise, ``DiffusiveCoupling`` / ``AdditiveCoupling`` with a
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

from typing import Any

from ..models.rates import AdditiveCoupling as _AdditiveCoupling
from ..models.rates import DelayCoupling as _DelayCoupling
from ..models.rates import DiffusiveCoupling as _DiffusiveCoupling
from ..models.rates import FHN as _FHN
from ..models.rates import OUProcess as _OUProcess
from ..models.rates import RateModel as _RateModel
from ._compat import BrainPyCalls, method_name, unsupported

__all__ = ["FHN", "OUProcess", "RateModel", "DelayCoupling", "DiffusiveCoupling", "AdditiveCoupling"]


class RateModel(BrainPyCalls, _RateModel):
    """The base of rate models (BrainPy's ``RateModel``)."""


class FHN(BrainPyCalls, _FHN):
    """FitzHugh-Nagumo nodes with OU noise: ``brainbatch.FHN`` with BrainPy's arguments."""

    def __init__(self, size: Any, *args: Any, method: str = "exp_auto", **kwargs: Any) -> None:
        super().__init__(size, *args, method=method_name(method), **kwargs)  # type: ignore[misc]  # args stop before method


class OUProcess(BrainPyCalls, _OUProcess):
    """Ornstein-Uhlenbeck noise (``method`` is checked; the process is integrated exactly in its mean)."""

    def __init__(self, size: Any, mean: Any = 0.0, sigma: Any = 1.0, tau: Any = 10.0, method: str = "exp_euler",
                 keep_size: bool = False, mode: Any = None, name: str | None = None) -> None:
        method_name(method)
        super().__init__(size, mean=mean, sigma=sigma, tau=tau, keep_size=keep_size, mode=mode, name=name)


class DelayCoupling(BrainPyCalls, _DelayCoupling):
    """The base of the delay couplings."""


class DiffusiveCoupling(BrainPyCalls, _DiffusiveCoupling):
    """``target += sum_i C[i, j] (x1_i(t - d_ij) - x2_j(t))`` (see ``brainbatch.DiffusiveCoupling`` for the delay rule)."""


class AdditiveCoupling(BrainPyCalls, _AdditiveCoupling):
    """``target += sum_i C[i, j] x_i(t - d_ij)``."""


_HINTS = {name: "not part of brainbatch (training and reservoir computing are out of scope)"
          for name in ("Reservoir", "NVAR", "RNNCell", "GRUCell", "LSTMCell", "Conv1dLSTMCell", "Conv2dLSTMCell",
                       "Conv3dLSTMCell")}
_HINTS.update({name: "write it as a brainbatch RateModel subclass (see brainbatch.FHN)" for name in
               ("FeedbackFHN", "QIF", "StuartLandauOscillator", "WilsonCowanModel", "ThresholdLinearModel",
                "JansenRitModel")})


def __getattr__(name: str) -> Any:
    raise unsupported("brainbatch.brainpy.rates", name, _HINTS, __all__)
