"""Connectivity drawn from the run key (or listed by hand: ``Explicit``) and stored as padded rows by
presynaptic neuron.

A connector is called as ``conn(key, n_pre, n_post, same_group=False)`` and returns a
``Connectivity``: ``targets (n_pre, K)`` int32 padded with ``n_post``, and an ``overflow`` flag.
``K`` depends only on sizes and parameters, so every seed gives the same shapes.

>>> import jax
>>> from brainbatch.models.connectivity import FixedProb
>>> FixedProb(0.1)(jax.random.key(1), 100, 100).targets.shape
(100, 50)
"""
from ._all_to_all import AllToAll as AllToAll
from ._base import AbstractConnector as AbstractConnector
from ._base import Connectivity as Connectivity
from ._base import ConnectivityOverflowError as ConnectivityOverflowError
from ._base import binomial_bound as binomial_bound
from ._base import check_overflow as check_overflow
from ._base import padded as padded
from ._explicit import Explicit as Explicit
from ._fixed_degree import FixedInDegree as FixedInDegree
from ._fixed_degree import FixedOutDegree as FixedOutDegree
from ._fixed_degree import FixedPostNum as FixedPostNum
from ._fixed_degree import FixedPreNum as FixedPreNum
from ._fixed_prob import FixedProb as FixedProb
from ._fixed_prob import check_prob as check_prob
from ._one_to_one import OneToOne as OneToOne
from ._sampling import distinct_per_row as distinct_per_row
from ._total_number import FixedTotalNumber as FixedTotalNumber

__all__ = [
    "AbstractConnector", "AllToAll", "Connectivity", "ConnectivityOverflowError", "Explicit", "FixedInDegree",
    "FixedOutDegree", "FixedPostNum", "FixedPreNum", "FixedProb", "FixedTotalNumber", "OneToOne", "binomial_bound",
    "check_overflow", "check_prob", "distinct_per_row", "padded",
]
