"""``ShapedOnAttach``: a node that takes its shape from the neuron group it is attached to (a synapse from
its postsynaptic group, short-term plasticity from the presynaptic one), or from ``size=``."""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ShapedOnAttach"]


class ShapedOnAttach:
    """Mixin: ``size`` (None until attached), ``keep_size``, and the geometry read from them.

    >>> from brainbatch.models import Exponential
    >>> Exponential(size=(2, 3)).num, Exponential(size=(2, 3), keep_size=True).varshape
    (6, (2, 3))
    """

    size: Any
    keep_size: bool
    #: what to do instead of ``size=``, said when the shape is needed before it is known
    unattached_hint: str = "attach it to a group"

    @property
    def attached(self) -> bool:
        return self.size is not None

    @property
    def num(self) -> int:
        return int(np.prod(self._require_size()))

    @property
    def varshape(self) -> tuple[int, ...]:
        size = self._require_size()
        return size if self.keep_size else (int(np.prod(size)),)

    def _require_size(self) -> tuple[int, ...]:
        if self.size is None:
            raise ValueError(f"{type(self).__name__} {getattr(self, 'name', '')!r} has no size yet: give size=..., or "
                             f"{self.unattached_hint}")
        return self.size
