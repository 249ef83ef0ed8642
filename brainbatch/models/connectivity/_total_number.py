"""``FixedTotalNumber``: exactly ``num`` synapses between two groups, each pair drawn uniformly (NEST's
``fixed_total_number``)."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from ._base import AbstractConnector, Connectivity, binomial_bound, skip_diagonal
from ...core.checks import check_bool, check_int

__all__ = ["FixedTotalNumber", "MAX_DISTINCT_PAIRS"]

#: The most pairs ``FixedTotalNumber(allow_multapses=False)`` shuffles (2**27: a 512 MB shuffle of int32 indices).
MAX_DISTINCT_PAIRS = 2**27


class FixedTotalNumber(AbstractConnector):
    """``num`` synapses, each from a uniformly drawn pre to a uniformly drawn post neuron.

    As NEST's ``fixed_total_number`` with its defaults: multapses (the same pair more than once) and
    autapses are allowed; ``allow_self_conn=False`` draws each synapse's post from the others when
    pre and post are the same group. ``allow_multapses=False`` draws ``num`` distinct pairs, every set
    of ``num`` pairs equally likely (NEST's redrawing of repeated pairs, and BrainPy's
    ``FixedTotalNum``): that draw shuffles every possible pair, so it takes ``n_pre * n_post`` at most
    ``MAX_DISTINCT_PAIRS``.
    A pre neuron's out-degree is Binomial(``num``, 1/``n_pre``) (hypergeometric without multapses, which
    varies less), hence ``K = binomial_bound``.

    >>> import jax
    >>> c = FixedTotalNumber(500)(jax.random.key(0), 40, 30)
    >>> int(c.num_synapses())
    500
    >>> d = FixedTotalNumber(1200, allow_multapses=False)(jax.random.key(0), 40, 30).dense()
    >>> int(d.sum()), int(d.max())
    (1200, 1)
    """

    def __init__(self, num: int, allow_self_conn: bool = True, allow_multapses: bool = True):
        # the synapses are counted and indexed in int32 (10**15 failed inside the draw: "out of bounds for int32")
        self.num = check_int("num", num, minimum=0, maximum=2**31 - 1)
        self.allow_self_conn = check_bool("allow_self_conn", allow_self_conn)
        self.allow_multapses = check_bool("allow_multapses", allow_multapses)

    def fan_out(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        bound = binomial_bound(self.num, 1.0 / n_pre)
        return bound if self.allow_multapses else min(bound, n_post)

    def out_degree_moments(self, n_pre: int, n_post: int, same_group: bool = False) -> tuple[float, float]:
        mean = self.num / n_pre
        var = mean * (1.0 - 1.0 / n_pre)
        if not self.allow_multapses:  # hypergeometric: drawn from the n_pairs pairs without replacement
            n_pairs = n_pre * (n_post - self.excludes_self(n_pre, n_post, same_group))
            var *= (n_pairs - self.num) / max(n_pairs - 1, 1)
        return mean, var

    def num_pairs(self, n_pre: int, n_post: int, same_group: bool = False) -> int:
        return self.num

    def pairs(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> tuple[jax.Array, jax.Array]:
        """``(pre, post)``, int32 arrays of length ``num``: the synapses in no particular order."""
        exclude = self.excludes_self(n_pre, n_post, same_group)
        if exclude and n_post < 2:
            raise ValueError("FixedTotalNumber without self-connections needs at least 2 neurons")
        if not self.allow_multapses:
            return self._distinct_pairs(key, n_pre, n_post - exclude, exclude)
        k_pre, k_post = jax.random.split(key)
        pre = jax.random.randint(k_pre, (self.num,), 0, n_pre, dtype=jnp.int32)
        post = jax.random.randint(k_post, (self.num,), 0, n_post - exclude, dtype=jnp.int32)
        if exclude:
            post = skip_diagonal(post, pre)
        return pre, post

    def _distinct_pairs(self, key: jax.Array, n_pre: int, n_cand: int, exclude: bool) -> tuple[jax.Array, jax.Array]:
        n_pairs = n_pre * n_cand
        if self.num > n_pairs:
            raise ValueError(f"FixedTotalNumber(num={self.num}, allow_multapses=False): only {n_pairs} distinct pairs "
                             f"exist between {n_pre} and {n_cand + exclude} neurons"
                             + (" without self-connections" if exclude else ""))
        if n_pairs > MAX_DISTINCT_PAIRS:
            raise ValueError(f"FixedTotalNumber(allow_multapses=False) shuffles every pair, and {n_pre} x "
                             f"{n_cand + exclude} neurons have {n_pairs:.3g} (at most {MAX_DISTINCT_PAIRS:.3g}); "
                             "use allow_multapses=True or FixedProb for groups this large")
        flat = jax.random.choice(key, n_pairs, (self.num,), replace=False).astype(jnp.int32)
        pre, post = flat // n_cand, flat % n_cand
        return pre, (skip_diagonal(post, pre) if exclude else post)

    def build(self, key: jax.Array, n_pre: int, n_post: int, same_group: bool) -> Connectivity:
        from ._fixed_degree import rows_from_pairs

        pre, post = self.pairs(key, n_pre, n_post, same_group)
        return rows_from_pairs(pre, post, n_pre, n_post, self.fan_out(n_pre, n_post, same_group))
