"""Units audit (docs/units.md): values a neuroscientist writes with units in unusual but valid spellings give the
plain-number model exactly, wrong dimensions are named, swept values with units are read as typed or refused,
and every recorded state says its unit."""
import inspect

import brainunit as u
import numpy as np
import pytest
from click.testing import CliRunner

import brainbatch as bb
import brainbatch.models as models
from brainbatch.cli import main
from brainbatch.core.units import UnitMismatch, declared_units, to_convention
from brainbatch.sweep.errors import UsageError
from brainbatch.sweep.quantities import range_in_unit, values_in_unit


def _in_si(value: float, unit) -> object:
    """``value`` in ``unit`` written as a user would in SI base units: 1.8 mV as 0.0018 (volt), 15 significant digits."""
    base = u.Unit(dim=u.get_dim(unit))
    return float(f"{(value * unit).to_decimal(base):.15g}") * base


def _numbers(node) -> dict:
    out = {}
    for k, v in vars(node).items():
        if not k.startswith("_"):
            try:
                a = np.asarray(v)
            except Exception:  # noqa: BLE001 - a sub-node, a callable: not a number
                continue
            if a.dtype.kind in "iuf":
                out[k] = a
    return out


def _unit_classes():
    for name in sorted(models.__all__):
        cls = getattr(models, name)
        if not inspect.isclass(cls) or not declared_units(cls):
            continue
        params = inspect.signature(cls.__init__).parameters
        if "size" not in params or list(params)[1] != "size":
            continue
        kw = {p: float(params[p].default) for p, unit in declared_units(cls).items()
              if p in params and not isinstance(unit, tuple) and type(params[p].default) in (int, float)
              and u.get_dim(unit) != u.get_dim(u.UNITLESS)}
        if kw:
            yield name, cls, kw


def test_every_model_given_its_defaults_in_si_units_is_bitwise_the_plain_number_model():
    # 0.1 nA was 100.00000000000001 pA, 0.0018 V 1.7999999999999998 mV: a float64 run differed in the last bit
    checked = 0
    for name, cls, kw in _unit_classes():
        units = declared_units(cls)
        plain, given = cls(3, **kw), cls(3, **{k: _in_si(v, units[k]) for k, v in kw.items()})
        a, b = _numbers(plain), _numbers(given)
        for key in a:
            assert a[key].tobytes() == b[key].tobytes(), (name, key, a[key], b[key])
        checked += 1
    assert checked > 40
    assert bb.LIF(3, I_bias=0.1 * u.nA, C_m=0.2 * u.nF).I_bias == 100.0
    assert to_convention("tau", 0.0071 * u.second, u.ms) == 7.1


def test_mgblock_takes_quantities_for_every_parameter_and_names_a_wrong_one():
    given = bb.MgBlock(E=0 * u.volt, cc_Mg=1200 * u.uM, alpha=62 / u.volt, beta=3.57 * u.mM, V_offset=0 * u.mV)
    assert vars(given) == vars(bb.MgBlock())
    V = np.linspace(-80.0, 0.0, 5)
    np.testing.assert_array_equal(np.asarray(given.current(0.3, V)), np.asarray(bb.MgBlock().current(0.3, V)))
    with pytest.raises(UnitMismatch, match=r"^MgBlock: cc_Mg takes a concentration \(mM\), got 1.2 mV \(a potential\)$"):
        bb.MgBlock(cc_Mg=1.2 * u.mV)
    with pytest.raises(UnitMismatch, match=r"^MgBlock: alpha takes a value in 1 / mV, got 0.062 mV"):
        bb.MgBlock(alpha=0.062 * u.mV)
    with bb.strict_units():  # its defaults are not the user's bare numbers
        assert vars(bb.MgBlock()) == vars(given)


def test_a_list_of_quantities_with_a_plain_number_among_them_is_refused():
    # [0.01 s, 0.02 s, 0.03] was [10, 20, 0.03] ms: the plain number read in ms, not in the seconds beside it
    with pytest.raises(UnitMismatch, match=r"^LifRef: tau\[2\] is a plain number \(0.03\) beside values with a unit "
                                           r"\(0.01 s\).*\(0.03 \* u.second\)$"):
        bb.LifRef(3, tau=[0.01 * u.second, 0.02 * u.second, 0.03])
    # zero is zero in every unit
    assert bb.LifRef(3, V_rest=[-0.06 * u.volt, 0.0, -65 * u.mV]).V_rest.tolist() == [-60.0, 0.0, -65.0]


def test_plastic_weights_traces_and_summed_states_record_their_unit():
    pre, post, post_pa = bb.PoissonGroup(4, freqs=50 * u.Hz), bb.LifRef(3), bb.LifRef(3, C_m=200 * u.pF)
    net = bb.Network(pre=pre, post=post, post_pa=post_pa)
    net.cuba = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5 * u.ms), bb.CUBA(), weight=1 * u.mV,
                             plasticity=bb.STDP(taupre=0.02 * u.second), delay=1 * u.ms)
    net.coba = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5 * u.ms), bb.COBA(E=0 * u.mV), weight=0.5,
                             plasticity=bb.STDP())
    net.pa = bb.Projection(pre, post_pa, bb.AllToAll(), bb.Exponential(5 * u.ms), bb.CUBA(), weight=10 * u.pA,
                           plasticity=bb.STDP(w_max=100.0))
    net.nmda = bb.AlignPreProjection(pre, post, bb.AllToAll(), bb.NMDA(), bb.MgBlock(E=0 * u.mV), weight=0.2)
    net.spread = bb.Projection(pre, post, bb.AllToAll(), bb.Exponential(5 * u.ms), bb.CUBA(), weight=1 * u.mV,
                               delay=bb.Uniform(1 * u.ms, 2 * u.ms))
    found = {k: v.units for k, v in net.vars().items()}
    assert found["cuba.w"] == "mV" and found["coba.w"] == "1" and found["pa.w"] == "pA"
    assert found["cuba.apre"] == found["cuba.apost"] == "mV"  # they jump by dApre, in the weight's unit (Brian2: Apre += dApre)
    assert found["spread.pending"] == "mV" and found["nmda.g_post"] == "1"
    out = bb.Runner(net, monitors=["cuba.w", "pa.w", "coba.apre"], dt=0.1 * u.ms, progress_bar=False).run(0.5 * u.ms)
    assert (out.units["cuba.w"], out.units["pa.w"], out.units["coba.apre"]) == ("mV", "pA", "1")
    assert u.get_unit(out.quantity("pa.w")) == u.pA


@pytest.mark.parametrize("text, number", [("10/s", 10.0), ("10 1/s", 10.0), ("0.02/ms", 20.0), ("10 s^-1", 10.0),
                                          ("0.01 kHz", 10.0), ("3 s**-1", 3.0)])
def test_a_rate_written_as_a_reciprocal_time_is_read(text, number):
    # the guide and the messages write rates as "1 / ms" (Izhikevich's a, NMDA's a): "10/s" was "takes a number"
    assert values_in_unit("rate", [text], None) == ([number], u.Hz)


def test_unit_code_spells_brainunit_attributes():
    from brainbatch.core.units import unit_code

    assert unit_code(u.mV / u.ms) == "u.mV / u.ms"
    assert (unit_code(u.second), unit_code(u.psiemens), unit_code(u.ms ** -1)) == ("u.second", "u.psiemens", "1 / u.ms")


def test_plain_numbers_beside_another_unit_in_one_sweep_list_are_refused():
    with pytest.raises(UsageError, match=r"'tau': 0.01 has no unit beside 0.02s, and a plain number is read in ms"):
        values_in_unit("tau", ["0.01", "0.02s"], None)
    with pytest.raises(UsageError, match=r"'tau': 30 has no unit beside 0.01s"):
        range_in_unit("tau", "0.01s:30", None)
    with pytest.raises(UsageError, match=r"write its unit \(0.02 \* u.second\)"):
        values_in_unit("tau", [0.01 * u.second, 0.02], None)
    # beside values in the convention's own unit, or a zero, a plain number means what it says
    assert values_in_unit("tau", ["10", "20ms"], None) == (["10", 20.0], u.ms)
    assert values_in_unit("tau", ["0", "0.02s"], None) == (["0", 20.0], u.ms)
    assert range_in_unit("tau", "0.01:0.02s", None) == ("10:20", u.ms)


PLAIN = """
import brainbatch as bb

monitors = {"V": "G.V"}
duration = 1.0

def build(tau=20.0, rate=10.0):
    g = bb.LIF(2, tau=tau)
    return bb.Network(G=g, inp=bb.PoissonInput(g.V, 5, rate, 1.0))
"""


def _sweep(tmp_path, *args):
    (tmp_path / "exp.py").write_text(PLAIN)
    out = tmp_path / "s.zarr"
    return CliRunner().invoke(main, ["sweep", str(tmp_path / "exp.py"), "--out", str(out), "-q", "--devices", "cpu",
                                     *args]), out


def test_the_command_line_reads_rates_in_1_per_s_refuses_ambiguous_lists_and_takes_checkpoint_times(tmp_path):
    result, out = _sweep(tmp_path, "--dry-run", "-p", "rate=10/s,0.02/ms", "--checkpoint-every", "5min")
    assert result.exit_code == 0, result.output
    assert "rate = [10.0, 20.0] Hz" in result.output and not out.exists()
    result, out = _sweep(tmp_path, "-p", "tau=0.01,0.02s")
    assert result.exit_code == 2 and "'tau': 0.01 has no unit beside 0.02s" in result.output and not out.exists()
    result, out = _sweep(tmp_path, "--checkpoint-every", "5mV")
    assert result.exit_code == 2 and "'5mV' is not a time (mV): give seconds" in result.output and not out.exists()
    from brainbatch.cli.options import WallTime
    from brainbatch.sweep.quantities import seconds

    assert WallTime().convert("1.5 min", None, None) == 90.0 and seconds("", "250ms") == 0.25


def test_a_unit_without_a_convention_suggests_the_code_and_a_case_slip():
    with pytest.raises(UsageError, match=r"def build\(tau=\.\.\. \* u\.mS\)\)\. Did you mean 'ms'\?$"):
        values_in_unit("tau", ["10mS"], None)
    with pytest.raises(UsageError, match=r"def build\(x=\.\.\. \* u\.mV / u\.ms\)\)$"):
        values_in_unit("x", ["10 mV/ms"], None)


def test_the_python_sweep_takes_checkpoint_every_as_a_time_quantity(tmp_path):
    # bb.sweep(checkpoint_every=30 * u.second) was refused ("must be a number of seconds >= 0, got Quantity(30, 's')")
    (tmp_path / "exp.py").write_text(PLAIN)
    out = tmp_path / "s.zarr"
    kw = dict(seeds=1, out=str(out), progress=False, devices="cpu", duration=0.5)
    with pytest.raises(UsageError, match=r"checkpoint_every takes a time \(s\), got 30 mV \(a potential\)"):
        bb.sweep(str(tmp_path / "exp.py"), checkpoint_every=30 * u.mV, **kw)
    assert not out.exists()
    assert bb.sweep(str(tmp_path / "exp.py"), checkpoint_every=0.5 * u.minute, **kw).done == 1


GDEFAULT = """
import brainbatch as bb
import brainunit as u

monitors = {"V": "G.V"}
duration = 0.5

def build(g=%s):
    G = bb.LIF(2)
    return bb.Network(G=G, inp=bb.PoissonInput(G.V, 5, 10.0, 1.0))
"""


def test_a_default_whose_unit_changed_is_named_as_the_cause_of_a_unit_mismatch(tmp_path):
    # the experiment's default went from nS to pS, so every value is taken in pS: "give its values in nS" alone
    # could not be followed
    exp, out = tmp_path / "g.py", str(tmp_path / "g.zarr")
    exp.write_text(GDEFAULT % "1.0 * u.nS")
    bb.sweep(str(exp), params={"g": ["1nS"]}, out=out, progress=False, devices="cpu")
    exp.write_text(GDEFAULT % "1000.0 * u.psiemens")
    with pytest.raises(UsageError, match=r"holds parameter 'g' in nS; this sweep gives it in pS\..*build\(\) default "
                                         r"of 'g' has a unit, the values take that one: give the default in nS again"):
        bb.sweep(str(exp), params={"g": ["3nS"]}, out=out, progress=False, devices="cpu", force=True)
