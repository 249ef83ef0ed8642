"""Executors: where batches run (this process, or a dask cluster)."""
from .base import AbstractExecutor as AbstractExecutor
from .dask import DaskExecutor as DaskExecutor
from .dask import SchedulerLost as SchedulerLost
from .local import LocalExecutor as LocalExecutor
