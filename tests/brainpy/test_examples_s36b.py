"""BrainPy habits found by running its tutorials' code side by side with BrainPy 2.8.2 (session 36b).

- A ``DSRunner`` given ``dt=`` leaves that dt as the default after its run, as BrainPy 2.8.2's does (its runner
  saves ``dt`` into the shared context that ``bm.get_dt()`` reads): a script's ``bp.measure.firing_rate(spikes,
  width)`` after ``DSRunner(net, dt=0.2)`` smooths with 0.2 ms there; here it used 0.1 ms, rates off by the ratio.
- ``bp.visualize.line_plot(..., colors=, alpha=, linewidth=)`` and ``bp.visualize.remove_axis`` as BrainPy 2.8.2's;
  a plot whose values do not match its times is refused, where a reshape drew the wrong columns silently.

Reference numbers: BrainPy 2.8.2 run on the same code (the rates and dts quoted in each test).
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import brainbatch.brainpy as bp  # noqa: E402
import brainbatch.brainpy.math as bm  # noqa: E402


def test_a_runner_leaves_its_dt_as_the_default_as_brainpy_282():
    n = bp.neurons.LIF(3, V_rest=-65., V_th=-50., V_reset=-65., tau=10.)
    r = bp.DSRunner(n, monitors=['spike'], inputs=[('input', bm.asarray([20., 30., 40.]))], dt=0.2,
                    progress_bar=False)
    assert bm.get_dt() == 0.1  # made, not run: unchanged in BrainPy too
    sp = r.run(20.)['spike']
    assert bm.get_dt() == 0.2
    assert bp.DSRunner(n, progress_bar=False).dt == 0.2
    # BrainPy 2.8.2, the same script: spike counts [2 3 5] and, without dt=, these rates (Hz) every 10th step
    assert np.asarray(sp).sum(axis=0).tolist() == [2, 3, 5]
    np.testing.assert_allclose(bp.measure.firing_rate(sp, 2.)[::10],
                               [454.545, 0., 151.515, 151.515, 151.515, 151.515, 0., 454.545, 0., 0.], atol=1e-3)
    # inside bm.environment(dt=...) a run's dt holds until the block ends, then the dt before it (BrainPy: 0.5, 0.2)
    with bm.environment(dt=0.05):
        bp.DSRunner(n, monitors=['spike'], dt=0.5, progress_bar=False).run(1.)
        assert bm.get_dt() == 0.5
    assert bm.get_dt() == 0.2


def test_line_plot_takes_brainpys_colors_alpha_and_linewidth():
    ts = np.arange(5) * 0.1
    vals = np.arange(15.).reshape(5, 3)
    fig, ax = plt.subplots()
    try:
        bp.visualize.line_plot(ts, vals, plot_ids=[0, 1, 2], ax=ax, colors=['r', 'b'], alpha=0.5, linewidth=2.,
                               legend='V')
        # BrainPy 2.8.2: the colours cycle over the lines, every line with the alpha and width given
        assert [(line.get_color(), line.get_alpha(), line.get_linewidth()) for line in ax.lines] == \
            [('r', 0.5, 2.0), ('b', 0.5, 2.0), ('r', 0.5, 2.0)]
        assert [line.get_label() for line in ax.lines] == ['V-0', 'V-1', 'V-2']
        np.testing.assert_array_equal(ax.lines[1].get_ydata(), vals[:, 1])
        bp.visualize.remove_axis(ax, 'top', 'right')
        assert [ax.spines[s].get_visible() for s in ('top', 'right', 'left', 'bottom')] == [False, False, True, True]
        with pytest.raises(ValueError, match="'left', 'right', 'top', 'bottom'.*'rigth'.*Did you mean 'right'"):
            bp.visualize.remove_axis(ax, 'rigth')
    finally:
        plt.close(fig)


def test_plots_whose_values_do_not_match_their_times_are_refused():
    ts = np.arange(4) * 0.1
    fig, ax = plt.subplots()
    try:
        # a (2, 4) matrix against 4 times was reshaped to (4, 2): the wrong values drawn without a word
        with pytest.raises(ValueError, match=r"one row per time in ts \(4\), got 2 rows"):
            bp.visualize.line_plot(ts, np.zeros((2, 4)), ax=ax)
        with pytest.raises(ValueError, match=r"plot_ids must be column indices from 0 to 2, got \[5\]"):
            bp.visualize.line_plot(ts, np.zeros((4, 3)), plot_ids=[0, 5], ax=ax)
        # more times than rows put the spikes at the first times
        with pytest.raises(ValueError, match=r"one row per time in ts \(4 times\), got shape \(3, 2\)"):
            bp.visualize.raster_plot(ts, np.ones((3, 2), bool), ax=ax)
        assert not ax.lines
    finally:
        plt.close(fig)


def test_clear_input_clears_every_nodes_input_as_brainpys():
    # bp.clear_input(net), called by scripts between their own loops, got the generic "no attribute" error
    import brainbatch.brainpy as bp

    group = bp.neurons.LIF(3)
    net = bp.DynSysGroup(E=group)
    group.input.value = group.input.value + 2.0
    bp.clear_input(net)
    assert group.input.value.tolist() == [0.0, 0.0, 0.0]
