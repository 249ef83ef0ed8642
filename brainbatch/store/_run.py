"""``Run``: one run of a store as the coordinator and its workers address it.

Its position (``index``), its seed and its parameter values are separate fields, so a parameter may
be called anything (``index`` included) without shadowing the position.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

#: What a run's ``status`` entry says (docs/store.md, "When a run is done").
Status = Literal["pending", "running", "done", "failed"]

Index = tuple[int, ...]


@dataclass(frozen=True)
class Run:
    """A run of a store: ``index`` along ``(seed, *params)``, its ``seed`` and ``params`` values.

    >>> run = Run((0, 1), 0, {"index": 2.0})
    >>> run.coords
    {'seed': 0, 'index': 2.0}
    """

    index: Index
    seed: int
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def coords(self) -> dict[str, Any]:
        """``{"seed": s, <param>: v, ...}``: the run's coordinates, as ``ResultStore.coords_of`` gives them."""
        return {"seed": self.seed, **self.params}


@dataclass(frozen=True)
class FailedRun(Run):
    """A failed run, with the error text the store holds for it."""

    error: str = ""
