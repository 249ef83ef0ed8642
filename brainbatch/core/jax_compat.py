"""The parts of JAX below its public API that brainbatch uses, in one place.

JAX offers no public way to ask whether a backend has started, nor to wrap the factory that makes
its CPU client (``cpu_threads.py`` needs both), to ask whether code runs outside any trace
(``initializers.py``), or to key the persistent compilation cache without the device assignment
(``sweep/cache.py``), nor to replace how a JAX primitive is lowered (the threefry hash on CPU,
``kernels/_threefry.py``). Every import of ``jax._src`` in brainbatch is here
(``tests/test_imports.py``); each call is gated to the JAX versions it was tested with
(``TESTED_JAX``, the range ``pyproject.toml`` allows) and falls back to leaving JAX alone.
``tests/core/test_jax_compat.py`` checks it against the installed JAX.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

__all__ = ["TESTED_JAX", "backend_started", "cache_keys_without_devices", "jax_version", "version_tested",
           "trace_state_clean", "wrap_cpu_backend_factory", "replace_threefry_cpu_lowering",
           "replace_random_cpu_lowerings"]

#: ``[low, high)``: the JAX versions these internals were tested with (pyproject.toml's bounds).
TESTED_JAX = ((0, 4, 30), (0, 11))


def _version(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> ``(0, 10, 2)`` (a suffix such as ``.dev1`` ends the numbers).

    >>> _version("0.10.2"), _version("0.11.0.dev20260101")
    ((0, 10, 2), (0, 11, 0))
    """
    out = []
    for part in text.split("."):
        if not part.isdigit():
            break
        out.append(int(part))
    return tuple(out)


def jax_version() -> tuple[int, ...]:
    import jax

    return _version(jax.__version__)


def version_tested() -> bool:
    """Whether the installed JAX lies in ``TESTED_JAX``."""
    return TESTED_JAX[0] <= jax_version() < TESTED_JAX[1]


def backend_started() -> bool:
    """Whether JAX has created a backend in this process (then device counts can no longer change).

    Without JAX imported: False. Where the internals differ: True (assume the worst: change nothing).
    """
    import sys

    if "jax" not in sys.modules:
        return False
    try:
        from jax._src import xla_bridge

        return bool(xla_bridge._backends)
    except (ImportError, AttributeError):  # pragma: no cover - a JAX without this internal
        return True


def wrap_cpu_backend_factory(wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> bool:
    """Replace JAX's CPU backend factory ``make`` by ``wrap(make)``, before the backend exists.

    Returns whether it did: not on an untested JAX, after the backend started, or where the
    internals differ.
    """
    try:
        if not version_tested():
            return False
        from jax._src import xla_bridge

        registration = xla_bridge._backend_factories.get("cpu")
        if registration is None or xla_bridge._backends:
            return False
        xla_bridge._backend_factories["cpu"] = dataclasses.replace(registration, factory=wrap(registration.factory))
        return True
    except Exception:  # noqa: BLE001 - JAX internals moved: keep JAX's default
        return False


def trace_state_clean() -> bool:
    """True outside any trace (jit, vmap, eval_shape); False where JAX lacks the check (the traced path
    is always correct, only slower to build)."""
    try:
        from jax._src.core import trace_state_clean as clean
    except ImportError:
        return False
    return bool(clean())


def cache_keys_without_devices() -> bool:
    """Make JAX's persistent-cache keys of compiled programs leave out their device assignment, so a
    program compiled for one CPU device is read back for another. True if in force (once per process);
    only on a tested JAX whose internals are what this expects, else JAX's own keys stay."""
    if _patched["cache_keys"]:
        return True
    try:
        if not version_tested():
            return False
        from jax._src import cache_key

        original = cache_key._hash_serialized_compile_options
        if original.__code__.co_varnames[:3] != ("hash_obj", "compile_options_obj", "strip_device_assignment"):
            return False

        def hash_options(hash_obj: Any, compile_options_obj: Any, strip_device_assignment: bool = False) -> Any:
            return original(hash_obj, compile_options_obj, strip_device_assignment=True)

        hash_options.__wrapped__ = original  # type: ignore[attr-defined]
        cache_key._hash_serialized_compile_options = hash_options
        _patched["cache_keys"] = True
    except Exception:  # noqa: BLE001 - JAX internals moved: keep JAX's keys
        return False
    return True


def replace_threefry_cpu_lowering(make_rule: Callable[[Callable[..., Any]], Callable[..., Any]]) -> bool:
    """Lower JAX's ``threefry2x32`` primitive on CPU with ``make_rule(original)``, ``original`` being
    JAX's own CPU rule (which the new rule may delegate to). Programs lowered for ``jax.export`` keep
    JAX's rule (an exported program may only call custom targets JAX guarantees stable). Once per
    process: True if in force; on an untested JAX, or where the internals differ, JAX's lowering stays
    and this returns False."""
    if _patched["threefry"]:
        return True
    try:
        if not version_tested():
            return False
        from jax._src.interpreters import mlir
        from jax._src.random import threefry2x32

        primitive = threefry2x32.threefry2x32_p
        entry = mlir._platform_specific_lowerings["cpu"].get(primitive)
        original = threefry2x32._threefry2x32_cpu_lowering_rule
        if entry is None or entry.rule is not original:
            return False
        rule = make_rule(original)

        def lowering(ctx: Any, *args: Any) -> Any:
            if getattr(ctx.module_context.lowering_parameters, "for_export", False):
                return original(ctx, *args)
            return rule(ctx, *args)

        mlir.register_lowering(primitive, lowering, platform="cpu", inline=entry.inline)
        _patched["threefry"] = True
    except Exception:  # noqa: BLE001 - JAX internals moved: keep JAX's lowering
        return False
    return True


def replace_random_cpu_lowerings(native_bits: Callable[[Any, int, tuple], Any],
                                 native_split: Callable[[Any, tuple], Any], use_native: Callable[[], bool]) -> bool:
    """Lower JAX's ``random_bits`` (every ``jax.random`` draw) and ``random_split`` primitives on CPU with
    ``native_bits(data, bit_width, shape)`` and ``native_split(data, shape)`` where they apply: a threefry
    key, JAX's partitionable threefry (its default), a static non-empty shape, a program for one device,
    not for ``jax.export``, and ``use_native()`` when the program is lowered. ``data`` is the keys'
    ``uint32[*batch, 2]``; the results must be JAX's: bits ``[*batch, *shape]``, key data ``[*batch, *shape,
    2]``. Anywhere else JAX's own lowering runs. Once per process: True if in force; on an untested JAX,
    or where the internals differ, JAX's lowerings stay and this returns False."""
    if _patched["random"]:
        return True
    try:
        if not version_tested():
            return False
        import math

        import jax
        from jax._src import core as jax_core
        from jax._src import sharding_impls
        from jax._src.interpreters import mlir
        from jax._src.random import prng, threefry2x32

        threefry = threefry2x32.threefry_prng_impl
        pairs = [(prng.random_bits_p, prng.random_bits_lowering), (prng.random_split_p, prng.random_split_lowering)]
        for primitive, original in pairs:
            entry = mlir._lowerings.get(primitive)
            if entry is None or entry.rule is not original or primitive in mlir._platform_specific_lowerings["cpu"]:
                return False
        if threefry.random_bits is not threefry2x32.threefry_random_bits or threefry.split is not threefry2x32.threefry_split:
            return False

        physical_aval = jax_core.physical_aval

        def on_key_data(ctx: Any, lowered: Callable[..., Any], keys: Any, with_outputs: bool) -> Any:
            # JAX's own rules lower on the keys' uint32 data in the same way (mlir.delegate_lowering)
            new = ctx.replace(avals_in=[physical_aval(ctx.avals_in[0])],
                              **({"avals_out": [physical_aval(a) for a in ctx.avals_out]} if with_outputs else {}))
            out = lowered(new, keys)
            ctx.set_tokens_out(new.tokens_out)
            return out

        def applies(ctx: Any, shape: tuple) -> bool:
            aval, = ctx.avals_in
            axis_context = ctx.module_context.axis_context
            return (getattr(aval.dtype, "_impl", None) is threefry
                    and jax.config.jax_threefry_partitionable
                    and all(isinstance(d, int) for d in shape) and math.prod(shape) > 0
                    and isinstance(axis_context, sharding_impls.ShardingContext) and axis_context.num_devices == 1
                    and not getattr(ctx.module_context.lowering_parameters, "for_export", False)
                    and use_native())

        def bits(ctx: Any, keys: Any, *, bit_width: int, shape: tuple) -> Any:
            if not applies(ctx, shape):
                return prng.random_bits_lowering(ctx, keys, bit_width=bit_width, shape=shape)
            lowered = mlir.lower_fun(lambda data: native_bits(data, bit_width, shape), multiple_results=False)
            return on_key_data(ctx, lowered, keys, with_outputs=False)

        def split(ctx: Any, keys: Any, *, shape: tuple) -> Any:
            if not applies(ctx, shape):
                return prng.random_split_lowering(ctx, keys, shape=shape)
            lowered = mlir.lower_fun(lambda data: native_split(data, shape), multiple_results=False)
            return on_key_data(ctx, lowered, keys, with_outputs=True)

        for (primitive, _), rule in zip(pairs, (bits, split)):
            mlir.register_lowering(primitive, rule, platform="cpu", inline=mlir._lowerings[primitive].inline)
        _patched["random"] = True
    except Exception:  # noqa: BLE001 - JAX internals moved: keep JAX's lowerings
        return False
    return True


_patched = {"cache_keys": False, "threefry": False, "random": False}
