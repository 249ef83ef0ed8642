"""Trainable readouts: ``Dense`` with ``offline_fit`` (ridge regression) and ``online_fit`` (RLS)."""
from ._dense import Dense as Dense
from ._dense import XavierNormal as XavierNormal

__all__ = ["Dense", "XavierNormal"]
