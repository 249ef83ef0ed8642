"""FixedProb at small probabilities: a pair's probability is no longer quantised by a 23-bit uniform (7 % off
at p = 1e-6 for the pair that starts a row or follows a synapse); every network drawn at p >= 1e-3 stays the
same bit for bit. The samplers' laws are checked exactly from their bits (the CDF at every boundary), the
connector statistically (tolerances of Z standard deviations of the binomial law, fixed seeds)."""
import hashlib
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from brainbatch.models.connectivity import Explicit, FixedProb
from brainbatch.models.connectivity._fixed_prob import FINE_BELOW, gap_digit, log_uniform

Z = 5.0
GRID = 2**24


def _boundaries(f, centre, n_grid):
    """Exact boundaries of a monotone step function of a grid index near their expected places ``centre``.

    ``f(m) -> bool`` (True below the boundary) is evaluated on ``centre +- 8``; each window must hold the
    step (so the boundary is within 8 steps of where the exact law puts it); returns how many indices lie below.
    """
    start = np.clip(np.round(centre).astype(np.int64) - 8, 0, n_grid - 17)
    window = start[:, None] + np.arange(17)
    below = np.asarray(f(window))
    assert np.all(below[:, :-1] >= below[:, 1:]), "not monotone near a boundary"
    assert np.all(below[:, 0] | (window[:, 0] == 0)) and np.all(~below[:, -1] | (window[:, -1] == n_grid - 1))
    return window[:, 0] + below.sum(axis=1)


@pytest.mark.parametrize("p", [1e-9, 1e-6, 1e-4, 9.99e-4])
def test_each_digit_of_a_fine_gap_has_its_truncated_geometric_law_to_two_grid_steps(p):
    """Digit k of a Geometric(p) gap: P(d) = r^d (1 - r) / (1 - r^256) on 0..255, r = (1 - p)^(256^k); its
    CDF at every boundary d, counted over all 2**24 inputs, within 4 of 2**24 F(d): float32 rounds the
    quotient (< 256) by ~2**-15, which moves a boundary by ~2**-23 of the uniform, two of its steps."""
    d = np.arange(1, 256)
    for k in range(3):
        log_r = 256**k * math.log1p(-p)
        exact = GRID * np.expm1(d * log_r) / math.expm1(256 * log_r)  # 2**24 P(digit < d)
        digit = jax.jit(lambda m, k=k: gap_digit(m.astype(jnp.uint32) << 8, p, k))
        below = _boundaries(lambda m: digit(m) < d[:, None], exact, GRID)
        assert np.abs(below - exact).max() <= 4.0, (k, np.abs(below - exact).max())


@pytest.mark.parametrize("t", [1e-7, 1e-6, 3e-5])
def test_log_uniform_resolves_one_minus_u_far_below_the_23_bit_grid(t):
    """P(-log U < t) = 1 - e^-t, counted exactly from log_uniform's bits, within 1e-6 relative; 1 - a 23-bit
    uniform (what FixedProb drew from at every p) gives 19 % too much at 1e-7 and 7 % at 1e-6."""
    s = -math.expm1(-t)  # -log U < t  <=>  U > 1 - s: the half where U = 1 - w, with w < s
    z = int(math.floor(-math.log2(s))) - 1  # w's binade [2^-(z+2), 2^-(z+1)) that holds s, chosen with prob 2^-(z+1)
    mass_below = 2.0 ** -(z + 1)  # P(w < 2^-(z+2)) = sum over the binades below
    centre = np.array([s * 2.0 ** (z + 25) - 2**23])  # mantissa where w = (2^23 + m) 2^-(z+25) reaches s
    words_b = jnp.uint32(1 << (31 - z))  # leading zeros z
    f = jax.jit(lambda m: log_uniform((m.astype(jnp.uint32) << 9) | 0, jnp.full(m.shape, words_b)) > -t)
    inside = _boundaries(f, centre, 2**23)[0]
    prob = 0.5 * (mass_below + 2.0 ** -(z + 1) * inside / 2**23)
    assert abs(prob / s - 1) < 1e-6
    if t <= 1e-6:  # what the 23-bit grid gave: why the fix
        old = np.mean(-np.log(1 - np.arange(2**23, dtype=np.float32) * np.float32(2**-23)) < t)
        assert old / s - 1 > 0.07


@pytest.mark.parametrize("seed,n_pre,n_post,p", [(0, 40000, 100000, 1e-6), (1, 200000, 300, 1e-5),
                                                 (2, 30000, 3000, 1e-4)])
def test_fixed_prob_small_p_pairs_are_binomial_and_spread_evenly(seed, n_pre, n_post, p):
    """The synapse count ~ Binomial(n_pre n_post, p); columns (in 20 bins, and by residue mod 256: the gap's
    lowest digit) are uniform by chi-square. The sizes use one, two and three digits of a gap."""
    c = FixedProb(p)(jax.random.key(seed), n_pre, n_post)
    assert not bool(c.overflow)
    t = np.asarray(c.targets)
    cols = t[t < n_post]
    n = n_pre * n_post
    assert abs(cols.size - n * p) < Z * math.sqrt(n * p * (1 - p)), (cols.size, n * p)
    rows = np.broadcast_to(np.arange(n_pre)[:, None], t.shape)[t < n_post]
    assert len(set(zip(rows.tolist(), cols.tolist()))) == cols.size  # no pair twice
    for bins, key in ((20, cols * 20 // n_post), (256, cols % 256)):
        if n_post < 2 * bins:
            continue
        per = np.bincount(np.arange(n_post) * 20 // n_post if bins == 20 else np.arange(n_post) % 256, minlength=bins)
        expected = cols.size * per / n_post
        chi2 = ((np.bincount(key, minlength=bins) - expected) ** 2 / expected).sum()
        assert chi2 < bins - 1 + Z * math.sqrt(2 * (bins - 1)), (bins, chi2)


# Tables drawn by the code before the fine sampler (CPU; sha256 of targets' bytes, first 16 hex digits).
BEFORE = [((0, 300, 400, 0.001, False), "436d69b61e574a18"), ((1, 1000, 1000, 0.02, False), "a6d018b2d4a275d7"),
          ((2, 60, 60, 0.5, True), "4cab925fb53c0156"), ((3, 20, 20, 1.0, True), "3bdcbbcecdb67bbf"),
          ((4, 2000, 3000, 0.0013, False), "3ce02c8c641a725a"), ((5, 5000, 700, 0.1, False), "b4478b3d8ca10f20")]


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="the digests were taken on CPU (another kind rounds otherwise)")
@pytest.mark.parametrize("case,digest", BEFORE, ids=[str(c) for c, _ in BEFORE])
def test_fixed_prob_at_and_above_the_threshold_draws_the_networks_it_drew_before(case, digest):
    seed, n_pre, n_post, p, same = case
    assert p >= FINE_BELOW == 1e-3
    targets = np.asarray(FixedProb(p, allow_self_conn=not same)(jax.random.key(seed), n_pre, n_post, same).targets)
    assert hashlib.sha256(targets.tobytes()).hexdigest()[:16] == digest


def test_explicit_moments_refuse_indices_outside_the_groups_as_its_build_does():
    """out_degree_moments(3, 3) of pairs naming neuron 5 gave (1/3, 2/9), the moments of six rows."""
    conn = Explicit([0, 5], [0, 0])
    with pytest.raises(ValueError, match="presynaptic index 5 is out of range for a group of 3"):
        conn.out_degree_moments(3, 3)
    assert conn.out_degree_moments(6, 3) == (2 / 6, np.var([1, 0, 0, 0, 0, 1]))
