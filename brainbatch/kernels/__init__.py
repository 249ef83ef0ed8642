"""Native CPU kernels (XLA FFI) with pure-JAX twins: the hot loop's event-driven propagation.

A layer below ``models``: it imports only JAX. See ``README.md`` here for the build and the rules.

>>> import brainbatch.kernels as k
>>> k.active_backend() in ("native", "jax")
True
"""
from ._build import NativeKernelWarning as NativeKernelWarning
from ._build import cache_dir as cache_dir
from ._cumsum import cumsum_exact as cumsum_exact
from ._event import event_ring as event_ring
from ._event import event_ring_csr as event_ring_csr
from ._event import event_sum as event_sum
from ._plastic import PAIR_PARAMS as PAIR_PARAMS
from ._plastic import plastic_pair as plastic_pair
from ._plastic_jax import update_rows as update_rows
from ._select import KERNEL_CHOICES as KERNEL_CHOICES
from ._select import KernelChoiceError as KernelChoiceError
from ._select import active_backend as active_backend
from ._select import kernel_choice as kernel_choice
from ._select import native_available as native_available
from ._select import native_when_lowering as native_when_lowering
from ._select import use_kernels as use_kernels
from ._threefry import random_bits_native as random_bits_native
from ._threefry import random_split_native as random_split_native
from ._threefry import threefry_cpu_rule as threefry_cpu_rule

__all__ = ["NativeKernelWarning", "cache_dir", "event_ring", "event_ring_csr", "event_sum", "PAIR_PARAMS", "plastic_pair", "update_rows", "KERNEL_CHOICES", "KernelChoiceError",
           "active_backend",
           "kernel_choice", "native_available", "use_kernels", "threefry_cpu_rule",
           "random_bits_native", "random_split_native", "native_when_lowering", "cumsum_exact"]
