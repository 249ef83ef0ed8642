"""``bm.random``'s distributions beyond the basic ones (BrainPy 2.8.2's names and NumPy's parameters): the
mean and variance of 40000 draws against the distribution's own (scipy.stats), within five standard errors,
the shape rules (``size``, else the parameters' broadcast), ``key=``, and seeding repeats them."""
import numpy as np
import pytest
from scipy import stats

import brainbatch.brainpy.math as bm

N = 40_000
CASES = {  # name: (call, scipy distribution with the same parameters)
    "standard_normal": (lambda: bm.random.standard_normal(N), stats.norm()),
    "standard_exponential": (lambda: bm.random.standard_exponential(N), stats.expon()),
    "standard_gamma": (lambda: bm.random.standard_gamma(2.5, N), stats.gamma(2.5)),
    "gamma": (lambda: bm.random.gamma(2.0, 3.0, N), stats.gamma(2.0, scale=3.0)),
    "beta": (lambda: bm.random.beta(2.0, 5.0, N), stats.beta(2.0, 5.0)),
    "lognormal": (lambda: bm.random.lognormal(0.5, 0.4, N), stats.lognorm(0.4, scale=np.exp(0.5))),
    "binomial": (lambda: bm.random.binomial(20, 0.3, N), stats.binom(20, 0.3)),
    "chisquare": (lambda: bm.random.chisquare(4.0, N), stats.chi2(4.0)),
    "geometric": (lambda: bm.random.geometric(0.2, N), stats.geom(0.2)),
    "laplace": (lambda: bm.random.laplace(1.0, 2.0, N), stats.laplace(1.0, 2.0)),
    "logistic": (lambda: bm.random.logistic(-1.0, 0.5, N), stats.logistic(-1.0, 0.5)),
    "gumbel": (lambda: bm.random.gumbel(0.5, 2.0, N), stats.gumbel_r(0.5, 2.0)),
    "standard_t": (lambda: bm.random.standard_t(10.0, N), stats.t(10.0)),
    "pareto": (lambda: bm.random.pareto(5.0, N), stats.lomax(5.0)),
    "weibull": (lambda: bm.random.weibull(1.5, N), stats.weibull_min(1.5)),
    "rayleigh": (lambda: bm.random.rayleigh(2.0, N), stats.rayleigh(scale=2.0)),
    "triangular": (lambda: bm.random.triangular(0.0, 0.3, 2.0, N), stats.triang(0.15, 0.0, 2.0)),
    "negative_binomial": (lambda: bm.random.negative_binomial(5, 0.4, N), stats.nbinom(5, 0.4)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_mean_and_variance_are_the_distributions(name):
    draw, dist = CASES[name]
    bm.random.seed(0)
    x = np.asarray(draw(), np.float64)
    assert x.shape == (N,) and np.isfinite(x).all()
    mean, var = dist.stats("mv")
    se_mean = np.sqrt(var / N)
    se_var = np.sqrt((dist.moment(4) - 4 * dist.mean() * dist.moment(3) + 6 * dist.mean() ** 2 * dist.moment(2)
                      - 3 * dist.mean() ** 4 - var ** 2) / N)  # from the fourth central moment
    assert abs(x.mean() - mean) < 5 * se_mean, (x.mean(), mean)
    assert abs(x.var() - var) < 5 * se_var, (x.var(), var)


def test_shapes_keys_seeds_and_bad_parameters():
    assert bm.random.gamma(np.ones((2, 3))).shape == (2, 3) and bm.random.beta(1.0, np.ones(4)).shape == (4,)
    assert bm.random.binomial(10, 0.5).dtype == np.int32 and bm.random.lognormal(size=(2, 2)).shape == (2, 2)
    assert np.array_equal(bm.random.gamma(2.0, size=5, key=3), bm.random.gamma(2.0, size=5, key=3))
    bm.random.seed(7)
    a = bm.random.dirichlet(np.ones(3), 4)
    bm.random.seed(7)
    assert np.array_equal(a, bm.random.dirichlet(np.ones(3), 4)) and np.allclose(np.asarray(a).sum(1), 1.0)
    assert bm.random.multivariate_normal(np.zeros(2), np.eye(2), 5).shape == (5, 2)
    assert bm.random.randn_like(np.zeros((3, 2))).shape == (3, 2) and bm.random.categorical(np.zeros(4), size=6).shape == (6,)
    with pytest.raises(ValueError, match=r"binomial: p must be in \[0, 1\], got 1.5"):
        bm.random.binomial(10, 1.5)
    with pytest.raises(ValueError, match="chisquare: df must be > 0, got -1"):
        bm.random.chisquare(-1)
    # JAX clips low > high to low (numpy refuses it): 5 was every draw of randint(5, 1)
    with pytest.raises(ValueError, match=r"randint: low must be < high .*got low=5, high=1"):
        bm.random.randint(5, 1)
    with pytest.raises(ValueError, match=r"randint_like: low must be < high .*got low=0, high=0"):
        bm.random.randint_like(np.zeros(3), 0)
    assert set(np.asarray(bm.random.randint(2, 4, size=50)).tolist()) <= {2, 3}
    # NumPy's rules, which JAX does not check: each of these drew silently (a negative scale, p > 1, 2.5 samples as 2)
    for draw, message in ((lambda: bm.random.randn(2.5), r"size must be an int or a tuple of ints, got \(2.5,\)"),
                          (lambda: bm.random.normal(0, -1), "normal: scale must be >= 0, got -1"),
                          (lambda: bm.random.exponential(-1), "exponential: scale must be >= 0"),
                          (lambda: bm.random.poisson(-1), "poisson: lam must be >= 0"),
                          (lambda: bm.random.negative_binomial(3, 2), r"negative_binomial: p must be in \(0, 1\]"),
                          (lambda: bm.random.geometric(0), r"geometric: p must be in \(0, 1\], got 0"),
                          (lambda: bm.random.bernoulli(1.5), r"bernoulli: p must be in \[0, 1\], got 1.5"),
                          (lambda: bm.random.gamma(-1), "gamma: shape must be >= 0"),
                          (lambda: bm.random.lognormal(0, -2), "lognormal: sigma must be >= 0"),
                          (lambda: bm.random.choice(3, p=[0.5, 0.7, -0.2]), "choice: p must be probabilities >= 0"),
                          (lambda: bm.random.choice(3, p=[0.2, 0.2, 0.2]), "choice: p must be probabilities that sum")):
        with pytest.raises((ValueError, TypeError), match=message):
            draw()
    # lists, as BrainPy takes them (jax.random refused them)
    assert bm.random.choice([1, 2, 3], size=4).shape == (4,) and bm.random.normal([0.0, 1.0], 1.0).shape == (2,)
    assert bm.random.choice(3, size=5, p=[0.2, 0.3, 0.5]).shape == (5,)
