"""``SweepOptions``: everything a sweep is told besides its experiment, in one frozen object.

The CLI builds one from its flags, ``bb.sweep(...)`` from its keywords; ``prepare`` and the sweep
read it (docs/architecture.md, "From an experiment file to a store"). Each field is checked where it
is used (``make_plan``, ``prepare``), so an object with a bad value is refused in one line there.

>>> opts = SweepOptions(seeds=4, params={"we": [0.4, 0.6]}, duration=100.0)
>>> opts.replace(force=True).force, opts.force
(True, False)
>>> opts.replace(seed=3)
Traceback (most recent call last):
...
brainbatch.sweep.errors.UsageError: SweepOptions has no option 'seed'. Did you mean 'seeds'?
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import did_you_mean, is_bool, keywords_named, option_name
from .errors import UsageError

__all__ = ["CHECKPOINT_EVERY_S", "ExecutorName", "FLAGS", "SweepOptions", "check_flags"]

#: Default wall time (seconds) between two checkpoints of a run (``--checkpoint-every``).
CHECKPOINT_EVERY_S = 60.0

#: Where batches run: this process (one thread per device) or a dask cluster.
ExecutorName = Literal["local", "dask"]


@keywords_named
@dataclass(frozen=True)
class SweepOptions:
    """A sweep's options (the keywords of ``bb.sweep``; the CLI's flags), immutable.

    ``devices`` is a spec (``"auto"``, ``"cpu"``, ``"gpu"``, ``"all"``, ``"cpu:N"``) or a list of
    device names; ``progress`` is ``True``/``False`` or the seconds between plain progress lines.
    """

    seeds: Any = None
    params: Mapping[str, Any] | None = None
    out: str | None = None
    duration: float | None = None
    dt: float | None = None
    executor: ExecutorName = "local"
    devices: str | Sequence[str] | None = "auto"
    batch_size: int | None = None
    workers: int | None = None
    scheduler: str | None = None
    retries: int = 0
    dashboard: str = "127.0.0.1:0"
    fail_fast: bool = False
    force: bool = False
    dry_run: bool = False
    verify: bool = False
    checkpoint_every: float | None = CHECKPOINT_EVERY_S
    chunk_steps: int | None = None
    samples: int | None = None
    sampler: str | None = None
    sample_seed: int | None = None
    allow_nan: Any = None
    progress: bool | float = True
    verbose: bool = False
    command: str | None = None

    def replace(self, **changes: Any) -> SweepOptions:
        """A copy with ``changes``; an unknown name is refused with the closest option named."""
        check_names(changes)
        return dataclasses.replace(self, **changes)

    def device_list(self) -> list[str]:
        """The devices batches are planned for: ``["cpu:0"]`` for dask (its workers pick their own),
        the names given, or the spec resolved on this machine (``select_devices``)."""
        if self.executor == "dask":
            return ["cpu:0"]
        if self.devices is not None and not isinstance(self.devices, str):
            return _named_devices(self.devices)
        from .device_choice import select_devices

        return select_devices(self.devices)


def _named_devices(devices: Any) -> list[Any]:
    """The devices as given, once each exists here: a bad name would fail every run after the store was
    created; no device at all, every batch."""
    from ..core.devices import available_devices, resolve_device

    have = available_devices()
    if not isinstance(devices, (list, tuple)):  # devices=5 was "'int' object is not iterable"
        raise UsageError(f"devices must be a spec such as 'auto', 'cpu:4' or 'gpu', or a list of names from "
                         f"{', '.join(have)}; got {devices!r}")
    items = list(devices)
    if not items:
        raise UsageError(f"devices=[] names no device; give names from {', '.join(have)}, or a spec such as 'auto'")
    for item in items:
        try:
            resolve_device(item)
        except Exception:  # noqa: BLE001 - whatever the reason, this name is no device here
            raise UsageError(f"unknown device {item!r} in devices={items!r}.{did_you_mean(str(item), have)} "
                             f"Devices here: {', '.join(have)}") from None
    return items


FIELDS = tuple(f.name for f in dataclasses.fields(SweepOptions))


def check_names(changes: Mapping[str, Any]) -> None:
    for name in changes:
        if name not in FIELDS:
            raise UsageError(f"SweepOptions has no option {name!r}.{did_you_mean(name, FIELDS)}")


#: the options that are True or False: any other value is refused (``force="no"`` is true to Python, and rebuilt a store)
FLAGS = ("fail_fast", "force", "dry_run", "verify", "verbose")


def check_flags(options: SweepOptions) -> None:
    """Refuse a flag (``FLAGS``) that is not ``True`` or ``False`` (NumPy's bools too), naming it; before anything is
    written. A text such as ``"no"`` or ``"false"`` is true to Python: ``force="no"`` would have rebuilt the store."""
    for name in FLAGS:
        value = getattr(options, name)
        if not is_bool(value):
            raise UsageError(f"{option_name(name)} must be True or False, got {value!r}")


def options_from(options: SweepOptions | None, changes: Mapping[str, Any]) -> SweepOptions:
    """``options`` (default: all defaults) with the keyword ``changes`` applied."""
    if options is not None and not isinstance(options, SweepOptions):
        raise UsageError(f"options must be a SweepOptions, got {type(options).__name__}")
    return (options or SweepOptions()).replace(**changes)
