"""Device selection for sweeps: ``auto`` (the default), ``cpu``, ``gpu``, ``all``, ``cpu:N``.

``auto`` uses the whole machine: its GPUs where JAX has any, else one CPU device per core
(``cpu:N``, N = the cores this process may use), so the runs of a sweep keep every core busy.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from .errors import UsageError
from ..errors import option_text

_CPU_N = re.compile(r"^cpu:([-+]?\d+)$")  # a sign too, so cpu:-1 gets the N >= 1 message
ALLOWED = "auto, cpu, gpu, all, or cpu:N (N host devices on CPU)"


def use_kernels(choice: str) -> AbstractContextManager[Any]:
    """A ``with`` block in which sweeps plan and run on the event path ``choice`` (``auto``, ``native``,
    ``jax``): the CLI's ``--kernels``, a value for one command (brainbatch/kernels/README.md)."""
    from ..kernels import use_kernels as block

    return block(choice)


def cpu_cores() -> int:
    """CPU cores this process may use (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - macOS / Windows
        return os.cpu_count() or 1


def on_accelerator(devices: Iterable[Any]) -> bool:
    """Whether ``devices`` (names like ``"gpu:0"``) are GPUs or TPUs rather than CPU devices.

    >>> on_accelerator(["cpu:0", "cpu:1"]), on_accelerator(["gpu:0"]), on_accelerator([])
    (False, True, False)
    """
    return bool(devices) and not all(str(d).startswith("cpu") for d in devices)


#: An accelerator's memory when JAX cannot say (a device of another machine, a backend without stats).
ASSUMED_ACCELERATOR_MEMORY = 16 * 2**30


def device_memory(name: str) -> int:
    """Bytes of memory of device ``name`` (``"gpu:0"``): JAX's allocator limit where this process sees
    the device, else ``ASSUMED_ACCELERATOR_MEMORY`` (CPU devices: the same, the host is not the limit)."""
    if name.startswith("cpu"):
        return ASSUMED_ACCELERATOR_MEMORY
    try:
        from ..core.devices import resolve_device

        stats = resolve_device(name).memory_stats() or {}
        return int(stats.get("bytes_limit") or ASSUMED_ACCELERATOR_MEMORY)
    except Exception:  # noqa: BLE001 - no such device here, or a backend without memory stats
        return ASSUMED_ACCELERATOR_MEMORY


def _backend_started() -> bool:
    import sys

    if "jax" not in sys.modules:  # before brainbatch.core is imported: it loads JAX
        return False
    from ..core.jax_compat import backend_started

    return backend_started()


def request_host_devices(spec: str) -> None:
    """For ``cpu:N``, ask XLA for N host devices. Must run before JAX starts its backend.

    N may not exceed the CPU cores of the machine (a ``UsageError`` names both). Once JAX has started
    (a notebook, a test), nothing changes: ``select_devices`` then checks the devices that exist.
    """
    text = "auto" if spec is None else str(spec).strip().lower()
    if text == "auto":
        n = cpu_cores()
        if n <= 1 or _backend_started():
            return
        _set_host_device_count(n)
        return
    m = _CPU_N.match(text)
    if not m:
        return
    n = int(m.group(1))
    cores = cpu_cores()
    if n < 1:
        raise UsageError(f"{option_text('devices', spec)}: cpu:N asks for N host devices on CPU, so N must be >= 1 (at most "
                         f"cpu:{cores} here)")
    if n > cores:
        raise UsageError(f"{option_text('devices', spec)}: this machine has {cores} CPU core(s), so at most cpu:{cores}")
    if _backend_started():
        return
    _set_host_device_count(n)


def _set_host_device_count(n: int) -> None:
    flags = os.environ.get("XLA_FLAGS", "")
    flags = re.sub(r"--xla_force_host_platform_device_count=\d+", "", flags).strip()
    os.environ["XLA_FLAGS"] = f"{flags} --xla_force_host_platform_device_count={n}".strip()


def select_devices(spec: str | None) -> list[str]:
    """Device names for the local executor, or a ``UsageError`` naming ``spec`` and what exists."""
    import jax

    from ..core.devices import available_devices

    spec = "auto" if spec is None else str(spec).strip().lower()
    have = available_devices()
    if spec == "auto":
        accelerators = [d for d in have if not d.startswith("cpu")]
        if accelerators:
            return accelerators
        cpus = [d for d in have if d.startswith("cpu")]
        return cpus[: max(1, min(len(cpus), cpu_cores()))]
    if spec == "cpu":
        return ["cpu:0"]
    if spec in ("gpu", "cuda"):
        gpus = [d for d in have if d.startswith("gpu")]
        if not gpus:
            raise UsageError(f"{option_text('devices', 'gpu')}: no GPU is available; devices here: {', '.join(have)}")
        return gpus
    if spec == "all":
        backend = jax.default_backend()
        return [d for d in have if d.startswith(backend)]
    m = _CPU_N.match(spec)
    if m:
        n = int(m.group(1))
        cpus = [d for d in have if d.startswith("cpu")]
        if n < 1:
            raise UsageError(f"{option_text('devices', spec)}: cpu:N asks for N CPU devices, so N must be >= 1; for the one device "
                             "cpu:0 give --devices cpu (devices=['cpu:0'] from Python)")
        if n > cpu_cores():
            raise UsageError(f"{option_text('devices', spec)}: this machine has {cpu_cores()} CPU core(s), so at most "
                             f"cpu:{cpu_cores()}")
        if n > len(cpus):
            raise UsageError(
                f"{option_text('devices', spec)}: only {len(cpus)} CPU device(s) exist in this process ({', '.join(cpus)}). "
                "The CLI creates N host devices itself; from Python set "
                f"XLA_FLAGS=--xla_force_host_platform_device_count={n} before importing jax"
            )
        return cpus[:n]
    if spec in have:
        return [spec]
    raise UsageError(f"unknown device {spec!r}: use {ALLOWED}; devices here: {', '.join(have)}")
