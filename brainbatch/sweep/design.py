"""A sampled design: N points of a random or quasi-random sequence over the ranged parameters.

The points are deterministic in (sampler, sample seed, the ranges in order) and, for every sampler but
``lhs``, the first N points of a longer design are the N points of the shorter one, so a store can grow
from 16 to 32 samples and keep its 16 finished runs (docs/sampling.md):

- ``sobol``, ``halton``: ``scipy.stats.qmc.Sobol(d, scramble=True, rng=sample_seed).random(n)``
  (``Halton`` likewise) from a fresh engine each time, so points 0..n-1 never depend on n;
- ``random``: ``numpy.random.default_rng(sample_seed).random((n, d))``, drawn sample by sample;
- ``lhs``: ``scipy.stats.qmc.LatinHypercube(d, scramble=True, rng=sample_seed).random(n)``: its strata
  depend on n, so it cannot be extended.

Unit points ``u`` in [0, 1) become values by each range's scale: ``low + u (high - low)``, or
``exp(log low + u (log high - log low))`` for ``log``; an integer range floors ``low + u (high - low + 1)``
(in log space: ``exp(log low + u (log(high + 1) - log low))``), so each integer ``low..high`` is reachable.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.checks import is_int
from ..core.errors import did_you_mean
from .errors import UsageError
from ..errors import option_name
from .ranges import Range

__all__ = ["SAMPLERS", "DEFAULT_SAMPLER", "Design", "unit_points", "scale_points"]

SAMPLERS = ("sobol", "halton", "random", "lhs")
DEFAULT_SAMPLER = "sobol"
#: How many points ``--dry-run`` and ``brainbatch show`` list.
SHOWN_POINTS = 5
_NOT_EXTENDABLE = {
    "lhs": "a Latin hypercube's strata depend on the number of samples, so its first points change when it grows; "
           "use --sampler sobol (or halton, random) for a design that can be extended",
}


def unit_points(sampler: str, d: int, n: int, seed: int) -> np.ndarray:
    """``n`` points in [0, 1)^d of ``sampler`` with ``seed``; float64 of shape (n, d).

    >>> unit_points("sobol", 2, 4, seed=0).shape
    (4, 2)
    """
    if sampler == "random":
        return np.random.default_rng(seed).random((n, d))
    from scipy.stats import qmc

    engine = {"sobol": qmc.Sobol, "halton": qmc.Halton, "lhs": qmc.LatinHypercube}[sampler]
    with warnings.catch_warnings():
        # Sobol's balance holds for powers of 2; any n is still the sequence's first n points, and the
        # dry run and docs say so (a warning at every sweep would only alarm)
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol", category=UserWarning)
        return np.asarray(engine(d, scramble=True, rng=seed).random(n), dtype=np.float64)


def scale_points(u: np.ndarray, rng: Range) -> list:
    """Unit values ``u`` onto ``rng``: floats, or ints ``low..high`` (both included) for an integer range.

    >>> scale_points(np.array([0.0, 0.5, 0.999]), Range(1, 3, integer=True))
    [1, 2, 3]
    """
    u = np.asarray(u, dtype=np.float64)
    low, high = float(rng.low), float(rng.high)
    if rng.integer:
        top = high + 1.0
        if rng.scale == "log":
            x = np.exp(np.log(low) + u * (np.log(top) - np.log(low)))
        else:
            x = low + u * (top - low)
        return [int(v) for v in np.clip(np.floor(x), low, high)]
    if rng.scale == "log":
        x = np.exp(np.log(low) + u * (np.log(high) - np.log(low)))
    else:
        x = low + u * (high - low)
    return [float(v) for v in np.clip(x, low, high)]


@dataclass(frozen=True)
class Design:
    """``n`` samples of ``sampler`` over ``ranges`` (in this order), drawn with ``seed``.

    >>> d = Design((("we", Range(0.4, 0.8)),), n=4, sampler="sobol", seed=0)
    >>> len(d.values()["we"])
    4
    """

    ranges: tuple[tuple[str, Range], ...]
    n: int
    sampler: str = DEFAULT_SAMPLER
    seed: int = 0

    def __post_init__(self) -> None:
        if self.sampler not in SAMPLERS:
            raise UsageError(f"unknown sampler {self.sampler!r}: allowed are {', '.join(SAMPLERS)}."
                             + did_you_mean(str(self.sampler), SAMPLERS))
        if not is_int(self.n) or self.n < 1:
            raise UsageError(f"{option_name('samples')} must be an integer >= 1, got {self.n!r}")
        if not is_int(self.seed) or not 0 <= self.seed < 2**63:
            raise UsageError(f"{option_name('sample_seed')} must be an integer 0..2^63-1, got {self.seed!r}")
        if not self.ranges:
            raise UsageError("a sampled design needs at least one range (-p NAME=LOW:HIGH)")
        # plain ints (a NumPy integer is one too): what the store records and the design's text show
        object.__setattr__(self, "n", int(self.n))
        object.__setattr__(self, "seed", int(self.seed))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.ranges]

    def values(self) -> dict[str, list]:
        """Each ranged parameter's value at samples 0..n-1."""
        u = unit_points(self.sampler, len(self.ranges), self.n, self.seed)
        return {name: scale_points(u[:, k], rng) for k, (name, rng) in enumerate(self.ranges)}

    @property
    def extendable(self) -> bool:
        return self.sampler not in _NOT_EXTENDABLE

    def notes(self) -> list[str]:
        """What a user should know about this design (shown by ``--dry-run``)."""
        out = []
        if self.sampler == "sobol" and self.n & (self.n - 1):
            out.append(f"{self.n} is not a power of 2: Sobol points are best balanced at 2^k samples "
                       f"({1 << (self.n.bit_length() - 1)} or {1 << self.n.bit_length()}); the points are still "
                       "the sequence's first ones, so a later --samples 2^k extends this store")
        if not self.extendable:
            out.append("an lhs design cannot be extended later (its points change with --samples)")
        repeated = self.repeated_points()
        if repeated:
            total = math.prod(rng.high - rng.low + 1 for _, rng in self.ranges)
            why = (f"the integer ranges hold only {total} points" if total < self.n
                   else "nearby points of the sequence floor to the same integers")
            out.append(f"only {self.n - repeated} of the {self.n} points differ ({why}): a repeated point runs the "
                       "same parameters again, the same run for each seed")
        return out

    def repeated_points(self) -> int:
        """How many samples repeat an earlier sample's point: only integer ranges can (a float range's
        points all differ, and ``check_traced_values`` refuses two that float32 cannot hold apart).

        >>> Design((("n", Range(1, 3, integer=True)),), n=8).repeated_points()
        5
        """
        if not all(rng.integer for _, rng in self.ranges):
            return 0
        values = self.values()
        return self.n - len(set(zip(*(values[name] for name in self.names))))

    def to_json(self) -> dict[str, Any]:
        """What the store records (its root attribute ``design``); two sweeps share a store only when
        these agree, ``samples`` aside (docs/sampling.md)."""
        import scipy

        doc = {
            "sampler": self.sampler, "sample_seed": self.seed, "samples": self.n,
            "parameters": self.names, "ranges": {name: rng.to_json() for name, rng in self.ranges},
            "rule": _RULES[self.sampler], "scipy_version": scipy.__version__,
            "extendable": self.extendable,
        }
        if not self.extendable:
            doc["not_extendable_because"] = _NOT_EXTENDABLE[self.sampler]
        return doc

    def text(self) -> str:
        """``sobol, 16 samples, sample seed 0: we in 0.4:0.8, rate in 1:100:log``."""
        ranges = ", ".join(f"{name} in {rng.text()}" for name, rng in self.ranges)
        return f"{self.sampler}, {self.n} samples, sample seed {self.seed}: {ranges}"


_RULES = {
    "sobol": "scipy.stats.qmc.Sobol(d, scramble=True, rng=sample_seed).random(samples)",
    "halton": "scipy.stats.qmc.Halton(d, scramble=True, rng=sample_seed).random(samples)",
    "lhs": "scipy.stats.qmc.LatinHypercube(d, scramble=True, rng=sample_seed).random(samples)",
    "random": "numpy.random.default_rng(sample_seed).random((samples, d))",
}
