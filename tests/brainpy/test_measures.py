"""``bp.measure`` gives BrainPy 2.8.2's numbers on the same arrays (tests/brainpy/reference/measures_bp282.py,
its output below; float32 there, float64 here: agreement to 1e-5 relative)."""
import importlib.util
import pathlib

import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

BRAINPY = {"voltage_fluctuation": 0.5571349263191223, "matrix_correlation": 0.896134614944458,
           "weighted_correlation": 0.7006304860115051,
           "lfp_exc_soma": [0.003996700048446655, 3.0153775215148926, 6.315019130706787, 8.573548316955566,
                            6.9198126792907715],
           "lfp_inh_deep": [-7.231873269120115e-07, -0.8755685687065125, -1.7341861724853516, -2.285303831100464,
                            -2.00913667678833],
           "cross_correlation": 0.08615106344223022,
           "functional_connectivity": [[1.0, 0.5207529067993164, 0.5251909494400024],
                                       [0.5207529067993164, 1.0, 0.5863398313522339],
                                       [0.5251909494400024, 0.5863398313522339, 1.0]]}
STEPS = [0, 100, 150, 200, 399]


def reference_data():
    path = pathlib.Path(__file__).parent / "reference" / "measures_bp282.py"
    spec = importlib.util.spec_from_file_location("measures_bp282", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.data()


def test_the_measures_give_brainpys_numbers():
    t, potentials, x, y, a, b, w, spikes = reference_data()
    close = dict(rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bp.measure.voltage_fluctuation(potentials), BRAINPY["voltage_fluctuation"], **close)
    np.testing.assert_allclose(bp.measure.matrix_correlation(x, y), BRAINPY["matrix_correlation"], **close)
    np.testing.assert_allclose(bp.measure.weighted_correlation(a, b, w), BRAINPY["weighted_correlation"], **close)
    np.testing.assert_allclose(bp.measure.unitary_LFP(t, spikes, 'exc', seed=3)[STEPS], BRAINPY["lfp_exc_soma"],
                               **close)
    np.testing.assert_allclose(bp.measure.unitary_LFP(t, spikes, 'inh', location='deep layer', seed=3)[STEPS],
                               BRAINPY["lfp_inh_deep"], **close)
    np.testing.assert_allclose(bp.measure.cross_correlation(spikes, 1.0, dt=0.1), BRAINPY["cross_correlation"],
                               **close)
    np.testing.assert_allclose(bp.measure.functional_connectivity(potentials[:, :3]),
                               BRAINPY["functional_connectivity"], **close)


def test_edge_cases_follow_brainpy_and_a_seedless_lfp_follows_bm_random():
    assert bp.measure.voltage_fluctuation(np.full((5, 3), -65.0)) == 1.0  # constant: 1 by convention
    assert bp.measure.matrix_correlation(np.ones((3, 3)), np.eye(3)) == 0.0  # a constant triangle: 0
    assert bp.measure.weighted_correlation([1., 2.], [3., 4.], [0., 0.]) == 0.0  # no weight: 0
    sp = np.zeros((50, 4), bool)
    sp[5] = True
    lfps = []
    for _ in range(2):
        bm.random.seed(1)
        lfps.append(bp.measure.unitary_LFP(np.arange(50) * 0.5, sp, 'exc'))
    np.testing.assert_array_equal(*lfps)


@pytest.mark.parametrize("call, message", [
    (lambda: bp.measure.voltage_fluctuation(np.zeros(5)), r"potentials must be a 2-D array, got shape \(5,\)"),
    (lambda: bp.measure.voltage_fluctuation(np.zeros((5, 2)), method="fast"), r"method must be 'loop' or 'vmap'"),
    (lambda: bp.measure.matrix_correlation(np.eye(3), np.eye(4)), r"same shape, got \(3, 3\) and \(4, 4\)"),
    (lambda: bp.measure.weighted_correlation([1., 2.], [1., 2.], [1.]), r"same length"),
    (lambda: bp.measure.unitary_LFP(np.arange(3.), np.zeros((3, 2)), 'excitatory'),
     r"spike_type must be 'exc' or 'inh', got 'excitatory'"),
    (lambda: bp.measure.unitary_LFP(np.arange(3.), np.zeros((3, 2)), 'exc', location='cortex'),
     r"location must be one of .* got 'cortex'"),
    (lambda: bp.measure.unitary_LFP(np.arange(4.), np.zeros((3, 2)), 'exc'), r"4 times and 3 steps"),
    (lambda: bp.measure.lfp, r"brainbatch.brainpy.measure has no attribute 'lfp'"),
    # a bin below dt was a ZeroDivisionError, a negative window numpy's "negative dimensions" (audit)
    (lambda: bp.measure.cross_correlation(np.zeros((10, 2)), 0.01, dt=0.1), r"bin \(0.01 ms\) must be at least"),
    (lambda: bp.measure.firing_rate(np.zeros((10, 2)), -5.0, dt=0.1), r"width must be a window of >= 0 ms, got -5.0"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, AttributeError), match=message):
        call()


def test_cross_correlation_pads_the_last_bin_as_brainpy():
    """A bin that does not divide the run: BrainPy pads the last bin with silence (here it was dropped, and a bin
    longer than the run was a reshape error). Numbers from BrainPy 2.8.2 on this raster."""
    sp = np.random.default_rng(1).random((101, 6)) < 0.05
    assert bp.measure.cross_correlation(sp, 0.3, dt=0.1) == pytest.approx(0.049506355077028275, rel=1e-6)
    assert bp.measure.cross_correlation(sp, 1.0, dt=0.1) == pytest.approx(0.32790407538414, rel=1e-6)
    assert bp.measure.cross_correlation(np.zeros((100, 5)), 100.0, dt=0.1) == 0.0


def test_a_constant_node_correlates_with_itself():
    # BrainPy 2.8.2: functional_connectivity(np.ones((10, 3))) is the identity (1 on the diagonal, 0 off it); with
    # one constant column of three, that column's row and column are 0 but its own entry 1 (here it was 0)
    assert bp.measure.functional_connectivity(np.ones((10, 3))).tolist() == np.eye(3).tolist()
    x = np.random.RandomState(0).rand(10, 3)
    x[:, 1] = 2.0
    fc = bp.measure.functional_connectivity(x)
    assert fc[1].tolist() == [0.0, 1.0, 0.0] and fc[:, 1].tolist() == [0.0, 1.0, 0.0]
    assert np.diag(fc).tolist() == [1.0, 1.0, 1.0]
    assert fc[0, 2] == pytest.approx(np.corrcoef(x[:, 0], x[:, 2])[0, 1]) and fc[0, 2] == fc[2, 0]


@pytest.mark.parametrize("call, error, message", [
    # BrainPy 2.8.2: ZeroDivisionError, numpy's "negative dimensions are not allowed", "cannot convert float NaN"
    (lambda: bp.measure.firing_rate(np.ones((5, 2)), 0.2, dt=0.), ValueError,
     r"firing_rate: dt must be a finite number of ms > 0, got 0.0"),
    (lambda: bp.measure.firing_rate(np.ones((5, 2)), 0.2, dt=-0.1), ValueError,
     r"firing_rate: dt must be a finite number of ms > 0, got -0.1"),
    (lambda: bp.measure.firing_rate(np.ones((5, 2)), 0.2, dt=np.nan), ValueError, r"dt must be a finite number"),
    (lambda: bp.measure.firing_rate(np.ones((5, 2)), 0.2, dt="a"), TypeError,
     r"firing_rate: dt must be a number of ms, got 'a'"),
    (lambda: bp.measure.cross_correlation(np.ones((10, 2)), 1., dt=0.), ValueError,
     r"cross_correlation: dt must be a finite number of ms > 0, got 0.0"),
    # BrainPy 2.8.2: "IndexError: index 4 is out of bounds for axis 0 with size 4" and, for a 1-D raster,
    # "IndexError: tuple index out of range"
    (lambda: bp.measure.raster_plot(np.ones((5, 2)), np.arange(4)), ValueError,
     r"raster_plot: times must have one entry per step of sp_matrix \(5 steps\), got shape \(4,\)"),
    (lambda: bp.measure.raster_plot(np.ones((5, 2)), np.arange(6)), ValueError, r"\(5 steps\), got shape \(6,\)"),
    (lambda: bp.measure.raster_plot(np.ones((5, 2)), 0.1), ValueError, r"\(5 steps\), got shape \(\)"),
    (lambda: bp.measure.raster_plot(np.ones(5), np.arange(5)), ValueError,
     r"raster_plot: sp_matrix must be a \(time, neuron\) array, got shape \(5,\)"),
])
def test_a_bad_step_or_time_axis_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_rates_and_rasters_of_good_input_are_unchanged():
    sp = np.zeros((20, 2))
    sp[::5, 0] = 1
    assert np.array_equal(bp.measure.firing_rate(sp, 1.0), bp.measure.firing_rate(sp, 1.0, dt=bm.get_dt()))
    index, times = bp.measure.raster_plot(sp, np.arange(20) * 0.1)
    assert index.tolist() == [0, 0, 0, 0] and np.allclose(times, [0.0, 0.5, 1.0, 1.5])


def test_line_plot_labels_one_line_by_the_legend_and_several_by_legend_and_index():
    """BrainPy 2.8.2 (braintools.visualize.line_plot): ``label = legend if len(plot_ids) == 1 else
    f'{legend}-{idx}'``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ts, vals = np.arange(4) * 0.1, np.arange(12.0).reshape(4, 3)
    fig, (one, several) = plt.subplots(2)
    bp.visualize.line_plot(ts, vals, legend="V", ax=one)
    bp.visualize.line_plot(ts, vals, plot_ids=[0, 2], legend="V", ax=several)
    try:
        assert [line.get_label() for line in one.get_lines()] == ["V"]
        assert [line.get_label() for line in several.get_lines()] == ["V-0", "V-2"]
    finally:
        plt.close(fig)
