"""Recording each monitor at its own stride inside the compiled loop.

A chunk is a scan over *blocks*. The monitors' strides form a chain ``c0 | c1 | ... | ck`` (each a
multiple of the previous one); a block of level ``l`` has ``c_l`` steps:

    block(l) = first step, recording every monitor of level <= l
               + tail(l)
    tail(l)  = tail(l-1) + scan over (c_l / c_{l-1} - 1) blocks of level l-1
    tail(0)  = scan over c0 - 1 steps that record nothing

so a monitor of stride ``c_l`` is evaluated exactly at steps ``k * c_l`` and nothing else is produced.
Strides that are not on the chain (say 2 and 3 together) are recorded at the largest chain stride
dividing them and thinned on the host; a chain is the common case (spikes every step, V every 10).
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StridePlan:
    """The chain of strides and each monitor's level on it (hashable: it keys a compiled program)."""

    chain: tuple[int, ...]
    levels: tuple[int, ...]  # per monitor, in monitor order

    @property
    def block(self) -> int:
        """Steps in one top-level block: chunks are whole numbers of blocks."""
        return self.chain[-1]

    def stride(self, k: int) -> int:
        """Steps between the samples monitor ``k`` produces in the compiled loop."""
        return self.chain[self.levels[k]]


def stride_plan(everys: list[int]) -> StridePlan:
    """The chain for these monitor strides.

    >>> stride_plan([1, 10]).chain, stride_plan([2, 3]).chain, stride_plan([]).chain
    ((1, 10), (1, 2), (1,))
    """
    base = math.gcd(*everys) if everys else 1
    chain = [base]
    for e in sorted(set(everys)):
        if e != chain[-1] and e % chain[-1] == 0:
            chain.append(e)
    levels = tuple(max(lv for lv, c in enumerate(chain) if e % c == 0) for e in everys)
    return StridePlan(tuple(chain), levels)


def every_step_plan(n_monitors: int) -> StridePlan:
    """Every monitor recorded at every step: for the few steps that do not fill a whole block."""
    return StridePlan((1,), (0,) * n_monitors)
