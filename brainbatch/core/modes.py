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

    def is_a(self, mode: type) -> bool:
        """Whether this mode is of class ``mode`` exactly (BrainPy's ``mode.is_a``: a ``TrainingMode`` is no
        ``BatchingMode`` here).

        >>> TrainingMode(2).is_a(TrainingMode), TrainingMode(2).is_a(BatchingMode)
        (True, False)
        """
        return type(self) is _mode_class("is_a", mode)

    def is_parent_of(self, *modes: type) -> bool:
        """Whether one of ``modes`` is this mode's class or a subclass of it (BrainPy's ``is_parent_of``)."""
        return any(issubclass(_mode_class("is_parent_of", m), type(self)) for m in modes)

    def is_child_of(self, *modes: type) -> bool:
        """Whether this mode is an instance of one of ``modes`` (BrainPy's ``is_child_of``)."""
        return isinstance(self, tuple(_mode_class("is_child_of", m) for m in modes))

    def is_batch_mode(self) -> bool:
        return isinstance(self, BatchingMode)

    def is_train_mode(self) -> bool:
        return isinstance(self, TrainingMode)

    def is_nonbatch_mode(self) -> bool:
        return isinstance(self, NonBatchingMode)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _mode_class(method: str, mode: Any) -> type:
    if not (isinstance(mode, type) and issubclass(mode, Mode)):
        raise TypeError(f"Mode.{method} takes mode classes (NonBatchingMode, BatchingMode, TrainingMode), got {mode!r}")
    return mode


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
