"""Plastic projections where earlier tests did not look (session 37), against Brian2 2.9: presynaptic delays of their
own per neuron under every rule (Brian2's default: ``S.delay`` delays the pre pathway, so the presynaptic trace jumps
and the weight changes when the spike arrives), the triplet rule of Pfister & Gerstner (2006) in both its
all-to-all and nearest-spike forms (the latter as a ``Rule`` of ``Trace(mode="set")``), weight-dependent STDP
at both bounds on a connection list with multapses, and short-term plasticity with STDP on one projection
(what each spike delivers, too); and ``experiments/stdp_song2000.py``'s analysis of a swept ``gmax``.

The numbers are Brian2's, printed by ``BRIAN2`` below (run it with Brian2 2.9 to get them again). A spike of step
``s`` reaches a brainbatch projection in step ``s + 1`` (docs/step-order.md), where Brian2 handles it in step
``s``: the order of every pair is the same, and brainbatch's ``g`` of step ``i + 1`` is Brian2's of step ``i``.
"""
import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from brainbatch.models import CUBA, AllToAll, Exponential, Projection
from brainbatch.models.plasticity import STDP, Rule, Trace, TripletSTDP, Vogels2011
from brainbatch.sweep import load_experiment

from _projection_support import Source, simulate

BRIAN2 = r'''
# Brian2 2.9.0, numpy target, dt 0.1 ms, 300 ms: 3 SpikeGeneratorGroup inputs -> 2 outputs whose spikes come from a
# TimedArray raster; pre-pathway delays per presynaptic neuron (Brian2's default: S.delay delays the pre pathway);
# each case its own Synapses. Prints {case: {"i", "j", "w"}} and the g of the STP case at the steps in G_STEPS.
import json
import numpy as np
from brian2 import *
prefs.codegen.target = "numpy"
defaultclock.dt = 0.1 * ms
PRE = {0: [50, 300, 310, 320, 900, 1500, 2000], 1: [100, 700, 705, 710, 715, 2400], 2: [400, 1200, 2600]}
POST = {0: [60, 300, 330, 1000, 1490, 2050], 1: [90, 720, 725, 1210, 2405, 2800]}
DELAY = [0.0, 1.5, 3.0]  # ms, one per presynaptic neuron
EXPLICIT = ([2, 0, 1, 0, 2, 2, 1], [1, 1, 0, 1, 0, 1, 1])  # a connection list with two multapses (0->1, 2->1)
G_STEPS = sorted(s + round(DELAY[i] / 0.1) for i in PRE for s in PRE[i])
PAIR = "w : 1\ndapre/dt = -apre / (20*ms) : 1 (event-driven)\ndapost/dt = -apost / (20*ms) : 1 (event-driven)"
TRIPLET = """w : 1
dr1/dt = -r1 / (16.8*ms) : 1 (event-driven)
dr2/dt = -r2 / (TX*ms) : 1 (event-driven)
do1/dt = -o1 / (33.7*ms) : 1 (event-driven)
do2/dt = -o2 / (TY*ms) : 1 (event-driven)"""
CASES = {  # name: (model, on_pre, on_post, connection, start weight)
    "stdp": (PAIR, "apre += 0.3\nw = clip(w + apost, 0, 1)", "apost += -0.315\nw = clip(w + apre, 0, 1)", None, 0.5),
    "vogels": (PAIR, "apre += 1\nw = clip(w + (apost - 2*3*0.020) * 0.05, 0, 1)",
               "apost += 1\nw = clip(w + apre * 0.05, 0, 1)", None, 0.5),
    # Pfister & Gerstner (2006), all to all, visual cortex (Table 4) x 10
    "triplet": (TRIPLET.replace("TX", "101").replace("TY", "125"),
                "w = clip(w - 10 * o1 * (7e-3 + 2.3e-4 * r2), 0, 1)\nr1 += 1\nr2 += 1",
                "w = clip(w + 10 * r1 * (5e-10 + 6.2e-3 * o2), 0, 1)\no1 += 1\no2 += 1", None, 0.5),
    # the same paper's nearest-spike model (every trace set to 1 at a spike; visual cortex, Table 4) x 10
    "triplet_nearest": (TRIPLET.replace("TX", "714").replace("TY", "40"),
                        "w = clip(w - 10 * o1 * (6.6e-3 + 3.1e-3 * r2), 0, 1)\nr1 = 1\nr2 = 1",
                        "w = clip(w + 10 * r1 * (8.8e-11 + 5.3e-2 * o2), 0, 1)\no1 = 1\no2 = 1", None, 0.5),
    # weight-dependent STDP in [0.2, 0.8], starting at the lower bound, on the connection list
    "mult": (PAIR, "apre += 0.3\nw = clip(w + apost * (w - 0.2) / 0.6, 0.2, 0.8)",
             "apost += -0.315\nw = clip(w + apre * (0.8 - w) / 0.6, 0.2, 0.8)", EXPLICIT, 0.2),
    # Tsodyks-Markram STP (Brian2's STP example form) and additive STDP on one projection, g of the targets
    "stp": (PAIR + "\ndu/dt = -u / (50*ms) : 1 (event-driven)\ndx/dt = (1 - x) / (200*ms) : 1 (event-driven)",
            "u += 0.3 * (1 - u)\nr = u * x\nx -= r\ng_post += w * r\napre += 0.3\nw = clip(w + apost, 0, 1)",
            "apost += -0.315\nw = clip(w + apre, 0, 1)", None, 0.5),
}
raster = np.zeros((3001, 2))
for j, steps in POST.items():
    raster[steps, j] = 1.0
T = TimedArray(raster, dt=0.1 * ms)
out = {}
for name, (model, on_pre, on_post, conn, w0) in CASES.items():
    start_scope()
    pre = SpikeGeneratorGroup(3, [i for i in PRE for _ in PRE[i]], [s * 0.1 for i in PRE for s in PRE[i]] * ms)
    post = NeuronGroup(2, "dg/dt = -g / (5*ms) : 1", threshold="T(t, i) > 0.5", reset="", method="exact")
    S = Synapses(pre, post, model, on_pre=on_pre, on_post=on_post)
    S.connect() if conn is None else S.connect(i=np.array(conn[0]), j=np.array(conn[1]))
    S.w = w0
    if name == "stp":
        S.x = 1.0
    S.delay = np.asarray(DELAY)[np.asarray(S.i[:])] * ms
    M = StateMonitor(post, "g", record=True, when="end")
    run(300 * ms)
    out[name] = {"i": S.i[:].tolist(), "j": S.j[:].tolist(), "w": [float(f"{v:.9g}") for v in S.w[:]]}
    if name == "stp":
        out["g"] = [[float(f"{v:.9g}") for v in M.g[:, s]] for s in G_STEPS]
print(json.dumps(out))
'''

PRE = {0: [50, 300, 310, 320, 900, 1500, 2000], 1: [100, 700, 705, 710, 715, 2400], 2: [400, 1200, 2600]}
POST = {0: [60, 300, 330, 1000, 1490, 2050], 1: [90, 720, 725, 1210, 2405, 2800]}
DELAY = np.array([0.0, 1.5, 3.0])
EXPLICIT = ([2, 0, 1, 0, 2, 2, 1], [1, 1, 0, 1, 0, 1, 1])
G_STEPS = sorted(s + round(DELAY[i] / 0.1) for i in PRE for s in PRE[i])
N_STEPS = 3000
# final w of each case's synapses: all to all in Brian2's order (i = s // 2, j = s % 2), "mult" in EXPLICIT's order
WEIGHTS = {
    "stdp": [0.899643867, 0.445143402, 0.383583167, 0.229988122, 0.0749988929, 0.278269906],
    "vogels": [0.997151908, 0.668148264, 0.662249349, 0.984313933, 0.583846209, 0.606444735],
    "triplet": [0.631325272, 0.294860144, 0.32036227, 0.488586111, 0.341540967, 0.394468587],
    "triplet_nearest": [0.984419734, 0.329856647, 0.548133801, 0.792180292, 0.424676393, 0.523953939],
    "mult": [0.367775889, 0.424314713, 0.532099675, 0.424314713, 0.29671568, 0.367775889, 0.293017045],
    "stp": [0.899643867, 0.445143402, 0.383583167, 0.229988122, 0.0749988929, 0.278269906],
}
# g of the two targets in the "stp" case at the end of each step of G_STEPS (every arrival)
G = [
    [0.15, 0.15],
    [0.190879769, 0.190879769],
    [0.251501935, 0.239011607],
    [0.457393118, 0.355474213],
    [0.450645662, 0.357267202],
    [0.199932963, 0.189586334],
    [0.136867182, 0.0633575842],
    [0.229218617, 0.114355073],
    [0.251779507, 0.226307654],
    [0.239029728, 0.261676472],
    [0.140172057, 0.0987097819],
    [0.0309156239, 0.16084974],
    [0.149185046, 0.073812045],
    [0.107682208, 0.0645655862],
    [0.0804388693, 0.0894259461],
    [0.0235675263, 0.0619214984],
]
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _raster(spikes, n):
    r = np.zeros((N_STEPS, n), bool)
    for i, steps in spikes.items():
        r[steps, i] = True
    return r


def _nearest_triplet():
    """Pfister & Gerstner's nearest-spike triplet model (Table 4, visual cortex, x 10): every trace set to 1."""
    return Rule(on_pre=lambda w, pre, post: w - 10 * post["o1"] * (6.6e-3 + 3.1e-3 * pre["r2"]),
                on_post=lambda w, pre, post: w + 10 * pre["r1"] * (8.8e-11 + 5.3e-2 * post["o2"]),
                pre_traces={"r1": Trace(16.8, 1.0, "set"), "r2": Trace(714.0, 1.0, "set")},
                post_traces={"o1": Trace(33.7, 1.0, "set"), "o2": Trace(40.0, 1.0, "set")}, w_max=1.0)


@pytest.fixture(scope="module")
def learned():
    """Every case as a projection of one network between the same two rasters (one compiled program)."""
    pre, post = Source(_raster(PRE, 3)), Source(_raster(POST, 2))
    cases = {"stdp": (STDP(dApre=0.3, dApost=-0.315, w_max=1.0), AllToAll(), 0.5, None),
             "vogels": (Vogels2011(eta=0.05, rho0=3.0, tau=20.0, w_max=1.0), AllToAll(), 0.5, None),
             "triplet": (TripletSTDP(scale=10.0, w_max=1.0), AllToAll(), 0.5, None),
             "triplet_nearest": (_nearest_triplet(), AllToAll(), 0.5, None),
             "mult": (STDP(dApre=0.3, dApost=-0.315, w_min=0.2, w_max=0.8, form="multiplicative"),
                      bb.Explicit(*EXPLICIT), 0.2, None),
             "stp": (STDP(dApre=0.3, dApost=-0.315, w_max=1.0), AllToAll(), 0.5, bb.STP(U=0.3, tau_f=50.0, tau_d=200.0))}
    projs = {name: Projection(pre, post, conn, Exponential(5.0), CUBA(), weight=w0, delay=DELAY, plasticity=rule,
                              stp=stp) for name, (rule, conn, w0, stp) in cases.items()}
    g = simulate(bb.Network(pre=pre, post=post, **projs), N_STEPS, lambda: projs["stp"].syn.g.value)
    out = {}
    for name, p in projs.items():
        targets = np.asarray(p.targets.value)
        k = targets.shape[1]
        w = np.asarray(p.w.value)
        out[name] = sorted((s // k, int(t), float(w[s])) for s, t in enumerate(targets.reshape(-1)) if t < 2)
    return out, np.asarray(g)


@pytest.mark.parametrize("name", sorted(WEIGHTS))
def test_every_rule_with_presynaptic_delays_learns_what_brian2_learns(learned, name):
    """Per-neuron delays of 0, 1.5 and 3 ms on the pre pathway: as in Brian2, the presynaptic trace and the weight
    move when a spike arrives, the postsynaptic side at once; and a connection list with multapses keeps each
    synapse, a weight starting at a bound leaves it only the way the rule allows."""
    i, j = EXPLICIT if name == "mult" else ([s // 2 for s in range(6)], [s % 2 for s in range(6)])
    want = sorted(zip(i, j, WEIGHTS[name]))
    got = learned[0][name]
    assert [(a, b) for a, b, _ in got] == [(a, b) for a, b, _ in want]  # the same synapses, multapses twice
    np.testing.assert_allclose([x for *_, x in got], [x for *_, x in want], rtol=2e-5, atol=2e-6)


def test_the_cases_exercise_what_they_are_named_for(learned):
    w = learned[0]
    assert np.ptp([x for *_, x in w["triplet_nearest"]]) > 0.4  # nearest pairing learns, and unlike all to all:
    assert np.abs(np.subtract([x for *_, x in w["triplet_nearest"]], [x for *_, x in w["triplet"]])).max() > 0.2
    mult = [x for *_, x in w["mult"]]
    assert min(mult) > 0.2 and max(mult) < 0.8  # weight-dependent: the bounds are approached, never reached
    assert WEIGHTS["stp"] == WEIGHTS["stdp"]  # STP changes what is delivered, never what the rule learns


def test_short_term_plasticity_with_stdp_delivers_what_brian2_delivers(learned):
    """Each spike delivers the weight before its own STDP update times its release ``u+ x-``, at its arrival."""
    g = learned[1]  # float32 one-step decay factors of u, x and g: 9e-5 relative (docs/plasticity.md)
    np.testing.assert_allclose(g[np.asarray(G_STEPS) + 1], G, rtol=1e-4, atol=1e-6)
    assert G[0] == [0.15, 0.15]  # the first spike releases U = 0.3 of a weight of 0.5


def _song_store(gmax_values):
    """A hand-made store of experiments/stdp_song2000.py as open_results gives it: a -p gmax axis, each run's
    last record holding 10 weights uniform on [0, gmax] (the start weights), no output spikes."""
    w = np.stack([np.linspace(0.05, 0.95, 10) * g for g in gmax_values]).astype(np.float32)[None, :, None, :]
    ds = xr.Dataset(
        {"w": (("seed", "gmax", "time_every50000", "S_synapse"), w, {"kind": "weights", "every": 50000}),
         "spikes": (("seed", "gmax", "time", "neuron_neuron"), np.zeros((1, len(gmax_values), 4, 1), bool),
                    {"kind": "spikes", "every": 1})},
        coords={"seed": [0], "gmax": list(gmax_values), "time_every50000": [0.0], "time": np.arange(4) * 0.1,
                "S_synapse": np.arange(10)},
        attrs={"dt": 0.1, "t0": 0.0, "defaults": {"gmax": 0.01}, "params": {"gmax": list(gmax_values)}})
    return ds


def test_song2000_analysis_measures_each_run_against_its_own_gmax():
    """``-p gmax=0.01,0.05``: the run at 0.05 was measured against build's default 0.01, so its start weights,
    uniform on [0, 0.05], came out 82 % "above 0.9 gmax" and 2 % "below 0.1 gmax" (here 8 of 10 and none)."""
    exp = load_experiment(ROOT / "experiments" / "stdp_song2000.py")
    out = exp.analyse(_song_store([0.01, 0.05]))
    for g in ("0.01", "0.05"):
        assert out[f"w > 0.9 gmax, gmax={g}"] == 0.1 and out[f"w < 0.1 gmax, gmax={g}"] == 0.1, out


def test_the_weight_figure_scales_each_swept_gmax_by_its_own_value():
    """experiments/figures.py's weight picture took build's default gmax for every value of a swept gmax."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("figures", ROOT / "experiments" / "figures.py")
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    ds = _song_store([0.01, 0.05])
    assert [figures._upper_bound(ds, {"gmax": g}, ds.w) for g in (0.01, 0.05)] == [0.01, 0.05]
    one = ds.isel(gmax=[1]).drop_vars("gmax").assign_attrs(params={"gmax": [0.05]})
    assert figures._upper_bound(one, {}, one.w) == 0.05  # one -p value, not the default 0.01
    assert figures._upper_bound(one.assign_attrs(params={}), {}, one.w) == 0.01
