"""Bad parameters of the rate models that passed unseen (session 41): an OU time constant while its noise is off,
and a text delay of FeedbackFHN, which failed in Python's words without the parameter's name."""
import numpy as np
import pytest

import brainbatch as bb

RATE_MODELS = [bb.FHN, bb.FeedbackFHN, bb.QIF, bb.StuartLandauOscillator, bb.WilsonCowanModel]


@pytest.mark.parametrize("model", RATE_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("name, value, message", [
    ("x_ou_tau", float("nan"), "x_ou_tau must be finite, got nan"),
    ("y_ou_tau", "abc", "y_ou_tau must be a number or an array of numbers, got 'abc'"),
    ("y_ou_tau", 0.0, "y_ou_tau must be > 0, got 0.0"),
])
def test_an_ou_time_constant_is_checked_while_its_noise_is_off(model, name, value, message):
    with pytest.raises((TypeError, ValueError), match=f"^{message}$"):
        model(2, **{name: value})


def test_with_the_noise_on_the_error_names_the_ou_parameter_not_the_models_tau():
    # FHN has a `tau` of its own (12.5 ms): the process's check said "tau must be > 0"
    with pytest.raises(ValueError, match="^x_ou_tau must be > 0, got -1.0$"):
        bb.FHN(2, x_ou_sigma=0.1, x_ou_tau=-1.0)
    assert bb.FHN(2, x_ou_sigma=0.1, x_ou_tau=2.0).x_ou.tau == 2.0


@pytest.mark.parametrize("delay", ["abc", None, True, np.array(True), np.array([2.0]), float("nan"), -1.0])
def test_feedback_fhn_names_a_delay_that_is_not_one_number_of_ms(delay):
    with pytest.raises(ValueError, match=r"^FeedbackFHN: delay must be one concrete number of ms >= 0 .*, got "):
        bb.FeedbackFHN(2, delay=delay)


@pytest.mark.parametrize("delay", [3, np.float32(2.0), np.array(2.0)])
def test_feedback_fhn_takes_a_delay_of_any_real_number_type(delay):
    assert bb.FeedbackFHN(2, delay=delay).delay == float(delay)


@pytest.mark.parametrize("model, name", [(m, "input_var") for m in [*RATE_MODELS, bb.QIF, bb.LeakyIntegrator,
                                                                     bb.ThresholdLinearModel, bb.CondNeuGroup]]
                         + [(bb.CondNeuGroup, "init_var")], ids=str)
@pytest.mark.parametrize("value", ["no", 2, None])
def test_a_switch_is_true_or_false(model, name, value):
    # bool('no') is True: input_var='no' kept the input variable
    with pytest.raises(TypeError, match=f"^{name} must be True or False, got {value!r}$"):
        model(2, **{name: value})


def test_feedback_fhn_names_a_delay_beyond_float32():
    # 1e40 ms is inf steps in float32: "cannot convert float infinity to integer" before
    with pytest.raises(ValueError, match=r"^FeedbackFHN: delay 1e\+40 ms is inf steps of dt=0.1 ms, more than a delay "):
        bb.FeedbackFHN(2, delay=1e40)


@pytest.mark.parametrize("make, name", [
    (lambda v: bb.AMPA(beta=v), "beta"), (lambda v: bb.GABAa(T=v), "T"), (lambda v: bb.BioNMDA(alpha1=v), "alpha1"),
    (lambda v: bb.NMDA(a=v), "a"), (lambda v: bb.STP(tau_f=v), "tau_f"), (lambda v: bb.STP(tau_d=v), "tau_d"),
    (lambda v: bb.PoissonInput(bb.LIF(2).input, num_input=v, freq=10.0, weight=1.0), "num_input"),
])
def test_numbers_beyond_float32_are_refused_by_name(make, name):
    # 1e40 is inf in the float32 model: NaN states (PoissonInput's counts were NaN from the first step)
    with pytest.raises(ValueError, match=f"^{name} is too large for float32"):
        make(1e40)


def _projection(**kw):
    return bb.Projection(bb.LIF(4), bb.LIF(3), bb.FixedProb(0.5), bb.Expon(), bb.CUBA(), **kw)


def test_a_complex_weight_is_refused_when_the_projection_is_built():
    # it was taken, and the run failed with "float() argument must be a string or a real number, not 'complex'"
    with pytest.raises(TypeError, match=r"^weight must be real numbers, got 1j$"):
        _projection(weight=1j)
    with pytest.raises(TypeError, match="^weight must be real numbers"):
        _projection(weight=np.full((4, 3), 0.5 + 0j))


@pytest.mark.parametrize("value", ["no", None, np.ones(2)])
def test_check_overflow_is_true_or_false(value):
    with pytest.raises(TypeError, match="^check_overflow must be True or False, got "):
        _projection(check_overflow=value)


@pytest.mark.parametrize("times", [["abc"], [1j], [True]])
def test_spike_times_are_real_numbers(times):
    # text failed as "could not convert string to float", complex in Python's words, and True was 1 ms
    with pytest.raises(TypeError, match=r"^SpikeTimeGroup: times must be real numbers of ms, got "):
        bb.SpikeTimeGroup(3, [0], times)


@pytest.mark.parametrize("name", ["form", "pairing"])
def test_an_array_for_a_choice_is_refused_with_the_choices(name):
    # "The truth value of an array with more than one element is ambiguous" before
    with pytest.raises(ValueError, match=f"^{name} must be one of "):
        bb.STDP(**{name: np.ones(3)})


def test_check_choice_takes_any_value():
    from brainbatch.errors import check_choice

    with pytest.raises(ValueError, match=r"^x must be one of 'a', 'b', got array\(\[1., 1.\]\)$"):
        check_choice("x", np.ones(2), ("a", "b"))
    assert check_choice("x", None, (None, "a")) is None


@pytest.mark.parametrize("kw, value, message", [
    ("weight", 1j, r"^weight\[0\]\[0\] must be a finite number \(within float32\) or an initializer, got 1j$"),
    ("weight", 1e40, r"^weight\[0\]\[0\] must be a finite number \(within float32\) or an initializer, got 1e\+40$"),
    ("delay", 1j, r"^delay\[0\]\[0\] must be None, ms or a distribution, got 1j$"),
])
def test_pathways_name_a_complex_or_overflowing_entry(kw, value, message):
    with pytest.raises(TypeError, match=message):
        bb.Pathways(bb.LIF(3), bb.LIF(2), bb.AllToAll(), bb.Expon(), bb.CUBA(), **{kw: value})
