"""Computing modes, as in BrainPy: non-batching, batching and training."""
from __future__ import annotations

from typing import Any

from .checks import check_int
from .errors import NamedKeywords

__all__ = ["Mode", "NonBatchingMode", "BatchingMode", "TrainingMode", "normalize_mode"]


class Mode(NamedKeywords):
    """Base class of computing modes."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))

    def is_one_of(self, *modes: type) -> bool:
        """Whether this mode is an instance of one of the given mode classes."""
        return isinstance(self, tuple(m if isinstance(m, type) else type(m) for m in modes))

    def is_batch_mode(self) -> bool:
        return isinstance(self, BatchingMode)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class NonBatchingMode(Mode):
    """Variables have the group's own shape (``varshape``)."""

    batch_size = None


class BatchingMode(Mode):
    """Variables carry a leading batch axis: ``(batch_size,) + varshape``.

    >>> BatchingMode(8).batch_size
    8
    """

    def __init__(self, batch_size: int = 1):
        self.batch_size = check_int("batch_size", batch_size, minimum=1)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(batch_size={self.batch_size})"


class TrainingMode(BatchingMode):
    """Batching mode in which readouts are trained."""


def normalize_mode(mode: Any) -> Mode:
    """``None`` means non-batching; classes are instantiated; anything else is an error."""
    if mode is None:
        return NonBatchingMode()
    if isinstance(mode, type) and issubclass(mode, Mode):
        return mode()
    if isinstance(mode, Mode):
        return mode
    raise TypeError(
        f"mode must be a brainbatch Mode (NonBatchingMode(), BatchingMode(n), TrainingMode(n)), got {mode!r}"
    )
