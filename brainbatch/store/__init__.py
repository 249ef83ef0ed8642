"""The result store: Zarr v3 writer and reader for brainbatch sweeps. Imports numpy, zarr, xarray — never jax.

Layout and reading from other tools: see ``README.md`` in this folder. Everything the sweep and the
CLI use of the store is exported here (``tests/test_imports.py`` refuses an import of a ``_private``
module from another package).

xarray (and pandas under it, ~0.6 s CPU) is imported when something reads a store as a Dataset, not by
``import brainbatch.store``: a sweep writes with zarr alone. ``open_results``, ``load_state`` and
``BrainbatchAccessor`` load on first use, and the ``ds.bb`` accessor is on every ``xarray.Dataset`` as
soon as this package and xarray are both imported, in either order (``_register_accessor``).

>>> from brainbatch.store import open_results, ResultStore, StoreSpec, VarSpec
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._errors import RunIncompleteError as RunIncompleteError
from ._errors import RunNotFoundError as RunNotFoundError
from ._errors import StoreDamagedError as StoreDamagedError
from ._errors import StoreDamagedWarning as StoreDamagedWarning
from ._errors import StoreRebuiltError as StoreRebuiltError
from ._errors import ForeignArraysWarning as ForeignArraysWarning
from ._errors import StoreFormatWarning as StoreFormatWarning
from ._errors import StoreError as StoreError
from ._errors import StoreMismatchError as StoreMismatchError
from ..faults import fault_point as pause_point  # the older name of brainbatch.faults.fault_point
from ._layout import SCHEMA_VERSION as SCHEMA_VERSION
from ._layout import STATUS_CODES as STATUS_CODES
from ._lease import stale_s as lease_stale_s
from ._lease import Lease as Lease
from ._lease import Leases as Leases
from ._lease import Owner as Owner
from ._location import check_location as check_location
from ._location import exists as location_exists
from ._location import local_path as local_path
from ._location import scheme as location_scheme
from ._provenance import now as utc_now
from ._provenance import same_versions as same_versions
from ._provenance import versions_text as versions_text
from ._run import FailedRun as FailedRun
from ._run import Index as Index
from ._run import Run as Run
from ._run import Status as Status
from ._spec import MAX_RUNS as MAX_RUNS
from ._spec import MAX_STEPS as MAX_STEPS
from ._spec import SAMPLE_DIM as SAMPLE_DIM
from ._root import enclosing_store as enclosing_store
from ._root import is_store_folder as is_store_folder
from ._spec import SUPPORTED_DTYPES as SUPPORTED_DTYPES
from ._spec import StoreSpec as StoreSpec
from ._spec import VarSpec as VarSpec
from ._spec import value_key as value_key
from ._spike_stats import cv_isi as cv_isi
from ._store import ResultStore as ResultStore

__all__ = [
    "BrainbatchAccessor", "FailedRun", "Index", "LEASE_STALE_S", "Lease", "Leases", "MAX_RUNS", "MAX_STEPS", "Owner",
    "ResultStore", "Run", "RunIncompleteError", "RunNotFoundError", "SAMPLE_DIM", "SCHEMA_VERSION", "STATUS_CODES",
    "ForeignArraysWarning", "Status", "StoreDamagedError", "StoreDamagedWarning", "StoreError", "StoreFormatWarning", "StoreMismatchError", "StoreRebuiltError", "StoreSpec", "SUPPORTED_DTYPES", "VarSpec", "check_location",
    "cv_isi", "enclosing_store", "is_store_folder", "lease_stale_s", "load_state", "local_path", "location_exists", "location_scheme", "open_results", "pause_point",
    "same_versions", "utc_now", "value_key", "versions_text",
]


if TYPE_CHECKING:  # loaded on first use (__getattr__): they import xarray
    from ._accessor import BrainbatchAccessor as BrainbatchAccessor
    from ._read import load_state as load_state
    from ._read import open_results as open_results

_PACKAGE = __package__ or __name__  # "brainbatch.store", also where this file runs as "brainbatch.store.__init__"
#: public name -> the module of this package that defines it, imported when the name is first asked for
_WITH_XARRAY = {"open_results": "_read", "load_state": "_read", "BrainbatchAccessor": "_accessor"}


def __getattr__(name: str) -> Any:
    if name in _WITH_XARRAY:
        value = getattr(importlib.import_module(f"{_PACKAGE}.{_WITH_XARRAY[name]}"), name)
        globals()[name] = value
        return value
    # LEASE_STALE_S, the older spelling of lease_stale_s(): read when asked for (BRAINBATCH_LEASE_STALE_S),
    # so a malformed value is an error there, not of `import brainbatch.store`
    if name == "LEASE_STALE_S":
        return lease_stale_s()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _AccessorAfterXarray(importlib.abc.MetaPathFinder):
    """Registers ``ds.bb`` right after xarray is first imported, wherever that happens: the import of
    xarray runs as ever (its own finder and loader), and once xarray's module has run, ``_accessor``
    is imported (its last line registers the accessor). Used once, then removed from ``sys.meta_path``."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "xarray":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)  # the finders after this one, as without it
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run_module = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run_module(module)
            importlib.import_module(f"{_PACKAGE}._accessor")

        loader.exec_module = exec_module  # type: ignore[method-assign] # this spec's own loader object
        return spec


def _register_accessor() -> None:
    if "xarray" in sys.modules:
        importlib.import_module(f"{_PACKAGE}._accessor")
    elif not any(isinstance(finder, _AccessorAfterXarray) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AccessorAfterXarray())


_register_accessor()
