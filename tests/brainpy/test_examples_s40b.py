"""BrainPy example scripts checked against BrainPy 2.8.2 (session 40, second helper).

Reference numbers: ``.venv-bench`` (BrainPy 2.8.2, CPU, float32) running the very code of each test with
``import brainpy as bp`` in place of ``import brainbatch.brainpy as bp``::

    .venv-bench/bin/python - <<'EOF'
    import numpy as np, brainpy as bp
    for cls in ('Alpha', 'DualExponential'):
        for kw in ({}, {'output': bp.synouts.CUBA()}):
            pre, post = bp.neurons.LIF(1), bp.neurons.LIF(1)
            syn = getattr(bp.synapses, cls)(pre, post, bp.conn.All2All(), g_max=5., **kw)
            r = bp.DSRunner(bp.Network(pre=pre, syn=syn, post=post),
                            inputs=[('pre.input', 25.), ('post.input', 10.)],
                            monitors=['post.V', 'pre.spike'], progress_bar=False)
            r.run(60.)
            print(cls, kw, r.mon['pre.spike'].sum(), r.mon['post.V'][-1, 0], syn.g.sum())
    EOF
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import brainbatch.brainpy as bp

# (class, output given?) -> (pre spikes, post V at 60 ms, g summed at 60 ms), BrainPy 2.8.2
_BP282 = {
    ("Alpha", False): (3, 9.9752, 0.611),
    ("Alpha", True): (3, 12.5494, 0.611),
    ("DualExponential", False): (3, 9.9752, 0.8239),
    ("DualExponential", True): (3, 14.1012, 0.8239),
}


@pytest.mark.parametrize("cls, with_output", sorted(_BP282))
def test_alpha_and_dual_exponential_without_output_warn_that_brainpy_adds_no_current(cls: str,
                                                                                    with_output: bool) -> None:
    # BrainPy 2.4.3-2.8.2: bp.synapses.Alpha and DualExponential default to output=None (_NullSynOut): g steps,
    # post receives nothing (V 9.9752 at 60 ms, as unconnected). brainbatch keeps CUBA (docs/migrating-from-brainpy.md,
    # "Synapses integrate as BrainPy's") and now says so: the numbers differed silently by 2.6 / 4.1 mV
    pre, post = bp.neurons.LIF(1), bp.neurons.LIF(1)
    if with_output:
        with warnings.catch_warnings():
            warnings.simplefilter("error", bp.BrainPyDifferenceWarning)
            syn = getattr(bp.synapses, cls)(pre, post, bp.conn.All2All(), g_max=5., output=bp.synouts.CUBA())
    else:
        with pytest.warns(bp.BrainPyDifferenceWarning, match=f"bp.synapses.{cls} without output=.*no output"):
            syn = getattr(bp.synapses, cls)(pre, post, bp.conn.All2All(), g_max=5.)
    runner = bp.DSRunner(bp.Network(pre=pre, syn=syn, post=post), inputs=[("pre.input", 25.), ("post.input", 10.)],
                         monitors=["post.V", "pre.spike"], progress_bar=False)
    runner.run(60.)
    spikes, V, g = _BP282[(cls, True)]  # brainbatch's CUBA default: BrainPy's numbers with output=CUBA()
    assert int(np.asarray(runner.mon["pre.spike"]).sum()) == spikes
    assert float(np.asarray(runner.mon["post.V"])[-1, 0]) == pytest.approx(V, abs=2e-3)
    assert float(np.asarray(syn.g).sum()) == pytest.approx(g, abs=2e-3)
    if not with_output:
        assert V - _BP282[(cls, False)][1] > 2.  # BrainPy 2.8.2's post, unconnected, is that much lower


def test_exponential_and_old_names_keep_their_output_without_a_warning() -> None:
    pre, post = bp.neurons.LIF(1), bp.neurons.LIF(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", bp.BrainPyDifferenceWarning)
        bp.synapses.Exponential(pre, post, bp.conn.All2All())  # BrainPy 2.8.2's default: CUBA(), as here
        bp.synapses.AlphaCUBA(pre, post, bp.conn.All2All())
        bp.synapses.DualExpCOBA(pre, post, bp.conn.All2All())
