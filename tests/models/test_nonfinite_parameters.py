"""Values that made a model silently wrong (NaN everywhere after the first step, weights driven to a bound) or failed
deep inside a run are refused where the model is made, naming the value (an audit of every constructor)."""
import brainunit as u
import numpy as np
import pytest

import brainbatch as bb

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("make, error, fragment", [
    (lambda: bb.Constant(INF), ValueError, "Constant(value): value must be finite, got inf"),
    (lambda: bb.Constant(None), TypeError, "value must be a number, an array or a quantity, got None"),
    (lambda: bb.LIF(2, V_initializer=NAN), ValueError, "V_initializer must be finite, got nan"),
    (lambda: bb.AdEx(2, w_initializer=[0.0, NAN]), (TypeError, ValueError), "w_initializer"),
    (lambda: bb.TripletSTDP(A2p=NAN), TypeError, "A2p must be a number, got nan"),
    (lambda: bb.TripletSTDP(A3p="abc"), TypeError, "A3p must be a number, got 'abc'"),
    (lambda: bb.TripletSTDP(scale=None), TypeError, "scale must be a number, got None"),
    (lambda: bb.STDP(dApre=INF), ValueError, "dApre must be finite, got inf"),
    (lambda: bb.Vogels2011(eta=INF), ValueError, "eta must be finite, got inf"),
    (lambda: bb.STDP(form="multiplicativ"), ValueError, "Did you mean 'multiplicative'?"),
    (lambda: bb.NMDA(a=INF), ValueError, "a must be a finite rate >= 0 (1/ms), got inf"),
    (lambda: bb.MgBlock(cc_Mg=-1.0), ValueError, "MgBlock: cc_Mg must be >= 0, got -1.0"),
    (lambda: bb.Pathways({"E": bb.LIF(2)}, {"I": bb.LIF(2)}, bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(),
                         weight=NAN), TypeError, "weight[0][0] must be a finite number (within float32) or an initializer, got nan"),
    (lambda: bb.Projection(bb.LIF(3), bb.LIF(2), bb.AllToAll(), bb.Exponential(tau=[1.0, 2.0, 3.0]), bb.CUBA(),
                           weight=1.0), ValueError, "tau has shape (3,), but the group"),
    (lambda: bb.Normal(0.0, "x"), TypeError, "Normal: scale must be a number or an array of numbers"),
    (lambda: bb.LogNormal(0.0, None), TypeError, "LogNormal: sigma must be a number or an array of numbers"),
    (lambda: bb.Projection(bb.LIF(2), bb.LIF(2), bb.AllToAll(), bb.Exponential(5.0), bb.CUBA(), weight=1.0,
                           delay=bb.Uniform(0.0, 2e6)), ValueError, "per-synapse delays up to 2e+06 ms are 2e+07 steps"),
    (lambda: bb.LIF(2, tau=5 + 3j), TypeError, "tau must be a real number or an array of real numbers"),
    (lambda: bb.Exponential(tau=5 + 1j), TypeError, "tau must be a positive real number of ms"),
    (lambda: bb.GIF(2, k1=-1.0), ValueError, "k1 must be >= 0, got -1.0"),
    (lambda: bb.QIF(2, delta=-1.0), ValueError, "delta must be >= 0, got -1.0"),
    (lambda: bb.ThresholdLinearModel(2, noise_e=-1.0), ValueError, "noise_e must be >= 0, got -1.0"),
    (lambda: bb.Explicit.from_matrix(np.full((2, 2), NAN)), ValueError, "needs finite entries"),
    (lambda: bb.Explicit(np.ones((3, 2))), TypeError, "for a connection matrix use Explicit.from_matrix(matrix)"),
    (lambda: bb.Explicit([0], [0], n_pre=3.7), TypeError, "n_pre must be a whole number of neurons >= 0, got 3.7"),
    (lambda: bb.Monitor("E.V", kind="spike"), ValueError, "kind 'spike' is not one readers know (spikes, values, "
                                                          "weights). Did you mean 'spikes'?"),
    (lambda: bb.FeedbackFHN(2, delay=1e7), ValueError, "FeedbackFHN: delay 1e+07 ms is 100000000 steps"),
    (lambda: bb.FixedTotalNumber(10**15), ValueError, "num must be an integer >= 0 and <= 2147483647"),
    (lambda: bb.Range(1, 2, scale="lgo"), Exception, "unknown scale 'lgo'; allowed: linear, log. Did you mean 'log'?"),
    (lambda: bb.LogNormal(5 * u.mV, 1.0), TypeError, "LogNormal: mu is of log(x) and takes a plain number"),
])
def test_a_value_that_would_make_the_model_wrong_is_refused_when_it_is_made(make, error, fragment):
    with pytest.raises(error) as err:
        make()
    assert fragment in str(err.value)


@pytest.mark.parametrize("kind", ["spikes_E", "spikes2", "spiketimes", "rawvalues", "weights_ee", "rates"])
def test_a_record_kind_of_the_users_own_is_free_even_when_it_looks_like_a_known_one(kind):
    # only a slip from a known kind is refused (its case, a letter retyped or left out, two swapped)
    assert bb.Monitor("E.V", kind=kind).kind == kind


@pytest.mark.parametrize("kind, known", [("Spikes", "spikes"), ("spkes", "spikes"), ("weight", "weights"),
                                         ("valeus", "values")])
def test_a_record_kind_one_slip_from_a_known_one_is_refused(kind, known):
    with pytest.raises(ValueError, match=f"kind '{kind}' is not one readers know .*Did you mean '{known}'"):
        bb.Monitor("E.V", kind=kind)
