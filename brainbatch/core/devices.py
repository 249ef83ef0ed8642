"""Device lookup with errors that name the devices that exist."""
from __future__ import annotations

from typing import Any

import jax

_ALIASES = {"cuda": "gpu", "gpu": "gpu", "cpu": "cpu", "tpu": "tpu"}


def _devices_of(platform: str) -> list:
    try:
        return jax.devices(platform)
    except RuntimeError:
        return []


def available_devices() -> list[str]:
    """Names of every device JAX can see, e.g. ``['cpu:0', 'cpu:1']``."""
    names = []
    for platform in ("cpu", "gpu", "tpu"):
        names += [f"{platform}:{k}" for k, _ in enumerate(_devices_of(platform))]
    return names


def resolve_device(device: Any) -> jax.Device:
    """A ``jax.Device`` from a Device, ``"cpu"``, ``"cpu:1"``, ``"gpu"``, ``"cuda:0"`` or ``"tpu"``.

    >>> resolve_device("cpu").platform
    'cpu'
    """
    if isinstance(device, jax.Device):
        return device
    if not isinstance(device, str):
        raise TypeError(f"device must be a jax Device or a string like 'cpu' or 'gpu:0', got {device!r}")
    kind, _, index = device.strip().lower().partition(":")
    platform = _ALIASES.get(kind)
    if platform is None:
        raise ValueError(f"unknown device {device!r}; available: {available_devices()}")
    found = _devices_of(platform)
    if not found:
        raise ValueError(f"no {platform} device is available (asked for {device!r}); available: {available_devices()}")
    k = 0
    if index:
        if not index.isdigit():
            raise ValueError(f"device index must be a non-negative integer, got {device!r}")
        k = int(index)
    if k >= len(found):
        raise ValueError(f"device {device!r} does not exist; available: {available_devices()}")
    return found[k]
