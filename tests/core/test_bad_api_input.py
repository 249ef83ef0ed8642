"""Bad input to the Python API that was accepted silently (a hostile-user audit): each is now refused by name,
before anything runs. And a truncated normal far in a tail, which was drawn wrong, against scipy's law."""
import jax
import numpy as np
import pytest
from scipy import stats

import brainbatch as bb


def test_a_network_refuses_two_children_of_one_name_one_child_twice_and_a_method_name():
    with pytest.raises(ValueError, match="two children are named 'X'"):
        bb.Network(bb.LIF(3, name="X"), bb.LIF(4, name="X"))  # the 3-neuron group was dropped, never updated
    with pytest.raises(ValueError, match="two children are named 'E'"):
        bb.Network(bb.LIF(3, name="E"), E=bb.LIF(4))
    g = bb.LIF(2)
    with pytest.raises(ValueError, match="the same LIF is given twice, as 'E' and 'F'"):
        bb.Network(E=g, F=g)
    with pytest.raises(ValueError, match="'vars' is the name of a Network method"):
        bb.Network(vars=bb.LIF(2))
    assert list(bb.Network(bb.LIF(2), bb.LIF(3), E=bb.LIF(2)).children()) == ["E", "LIF0", "LIF1"]


@pytest.mark.parametrize("kwargs, said", [
    (dict(reset="no"), "reset must be True or False, got 'no'"),  # a truthy text meant the opposite
    (dict(progress_bar="no"), "progress_bar must be True or False"),
    (dict(keep="yes"), "keep must be True or False"),
    (dict(t0="x"), "t0 must be a finite number of milliseconds, got 'x'"),
    (dict(t0=float("nan")), "t0 must be a finite number of milliseconds, got nan"),
])
def test_runner_flags_and_t0_take_what_they_say(kwargs, said):
    net = bb.Network(G=bb.LIF(2))
    with pytest.raises((TypeError, ValueError), match=said):
        bb.Runner(net, **kwargs)


def test_a_run_or_a_delay_far_too_long_is_refused_before_memory_is_taken():
    net = bb.Network(G=bb.LIF(2))
    runner = bb.Runner(net, progress_bar=False)
    with pytest.raises(ValueError, match=r"1e\+16 steps, more than a run takes"):
        runner.run(1e15)
    with pytest.raises(TypeError, match="reset must be True or False"):
        runner.run(1.0, reset="no")
    g = bb.LIF(2)
    with pytest.raises(ValueError, match=r"delay 1e\+09 ms is 1e\+10 steps of dt=0.1 ms, more than a delay buffer holds"):
        bb.Projection(g, g, bb.FixedProb(0.5), bb.Exponential(5.0), bb.CUBA(), delay=1e9)  # was int32 -2147483647


@pytest.mark.parametrize("make, said", [
    (lambda: bb.TruncatedNormal(0.0, -1.0), "TruncatedNormal scale must be a finite number >= 0, got -1.0"),
    (lambda: bb.LogNormal(0.0, -1.0), "LogNormal sigma must be a finite number >= 0, got -1.0"),
    (lambda: bb.LogNormal(0.0, 1.0, low=5.0, high=4.0), "LogNormal needs low < high"),
    (lambda: bb.Uniform(0.0, 1e39), "wider than float32 holds"),
])
def test_initializers_refuse_settings_that_drew_nan_or_a_constant(make, said):
    with pytest.raises(ValueError, match=said):
        make()


@pytest.mark.parametrize("low, high", [(6.0, 7.0), (8.0, 9.0), (-7.0, -6.0), (3.5, 12.0), (0.1, 5.0)])
def test_a_truncated_normal_far_in_a_tail_follows_the_law(low, high):
    # 6..7 sd gave 7.0 every time (float32 erf rounds to 1 there); scipy's truncnorm is the reference
    x = np.asarray(bb.TruncatedNormal(0.0, 1.0, low, high)((20000,), key=jax.random.key(3)))
    law = stats.truncnorm(low, high)
    assert low <= x.min() and x.max() <= high and len(np.unique(x)) > 15000
    assert stats.kstest(x, law.cdf).pvalue > 1e-4  # fixed key; the 1e-4 level
    assert abs(x.mean() - law.mean()) < 5 * law.std() / np.sqrt(x.size)


def test_a_projection_onto_a_group_outside_the_network_or_sharing_a_synapse_is_refused_when_built():
    E = bb.LIF(4, V_initializer=-50.0)
    syn = bb.Exponential(5.0)
    twins = bb.Network(E=E, p1=bb.Projection(E, E, bb.FixedProb(0.5), syn, bb.CUBA()),
                       p2=bb.Projection(E, E, bb.FixedProb(0.5), syn, bb.CUBA()))
    with pytest.raises(ValueError, match="projections 'p1' and 'p2' are given the same Exponential instance"):
        bb.Runner(twins, progress_bar=False).run(1.0)  # one g for both: each added into the other's
    X = bb.LIF(3, name="X")
    lonely = bb.Network(E=E, p=bb.Projection(E, X, bb.FixedProb(0.5), bb.Exponential(5.0), bb.CUBA()))
    with pytest.raises(ValueError, match="projection 'p': its post group 'X' is not part of the network"):
        bb.Runner(lonely, progress_bar=False).run(1.0)  # X was never simulated


def test_a_bool_or_a_text_is_no_step_size_and_no_delay():
    with pytest.raises(ValueError, match="dt must be a positive number of milliseconds, got True"):
        bb.Runner(bb.Network(G=bb.LIF(2)), dt=True)  # was dt = 1 ms
    g = bb.LIF(2)
    for delay in (True, "1"):  # both were 1 ms
        with pytest.raises(TypeError, match="delay is a number of milliseconds"):
            bb.Projection(g, g, bb.FixedProb(0.5), bb.Exponential(5.0), bb.CUBA(), delay=delay)


@pytest.mark.parametrize("inp, said", [
    (("E.input", float("nan")), "input 'E.input' must be finite, got nan"),  # V was NaN everywhere
    (("E.input", float("inf")), "input 'E.input' must be finite, got inf"),
    (("E.input", None), "input 'E.input' must be a number or an array of numbers, got None"),
    (("E.input", "a"), "must be a number or an array of numbers, got 'a'"),
    (("E.spike", 1.0), "that variable is bool"),  # accepted, did nothing
])
def test_runner_inputs_hold_finite_numbers_for_a_numeric_variable(inp, said):
    with pytest.raises((TypeError, ValueError), match=said):
        bb.Runner(bb.Network(E=bb.LIF(3)), inputs=[inp], progress_bar=False)


def test_a_synapse_or_output_parameter_of_another_length_than_its_group_is_refused_by_name():
    from brainbatch.core.errors import ParameterShapeError

    E = bb.LIF(4, name="E")
    with pytest.raises(ParameterShapeError, match=r"syn Exponential: tau has shape \(5,\), but the group 'E' it "
                                                  r"acts on has shape \(4,\)"):
        bb.Projection(E, E, bb.FixedProb(0.5), bb.Exponential(tau=np.full(5, 5.0)), bb.CUBA())
    with pytest.raises(ParameterShapeError, match=r"out COBA: E has shape \(5,\)"):
        bb.Projection(E, E, bb.FixedProb(0.5), bb.Exponential(5.0), bb.COBA(E=np.zeros(5)))
    pre = bb.LIF(6)  # a synapse on the presynaptic side takes one value per presynaptic neuron
    bb.AlignPreProjection(pre, E, bb.FixedProb(0.5), bb.Exponential(tau=np.full(6, 5.0)), bb.CUBA())
    # a synapse's own size is its shape, not one value per neuron: a 2-d group keeps its (4, 5)
    grid = bb.LIF((4, 5), keep_size=True)
    proj = bb.Projection(pre, grid, bb.AllToAll(), bb.Exponential(tau=5.0, size=(4, 5), keep_size=True), bb.CUBA(),
                         weight=0.1)
    assert proj.syn.g.shape == (4, 5)


def test_a_store_url_whose_backend_is_missing_is_a_store_error_in_one_line():
    import importlib.util

    from brainbatch.store import StoreError

    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed here")
    with pytest.raises(StoreError, match=r"the store 's3://bucket/x.zarr' cannot be reached: ImportError: .*s3fs"):
        bb.open_results("s3://bucket/x.zarr")  # was the backend's ImportError


@pytest.mark.parametrize("kwargs", [dict(m_initializer=-1.0), dict(m_initializer=2.0),
                                    dict(h_initializer=bb.Uniform(0.5, 1.5))])
def test_a_gate_starts_as_a_fraction_of_open_channels(kwargs):
    with pytest.raises(ValueError, match=r"starts a gating variable, a fraction of open channels in \[0, 1\]"):
        bb.HH(5, **kwargs)  # -1 drove V and the gates to inf/NaN within 5 ms


def test_an_initializer_that_returns_the_wrong_shape_is_named_where_the_variable_is_made():
    # a callable's (2,) became the 3-neuron group's V and failed later as "f(y, t, *args) returned a derivative
    # of shape (3,)"; Constant(array)(shape) said only JAX's "Incompatible types for broadcasting"
    with pytest.raises(bb.BrainbatchError, match=r"initializer '.*<lambda>' gave a value of shape \(2,\), which does not "
                                                 r"fit the variable shape \(3,\)"):
        bb.LIF(3, V_initializer=lambda shape: np.ones(2))
    assert bb.LIF(3, V_initializer=lambda shape: -1.0).V.value.tolist() == [-1.0] * 3  # one value: as an array's
    with pytest.raises(ValueError, match=r"Constant\(value=array\(\[1., 1.\]\)\) gave a value of shape \(2,\)"):
        bb.Constant(np.ones(2))((3,))


@pytest.mark.parametrize("make, said", [
    (lambda: bb.LIF(2, V_rest=1e39), "V_rest is too large for float32"),
    (lambda: bb.LIF(2, V_initializer=-1e39), "V_initializer is too large for float32"),
    (lambda: bb.Constant(1e39), "Constant(value): value is too large for float32"),
    (lambda: bb.Projection(bb.LIF(2), bb.LIF(2), bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=1e39),
     "weight is too large for float32"),
    (lambda: bb.PoissonInput(bb.LIF(2).V, 10, 5.0, 1e39), "weight is too large for float32"),
    (lambda: bb.Runner(bb.Network(G=bb.LIF(2)), inputs=[("G.input", 1e39)], progress_bar=False).run(0.1),
     "input 'G.input' is too large for float32"),
    (lambda: bb.Exponential(tau=1e39), "tau is too large for float32"),
    (lambda: bb.COBA(E=1e39), "E is too large for float32"),
    (lambda: bb.STDP(dApre=1e39), "dApre is too large for float32"),
    (lambda: bb.Normal(1e39, 1.0), "Normal mean is too large for float32"),  # drew inf for every neuron
    (lambda: bb.Normal(0.0, 1e39), "Normal scale is too large for float32"),
    (lambda: bb.TruncatedNormal(0.0, 1.0, low=-1e39), "TruncatedNormal low is too large for float32"),
])
def test_a_number_too_large_for_float32_is_refused_as_an_infinite_one_is(make, said):
    # 1e39 passed the finite checks, became inf in the float32 model (V always above threshold, or NaN)
    with pytest.raises(ValueError) as err:
        make()
    assert said in str(err.value)
