"""Per-synapse draws for a whole table of pathways in one program: each pathway's distribution as a row
of parameters, gathered by the synapse's pathway index, then one inverse-CDF draw for every synapse (from a uniform the caller draws: ``_table.py``).

So drawing 64 pathways compiles one small program, not 64 (docs/performance.md, "Large models").
Families: constants (numbers, ``Constant``), ``Normal`` (``keep_sign``), ``TruncatedNormal``,
``LogNormal`` (all by the inverse CDF of a normal truncated to ``[low, high]``) and ``Uniform``.
"""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import ndtr, ndtri

from ...core.initializers import Constant, LogNormal, Normal, TruncatedNormal, Uniform

__all__ = ["ALL_KINDS", "family_row", "families_from_uniform", "kinds_of"]

_NORMAL, _UNIFORM, _LOGNORMAL = 0, 1, 2


def family_row(init: Any) -> tuple[float, float, float, float, float] | None:
    """``(kind, a, b, low, high)`` for ``init``, or ``None`` if it is not one of the families."""
    if isinstance(init, Constant):
        init = init.value
    if isinstance(init, (int, float, np.floating, np.integer)) and not isinstance(init, bool):
        return (_NORMAL, float(init), 0.0, -math.inf, math.inf)
    try:
        if isinstance(init, TruncatedNormal):
            return (_NORMAL, float(init.mean), float(init.scale), float(init.low), float(init.high))
        if isinstance(init, Normal):
            low, high = -math.inf, math.inf
            if init.keep_sign:
                low, high = (0.0, math.inf) if float(init.mean) >= 0 else (-math.inf, 0.0)
            return (_NORMAL, float(init.mean), abs(float(init.scale)), low, high)
        if isinstance(init, LogNormal):
            return (_LOGNORMAL, float(init.mu), float(init.sigma), float(init.low), float(init.high))
        if isinstance(init, Uniform):
            return (_UNIFORM, float(init.min_val), float(init.max_val), float(init.min_val), float(init.max_val))
    except TypeError:  # traced or array parameters: drawn pathway by pathway instead
        return None
    return None


def kinds_of(rows: Any) -> frozenset[str]:
    """Which families rows of ``family_row`` hold (a static, Python-level set): ``"constant"`` (a normal row
    of scale 0), ``"normal"``, ``"lognormal"``, ``"uniform"``; ``families_from_uniform`` compiles only these.

    >>> sorted(kinds_of([family_row(1.0), family_row(Uniform(0.0, 2.0))]))
    ['constant', 'uniform']
    """
    out = set()
    for kind, _, b, _, _ in rows:
        out.add("uniform" if kind == _UNIFORM else "lognormal" if kind == _LOGNORMAL else
                "normal" if b > 0 else "constant")
    return frozenset(out)


#: every family: the program that handles any table
ALL_KINDS = frozenset({"constant", "normal", "lognormal", "uniform"})


def families_from_uniform(u: jax.Array, cols: jax.Array, pathway: jax.Array,
                          kinds: frozenset[str] = ALL_KINDS) -> jax.Array:
    """``float32`` values from uniforms ``u`` in (0, 1), each by the inverse CDF of row ``pathway`` of the
    table whose columns are ``cols`` (``(5, P)``: the transposed rows of ``family_row``).

    ``kinds`` (``kinds_of`` the rows ``pathway`` may select) leaves out what no such row needs: the normal's
    inverse CDF when every row is a constant or a uniform, the exponential without log-normal rows, the
    uniform's formula without uniform rows. Each value is computed by the same operations either way, so
    the numbers are the same bit for bit (``tests/models/test_pathways.py``); only the program is smaller.
    """
    normal = bool(kinds & {"normal", "lognormal"})
    kind, a, b, low, high = (cols[k] for k in range(5))
    if "lognormal" in kinds:
        log = kind == _LOGNORMAL
        lo = jnp.where(log, jnp.log(jnp.maximum(low, 0.0)), low)
        hi = jnp.where(log, jnp.log(high), high)
    else:
        lo, hi = low, high
    if normal:
        sd = jnp.where(b > 0, b, 1.0)
        # the truncation's CDF bounds once per row of the table, not once per value
        p_lo, p_hi = ndtr((lo - a) / sd), ndtr((hi - a) / sd)
        # then one small-table lookup per parameter, fused into the arithmetic below (no (n, 7) array)
        kind, a, b, lo, hi, sd, p_lo, p_hi = (c[pathway] for c in (kind, a, b, lo, hi, sd, p_lo, p_hi))
        x = a + sd * ndtri(p_lo + u * (p_hi - p_lo))
        x = jnp.clip(jnp.where(b > 0, x, a), lo, hi)
    else:  # constants (and uniforms, replaced below): the row's value
        kind, a, b, lo, hi = (c[pathway] for c in (kind, a, b, lo, hi))
        x = jnp.clip(a, lo, hi)
    if "lognormal" in kinds:
        x = jnp.where(kind == _LOGNORMAL, jnp.exp(x), x)
    if "uniform" in kinds:
        x = jnp.where(kind == _UNIFORM, a + u * (b - a), x)
    return x
