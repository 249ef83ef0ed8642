"""Experiment defaults come from build's signature; `params` is optional and may not disagree."""
import pytest

from brainbatch.sweep import load_experiment
from brainbatch.sweep.errors import ExperimentError

from ._support import write_experiment

BUILD = """
import brainbatch as bb

def build(rate=10.0, n=4, tau=20.0):
    return bb.Network(E=bb.NeuGroup(n))
"""


def test_defaults_come_from_builds_signature_without_params(tmp_path):
    exp = load_experiment(write_experiment(tmp_path, "plain.py", BUILD))
    assert exp.params == {"rate": 10.0, "n": 4, "tau": 20.0}


def test_params_may_repeat_a_default_or_add_one_build_lacks(tmp_path):
    body = BUILD.replace("tau=20.0", "*, tau") + "\nparams = {'rate': 10, 'tau': 5.0}\n"
    exp = load_experiment(write_experiment(tmp_path, "repeat.py", body))
    assert exp.params == {"rate": 10, "n": 4, "tau": 5.0}  # 10 == 10.0: the same default


def test_params_that_disagree_with_build_are_an_error_naming_both(tmp_path):
    path = write_experiment(tmp_path, "twice.py", BUILD + "\nparams = {'rate': 12.0}\n")
    with pytest.raises(ExperimentError, match=r"params\['rate'\] = 12\.0 .* disagrees with build\(\)'s default rate=10\.0"):
        load_experiment(path)


def test_static_names_only_float_parameters(tmp_path):
    exp = load_experiment(write_experiment(tmp_path, "ok.py", BUILD + "\nstatic = ('tau',)\n"))
    assert exp.static == ("tau",)
    with pytest.raises(ExperimentError, match=r"'n'.*not a float.*compiled per value anyway"):
        load_experiment(write_experiment(tmp_path, "int_static.py", BUILD + "\nstatic = ('n',)\n"))
    with pytest.raises(ExperimentError, match=r"'rte'.*Did you mean 'rate'"):
        load_experiment(write_experiment(tmp_path, "typo.py", BUILD + "\nstatic = ('rte',)\n"))


@pytest.mark.parametrize("line, name", [("duration = '100'", "duration"), ("dt = '0.1'", "dt"),
                                        ("dt = True", "dt"), ("duration = True", "duration")])
def test_a_duration_or_dt_given_as_text_or_a_bool_is_refused(tmp_path, line, name):
    # float("100") took the text for 100 ms (newcomer audit), float(True) dt = True for 1 ms (bad-input audit)
    path = write_experiment(tmp_path, "text.py", BUILD + f"\n{line}\n")
    with pytest.raises(ExperimentError, match=rf"{name} in .* must be a number of ms \(or a quantity such as 2 \* "
                                              rf"u.second\), got ('|True)"):
        load_experiment(path)


def test_a_module_sweep_axis_takes_single_values_and_names_the_parameters(tmp_path):
    # a list as a value crashed the sweep with "unhashable type: 'list'" (bad-input audit)
    with pytest.raises(ExperimentError, match=r"sweep axis 'rate' in .* has the value \[1\.0\]: each value of an "
                                              r"axis is one number, text or true/false"):
        load_experiment(write_experiment(tmp_path, "nested.py", BUILD + "\nsweep = {'rate': [[1.0]]}\n"))
    with pytest.raises(ExperimentError, match=r"sweep axis 'm' in .* is not a parameter of build\(\) "
                                              r"\(parameters: rate, n, tau\)"):
        load_experiment(write_experiment(tmp_path, "unknown.py", BUILD + "\nsweep = {'m': [1, 2]}\n"))
