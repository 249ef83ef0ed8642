"""Errors raised by the store, and the close-match hint they share (from the jax-free leaf ``brainbatch/errors.py``)."""
from __future__ import annotations

from ..errors import BrainbatchError
from ..errors import did_you_mean as did_you_mean


class StoreError(BrainbatchError):
    """A path is not a usable brainbatch store, or a store operation is not allowed.

    >>> isinstance(StoreError("x"), Exception)
    True
    """


class StoreMismatchError(StoreError):
    """An existing store was made by a different experiment setup (source, dt, steps, variables)."""


class StoreDamagedError(StoreError):
    """A brainbatch store whose files were damaged (truncated, deleted, changed): not foreign, broken."""


class StoreDamagedWarning(UserWarning):
    """Some runs of a store marked done have damaged data: they read as ``"damaged"``, not done."""


class StoreFormatWarning(UserWarning):
    """A store written by an earlier brainbatch holds a value in an older convention, which is named."""


class ForeignArraysWarning(UserWarning):
    """Arrays someone added to a store do not fit its dims: ``open_results`` reads the store without them."""


class StoreRebuiltError(StoreError):
    """The store was rebuilt (``--force`` with other settings or another source) by another sweep after this
    process planned its runs: nothing more is written for them, and none is marked done."""


class RunIncompleteError(StoreError):
    """A run cannot be marked done: its records do not cover the store's time axis (extended meanwhile)."""


class RunNotFoundError(StoreError, LookupError):
    """A run (seed and parameter values) or a variable name that the store does not hold.

    Also a ``LookupError`` so callers may catch it like a ``KeyError``.
    """
