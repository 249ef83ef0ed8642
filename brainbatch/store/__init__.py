"""The result store: Zarr v3 writer and reader for brainbatch sweeps. Imports numpy, zarr, xarray — never jax.

Layout and reading from other tools: see ``README.md`` in this folder.

>>> from brainbatch.store import open_results, ResultStore, StoreSpec, VarSpec
"""
from ._accessor import BrainbatchAccessor as BrainbatchAccessor
from ._errors import RunNotFoundError as RunNotFoundError
from ._errors import StoreDamagedError as StoreDamagedError
from ._errors import StoreError as StoreError
from ._errors import StoreMismatchError as StoreMismatchError
from ._layout import SCHEMA_VERSION as SCHEMA_VERSION
from ._layout import STATUS_CODES as STATUS_CODES
from ._read import load_state as load_state
from ._read import open_results as open_results
from ._spec import StoreSpec as StoreSpec
from ._spike_stats import cv_isi as cv_isi
from ._spec import VarSpec as VarSpec
from ._store import ResultStore as ResultStore

__all__ = [
    "BrainbatchAccessor", "ResultStore", "RunNotFoundError", "SCHEMA_VERSION", "STATUS_CODES",
    "StoreDamagedError", "StoreError", "StoreMismatchError", "StoreSpec", "VarSpec", "cv_isi", "load_state", "open_results",
]
