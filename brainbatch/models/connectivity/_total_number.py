"""``FixedTotalNumber``: exactly ``num`` synapses between two groups, each pair drawn uniformly (NEST's
``fixed_total_number``)."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ._base import AbstractConnector, Connectivity, binomial_bound, skip_diagonal
from ...core.checks import check_bool, check_int

__all__ = ["FixedTotalNumber"]


class FixedTotalNumber(AbstractConnector):
    """``num`` synapses, each from a uniformly drawn pre to a uniformly drawn post neuron.

    As NEST's ``fixed_total_number`` with its defaults: multapses (the same pair more than once) and
    autapses are allowed; ``allow_self_conn=False`` draws each synapse's post from the others when
    pre and post are the same group. Without multapses NEST redraws repeated pairs; that variant is not
    offered here (``allow_multapses=False`` is refused) — at the microcircuit's densities (p < 0.4)
    it changes each pathway's in-degrees by under one synapse in a thousand.
    A pre neuron's out-degree is Binomial(``num``, 1/``n_pre``), hence ``K = binomial_bound``.

    >>> import jax
    >>> c = FixedTotalNumber(500)(jax.random.key(0), 40, 30)
    >>> int(c.num_synapses())
    500
    """

    def __init__(self, num: int, allow_self_conn: bool = True, allow_multapses: bool = True):
        self.num = check_int("num", num, minimum=0)
        self.allow_self_conn = check_bool("allow_self_conn", allow_self_conn)
        if not check_bool("allow_multapses", allow_multapses):
            raise ValueError("FixedTotalNumber(allow_multapses=False) is not supported; use FixedProb or "
                             "FixedInDegree for connectivity without repeated pairs")
        self.allow_multapses = True

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return binomial_bound(self.num, 1.0 / n_pre)

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        mean = self.num / n_pre
        return mean, mean * (1.0 - 1.0 / n_pre)

    def num_pairs(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return self.num

    def pairs(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> tuple[jax.Array, jax.Array]:
        """``(pre, post)``, int32 arrays of length ``num``: the synapses in no particular order."""
        exclude = self.excludes_self(n_pre, n_post, same_group)
        if exclude and n_post < 2:
            raise ValueError("FixedTotalNumber without self-connections needs at least 2 neurons")
        k_pre, k_post = jax.random.split(key)
        pre = jax.random.randint(k_pre, (self.num,), 0, n_pre, dtype=jnp.int32)
        post = jax.random.randint(k_post, (self.num,), 0, n_post - exclude, dtype=jnp.int32)
        if exclude:
            post = skip_diagonal(post, pre)
        return pre, post

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        from ._fixed_degree import rows_from_pairs

        pre, post = self.pairs(key, n_pre, n_post, same_group)
        return rows_from_pairs(pre, post, n_pre, n_post, self.fan_out(n_pre, n_post, same_group))
