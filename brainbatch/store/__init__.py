"""The result store: Zarr v3 writer and reader for brainbatch sweeps. Imports numpy, zarr, xarray — never jax.

Layout and reading from other tools: see ``README.md`` in this folder. Everything the sweep and the
CLI use of the store is exported here (``tests/test_imports.py`` refuses an import of a ``_private``
module from another package).

>>> from brainbatch.store import open_results, ResultStore, StoreSpec, VarSpec
"""
from ._accessor import BrainbatchAccessor as BrainbatchAccessor
from ._errors import RunIncompleteError as RunIncompleteError
from ._errors import RunNotFoundError as RunNotFoundError
from ._errors import StoreDamagedError as StoreDamagedError
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
from ._read import load_state as load_state
from ._read import open_results as open_results
from ._run import FailedRun as FailedRun
from ._run import Index as Index
from ._run import Run as Run
from ._run import Status as Status
from ._spec import MAX_RUNS as MAX_RUNS
from ._spec import MAX_STEPS as MAX_STEPS
from ._spec import SAMPLE_DIM as SAMPLE_DIM
from ._spec import StoreSpec as StoreSpec
from ._spec import VarSpec as VarSpec
from ._spec import value_key as value_key
from ._spike_stats import cv_isi as cv_isi
from ._store import ResultStore as ResultStore

__all__ = [
    "BrainbatchAccessor", "FailedRun", "Index", "LEASE_STALE_S", "Lease", "Leases", "MAX_RUNS", "MAX_STEPS", "Owner",
    "ResultStore", "Run", "RunIncompleteError", "RunNotFoundError", "SAMPLE_DIM", "SCHEMA_VERSION", "STATUS_CODES",
    "Status", "StoreDamagedError", "StoreError", "StoreMismatchError", "StoreSpec", "VarSpec", "check_location",
    "cv_isi", "lease_stale_s", "load_state", "local_path", "location_exists", "location_scheme", "open_results", "pause_point",
    "utc_now", "value_key",
]


def __getattr__(name: str) -> float:
    # LEASE_STALE_S, the older spelling of lease_stale_s(): read when asked for (BRAINBATCH_LEASE_STALE_S),
    # so a malformed value is an error there, not of `import brainbatch.store`
    if name == "LEASE_STALE_S":
        return lease_stale_s()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
