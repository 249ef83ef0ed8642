"""``brainbatch.brainpy.init``: BrainPy's initializers as brainbatch's (drawn from the run's key at reset).

>>> import brainbatch.brainpy as bp
>>> bp.init.Normal(-55., 2.).scale
2.0
"""
from __future__ import annotations

from typing import Any

from ..core import initializers as _init
from ._compat import check_none, unsupported

__all__ = ["Constant", "ZeroInit", "OneInit", "Uniform", "Normal", "Initializer"]

Initializer, Constant, ZeroInit, OneInit = _init.Initializer, _init.Constant, _init.ZeroInit, _init.OneInit


class Uniform(_init.Uniform):
    """``Uniform(min_val, max_val)``; ``seed`` must stay unset (values come from the run's key)."""

    def __init__(self, min_val: Any = 0.0, max_val: Any = 1.0, seed: Any = None):
        check_none("init.Uniform", seed=seed)
        super().__init__(min_val, max_val)


class Normal(_init.Normal):
    """``Normal(mean, scale)``; ``seed`` must stay unset (values come from the run's key)."""

    def __init__(self, mean: Any = 0.0, scale: Any = 1.0, seed: Any = None):
        check_none("init.Normal", seed=seed)
        super().__init__(mean, scale)


def __getattr__(name: str) -> Any:
    hint = "give a callable (shape, dtype, key) -> array, drawn from the key it is given"
    raise unsupported("brainbatch.brainpy.init", name,
                      {k: hint for k in ("KaimingNormal", "KaimingUniform", "XavierNormal", "XavierUniform",
                                         "LecunNormal", "Orthogonal", "TruncatedNormal", "GaussianDecay",
                                         "DOGDecay", "Gamma", "Exponential")}, __all__)
