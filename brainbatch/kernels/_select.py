"""Which event-propagation path runs: the native CPU kernel or the pure-JAX one.

``BRAINBATCH_KERNELS`` = ``auto`` (default: native on CPU where it builds, pure JAX elsewhere),
``native`` (native on CPU; an error if it cannot be built) or ``jax`` (always pure JAX).
``use_kernels(...)`` overrides it in a ``with`` block. On GPU and TPU the pure-JAX path always runs.
"""
from __future__ import annotations

import contextlib
import contextvars
import threading
from typing import Any, Iterator

import jax

from ..settings import SettingError
from ..settings import get as get_setting
from ..errors import BrainbatchError, did_you_mean
from ._build import build_error, load_library

__all__ = ["KERNEL_CHOICES", "KernelChoiceError", "kernel_choice", "use_kernels", "native_available", "active_backend",
           "native_when_lowering"]

KERNEL_CHOICES = ("auto", "native", "jax")
ENV = "BRAINBATCH_KERNELS"

# per context (thread, task), not per process: one thread's `use_kernels` block never changes another's
_override: contextvars.ContextVar[str | None] = contextvars.ContextVar("brainbatch_kernels", default=None)
# ...and part of JAX's own cache keys: a user's `jax.jit` function traced in a `use_kernels("jax")` block
# is traced again outside it (JAX keeps one trace per value), instead of silently rerunning the first path
# (`jax.make_user_context`; a JAX without it keeps the first trace: docs/configuration.md)
_jit_key = jax.make_user_context(None) if hasattr(jax, "make_user_context") else (lambda _: contextlib.nullcontext())
_registered: dict = {}
_register_lock = threading.Lock()


class KernelChoiceError(BrainbatchError, ValueError, RuntimeError):
    """A kernel choice that cannot be honoured: not one of ``KERNEL_CHOICES``, or ``native`` forced
    where the kernels cannot be built. Bad input, which the CLI reports in one line (exit 2)."""


def _check(choice: str, where: str) -> str:
    value = str(choice).strip().lower()
    if value not in KERNEL_CHOICES:
        hint = did_you_mean(value, KERNEL_CHOICES)
        raise KernelChoiceError(f"{where} must be one of {', '.join(KERNEL_CHOICES)}, got {choice!r}.{hint}")
    return value


def kernel_choice() -> str:
    """The requested path: the innermost ``use_kernels`` block, else ``$BRAINBATCH_KERNELS``, else auto."""
    chosen = _override.get()
    if chosen is not None:
        return chosen
    try:
        return get_setting(ENV)
    except SettingError as err:
        raise KernelChoiceError(str(err)) from None


@contextlib.contextmanager
def use_kernels(choice: str) -> Iterator[None]:
    """Force ``"native"``, ``"jax"`` or ``"auto"`` for models traced inside the block.

    >>> from brainbatch.kernels import use_kernels, active_backend
    >>> with use_kernels("jax"):
    ...     active_backend()
    'jax'
    """
    value = _check(choice, "use_kernels(choice)")
    token = _override.set(value)
    try:
        with _jit_key(value):
            yield
    finally:
        _override.reset(token)


def _register() -> bool:
    with _register_lock:  # threads that trace at once (one per device) register the targets once
        return _register_once()


def _register_once() -> bool:
    if "ok" in _registered:
        return _registered["ok"]
    lib = load_library(warn=kernel_choice() == "auto")
    ok = lib is not None
    if ok:
        for name, symbol in (("bb_event_count", "BbEventCount"), ("bb_event_weighted", "BbEventWeighted"),
                             ("bb_event_count_scaled", "BbEventCountScaled"),
                             ("bb_event_weighted_scaled", "BbEventWeightedScaled"),
                             ("bb_event_ring_scalar", "BbEventRingScalar"),
                             ("bb_event_ring_weighted", "BbEventRingWeighted"),
                             ("bb_event_ring_csr", "BbEventRingCsr"), ("bb_plastic_pair", "BbPlasticPair"),
                             ("bb_threefry2x32", "BbThreefry2x32"),
                             ("bb_threefry_bits", "BbThreefryBits"),
                             ("bb_threefry_split", "BbThreefrySplit"),
                             ("bb_cumsum_i32", "BbCumsumI32"), ("bb_cumsum_f32", "BbCumsumF32")):
            jax.ffi.register_ffi_target(name, jax.ffi.pycapsule(getattr(lib, symbol)), platform="cpu")
    _registered["ok"] = ok
    return ok


def native_available() -> bool:
    """Whether the native CPU kernels are built and registered (builds them on first call)."""
    return _register()


def active_backend() -> str:
    """``"native"`` or ``"jax"``: the path CPU programs traced now will use.

    Raises ``KernelChoiceError`` (a ``RuntimeError``) when ``native`` is forced but the kernels cannot be built.
    """
    choice = kernel_choice()
    if choice == "jax":
        return "jax"
    if _register():
        return "native"
    if choice == "native":
        raise KernelChoiceError(f"{ENV}=native, but the native kernels could not be built: {build_error()}")
    return "jax"


def native_when_lowering(ctx: Any = None) -> bool:
    """Whether a lowering rule chosen when a program is lowered (the threefry hash, a draw, a cumulative
    sum) calls the native kernels: not for ``jax.export`` (``ctx``'s program; an exported program may only
    call the custom targets JAX guarantees stable), not when ``jax`` is chosen, and only where the library
    builds and loads (else ``auto`` warns once, ``NativeKernelWarning``). A bad setting is reported where a
    model asks for a path (``active_backend``); here it keeps JAX's rule, so plain ``jax.random`` never breaks."""
    if ctx is not None and getattr(ctx.module_context.lowering_parameters, "for_export", False):
        return False
    try:
        if kernel_choice() == "jax":
            return False
    except KernelChoiceError:
        return False
    return _register()
