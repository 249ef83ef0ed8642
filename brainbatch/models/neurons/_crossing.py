"""The spike rule of BrainPy's reset-free neurons: an upward crossing of the threshold, no reset."""
from __future__ import annotations

from typing import Any

import jax.numpy as jnp

__all__ = ["upward_crossing"]


def upward_crossing(V_new: Any, V_old: Any, V_th: Any) -> Any:
    """``V_new >= V_th`` where ``V_old < V_th`` (BrainPy's ``HindmarshRose``, ``FHN``: V is not reset).

    >>> upward_crossing(jnp.array([1.2, 1.2, 0.5]), jnp.array([0.9, 1.1, 0.4]), 1.0).tolist()
    [True, False, False]
    """
    return jnp.logical_and(V_new >= V_th, V_old < V_th)
