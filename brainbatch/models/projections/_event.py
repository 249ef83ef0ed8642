"""Event-driven propagation lives in ``brainbatch.kernels`` (native CPU kernel, pure-JAX twin)."""
from ...kernels import event_ring, event_sum

__all__ = ["event_sum", "event_ring"]
