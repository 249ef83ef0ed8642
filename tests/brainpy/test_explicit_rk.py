"""``bp.odeint``'s methods against BrainPy 2.8.2's own numbers: the default method (``'euler'``, as
``bp.ode.get_default_odeint()``), and every fixed-step explicit Runge-Kutta scheme of BrainPy's
``explicit_rk`` module (``midpoint``, ``heun2``, ``ralston2``, ``rk2`` with its ``beta``, ``rk3``, ``heun3``,
``ralston3``, ``ssprk3``, ``rk4``, ``ralston4``, ``rk4_38rule``) on a forced linear equation, a two-variable
derivative function (FitzHugh-Nagumo) and a Hodgkin-Huxley ``bp.JointEq``; and the class ``bp.neurons.HH``
with several of them (a class's ``method=`` takes the same names; its default stays ``'exp_auto'``).

Reference numbers: ``tests/brainpy/reference/explicit_rk_bp282.py`` run with BrainPy 2.8.2 (float32, CPU);
the equations, initial values and steps are written there. At step 20 of the HH JointEq (dt 0.05) V is
-58.16893 with ``midpoint``, -58.16817 with ``rk2`` and -58.16663 with ``heun2``: the three second-order
schemes brainbatch used to run all as Heun's.
"""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm
from brainbatch import integrators

BRAINPY = {  # method -> problem -> numbers, printed by BrainPy 2.8.2 (reference/explicit_rk_bp282.py)
    "euler": {
        "forced": [1.25, 1.376291275024414, 1.3023695945739746, 1.012145757675171,
                   0.5510358810424805, 0.012705087661743164, -0.48546743392944336, -0.8323289155960083,
                   -0.9510685205459595, -0.818699300289154],
        "fhn": [-1.5598336458206177, 0.15166205167770386],
        "hh": {10: [-61.71674346923828, 0.06516692042350769, 0.5966110229492188, 0.3219107389450073],
               20: [-58.210838317871094, 0.09178076684474945, 0.5857021808624268, 0.32859006524086]},
    },
    "midpoint": {
        "forced": [1.203206181526184, 1.2510004043579102, 1.101236343383789, 0.7667968273162842,
                   0.3109823763370514, -0.1691247522830963, -0.5673190355300903, -0.7949691414833069,
                   -0.8032606840133667, -0.5955715775489807],
        "fhn": [-1.5594613552093506, 0.15259259939193726],
        "hh": {10: [-61.7181396484375, 0.06545182317495346, 0.596275806427002, 0.3221295177936554],
               20: [-58.1689338684082, 0.09231845289468765, 0.5849410891532898, 0.3290543854236603]},
    },
    "heun2": {
        "forced": [1.188145637512207, 1.2278610467910767, 1.0782573223114014, 0.751615047454834,
                   0.308885782957077, -0.1563955396413803, -0.5419217944145203, -0.7623729109764099,
                   -0.7708609700202942, -0.5708438158035278],
        "fhn": [-1.5594818592071533, 0.15264122188091278],
        "hh": {10: [-61.717708587646484, 0.06546007841825485, 0.5962741374969482, 0.32213032245635986],
               20: [-58.16663360595703, 0.0923420712351799, 0.5849345922470093, 0.32905757427215576]},
    },
    "ralston2": {
        "forced": [1.1981089115142822, 1.2430261373519897, 1.0930970907211304, 0.7610788941383362,
                   0.3095494508743286, -0.16555964946746826, -0.5593457818031311, -0.784318745136261,
                   -0.7923679351806641, -0.5869684815406799],
        "fhn": [-1.5594680309295654, 0.15260864794254303],
        "hh": {10: [-61.71799087524414, 0.06545461714267731, 0.5962750911712646, 0.3221298158168793],
               20: [-58.16817092895508, 0.09232635051012039, 0.5849387645721436, 0.3290555775165558]},
    },
    "rk2": {
        "forced": [1.1981089115142822, 1.2430261373519897, 1.0930970907211304, 0.7610788941383362,
                   0.3095494508743286, -0.16555964946746826, -0.5593457818031311, -0.784318745136261,
                   -0.7923679351806641, -0.5869684815406799],
        "fhn": [-1.5594680309295654, 0.15260864794254303],
        "hh": {10: [-61.71799087524414, 0.06545461714267731, 0.5962750911712646, 0.3221298158168793],
               20: [-58.16817092895508, 0.09232635051012039, 0.5849387645721436, 0.3290555775165558]},
    },
    "rk3": {
        "forced": [1.2020853757858276, 1.2538528442382812, 1.1107540130615234, 0.7830060720443726,
                   0.33152854442596436, -0.14818833768367767, -0.5504094958305359, -0.785780131816864,
                   -0.8037766814231873, -0.6055241227149963],
        "fhn": [-1.559539556503296, 0.152624249458313],
        "hh": {10: [-61.71791458129883, 0.06543311476707458, 0.596276044845581, 0.32212889194488525],
               20: [-58.16824722290039, 0.0923156589269638, 0.584937572479248, 0.32905569672584534]},
    },
    "heun3": {
        "forced": [1.2015790939331055, 1.2529096603393555, 1.109562635421753, 0.7818253040313721,
                   0.3306218087673187, -0.14861902594566345, -0.5502742528915405, -0.7851241827011108,
                   -0.8027700185775757, -0.60442054271698],
        "fhn": [-1.5595399141311646, 0.1526251882314682],
        "hh": {10: [-61.7179069519043, 0.06543318182229996, 0.5962761640548706, 0.32212892174720764],
               20: [-58.16829299926758, 0.09231545031070709, 0.5849377512931824, 0.32905569672584534]},
    },
    "ralston3": {
        "forced": [1.2020255327224731, 1.2536540031433105, 1.1103918552398682, 0.7825126647949219,
                   0.3309803605079651, -0.14869144558906555, -0.550771176815033, -0.7859326004981995,
                   -0.8036989569664001, -0.6052478551864624],
        "fhn": [-1.5595402717590332, 0.15262523293495178],
        "hh": {10: [-61.71791076660156, 0.0654330849647522, 0.5962762236595154, 0.32212895154953003],
               20: [-58.16826629638672, 0.09231550246477127, 0.5849377512931824, 0.32905569672584534]},
    },
    "ssprk3": {
        "forced": [1.2033405303955078, 1.2557779550552368, 1.1126614809036255, 0.7842603921890259,
                   0.33169153332710266, -0.14925871789455414, -0.5525306463241577, -0.7884945869445801,
                   -0.80646812915802, -0.6075711846351624],
        "fhn": [-1.559541940689087, 0.1526273488998413],
        "hh": {10: [-61.71791458129883, 0.06543263047933578, 0.5962761044502258, 0.3221290707588196],
               20: [-58.16830062866211, 0.09231489896774292, 0.584937572479248, 0.32905587553977966]},
    },
    "rk4": {
        "forced": [1.2018417119979858, 1.2531931400299072, 1.109682559967041, 0.7816811203956604,
                   0.33020737767219543, -0.14922326803207397, -0.5509281158447266, -0.7856669425964355,
                   -0.803063154220581, -0.6043838262557983],
        "fhn": [-1.5595377683639526, 0.15262483060359955],
        "hh": {10: [-61.71792221069336, 0.06543420255184174, 0.5962761044502258, 0.3221289813518524],
               20: [-58.16825866699219, 0.0923161506652832, 0.5849378108978271, 0.3290557861328125]},
    },
    "ralston4": {
        "forced": [1.2018591165542603, 1.2532215118408203, 1.1097133159637451, 0.7817054986953735,
                   0.33021843433380127, -0.1492289900779724, -0.5509499311447144, -0.7856999039649963,
                   -0.8030995726585388, -0.6044151186943054],
        "fhn": [-1.559537649154663, 0.1526246815919876],
        "hh": {10: [-61.717933654785156, 0.06543414294719696, 0.5962762236595154, 0.32212886214256287],
               20: [-58.16825866699219, 0.09231610596179962, 0.5849374532699585, 0.32905563712120056]},
    },
    "rk4_38rule": {
        "forced": [1.2018604278564453, 1.2532174587249756, 1.1096999645233154, 0.7816818356513977,
                   0.3301873505115509, -0.14926230907440186, -0.5509790778160095, -0.7857192158699036,
                   -0.8031054735183716, -0.604407012462616],
        "fhn": [-1.5595377683639526, 0.15262490510940552],
        "hh": {10: [-61.717933654785156, 0.06543412804603577, 0.596276044845581, 0.32212892174720764],
               20: [-58.16828155517578, 0.09231598675251007, 0.584937572479248, 0.32905566692352295]},
    },
}
#: bp.odeint(f) without method= (BrainPy's default is 'euler'): V after each step
BRAINPY_DEFAULT = [5.0, 7.5, 8.75, 9.375,
                   9.6875, 9.84375, 9.921875, 9.9609375,
                   9.98046875, 9.990234375]
BRAINPY_RK2_BETA = {  # method='rk2' with beta=0.5 and beta=1.0 on the forced equation
    0.5: [1.203206181526184, 1.2510004043579102, 1.101236343383789, 0.7667968273162842,
          0.3109823763370514, -0.1691247522830963, -0.5673190355300903, -0.7949691414833069,
          -0.8032606840133667, -0.5955715775489807],
    1.0: [1.188145637512207, 1.2278610467910767, 1.0782573223114014, 0.751615047454834,
          0.308885782957077, -0.1563955396413803, -0.5419217944145203, -0.7623729109764099,
          -0.7708609700202942, -0.5708438158035278],
}
#: bp.neurons.HH(2, method=m) run by bp.DSRunner (dt 0.05, input 10 and 5, V0 -65 and -60): V at steps 19, 99, 199
BRAINPY_HH_CLASS = {
    "midpoint": {19: [-57.9498405456543, -64.42594909667969], 99: [-75.5473861694336, -66.29009246826172],
                199: [-69.22600555419922, -61.14027786254883]},
    "rk2": {19: [-57.94906997680664, -64.42574310302734], 99: [-75.54359436035156, -66.2901382446289],
           199: [-69.2259292602539, -61.140262603759766]},
    "heun2": {19: [-57.94755172729492, -64.42538452148438], 99: [-75.53567504882812, -66.29019927978516],
             199: [-69.22555541992188, -61.140254974365234]},
    "rk3": {19: [-57.949161529541016, -64.42568969726562], 99: [-75.59777069091797, -66.29080200195312],
           199: [-69.21771240234375, -61.14029312133789]},
    "ssprk3": {19: [-57.9492301940918, -64.42570495605469], 99: [-75.59746551513672, -66.29076385498047],
              199: [-69.21708679199219, -61.14027786254883]},
    "ralston4": {19: [-57.949188232421875, -64.42568969726562], 99: [-75.59371948242188, -66.29075622558594],
                199: [-69.2170639038086, -61.14027786254883]},
}

METHODS = list(BRAINPY)
#: the integrator each BrainPy name runs
CLASSES = {"euler": integrators.Euler, "midpoint": integrators.Midpoint, "heun2": integrators.RK2,
           "ralston2": integrators.Ralston2, "rk2": integrators.Ralston2, "rk3": integrators.Kutta3,
           "heun3": integrators.Heun3, "ralston3": integrators.Ralston3, "ssprk3": integrators.SSPRK3,
           "rk4": integrators.RK4, "ralston4": integrators.Ralston4, "rk4_38rule": integrators.RK4Rule38}
#: float32 rounding of BrainPy's and brainbatch's own orders of operations (seen: 2e-7 on x, 7 ulp on HH's V)
FORCED_ATOL = 1e-6


def dV(V, t, m, h, n, Iext):
    I_Na = (120. * m ** 3 * h) * (V - 50.)
    I_K = (36. * n ** 4) * (V + 77.)
    I_leak = 0.03 * (V + 54.387)
    return (-I_Na - I_K - I_leak + Iext) / 1.0


def dm(m, t, V):
    alpha = 0.1 * (V + 40) / (1 - bm.exp(-(V + 40) / 10))
    beta = 4.0 * bm.exp(-(V + 65) / 18)
    return alpha * (1 - m) - beta * m


def dh(h, t, V):
    alpha = 0.07 * bm.exp(-(V + 65) / 20.)
    beta = 1 / (1 + bm.exp(-(V + 35) / 10))
    return alpha * (1 - h) - beta * h


def dn(n, t, V):
    alpha = 0.01 * (V + 55) / (1 - bm.exp(-(V + 55) / 10))
    beta = 0.125 * bm.exp(-(V + 65) / 80)
    return alpha * (1 - n) - beta * n


def forced(x, t):
    return -0.5 * x + bm.cos(t)


def fhn(V, w, t, Iext):
    return V - V * V * V / 3 - w + Iext, (V + 0.7 - 0.8 * w) / 12.5


def _run(method, **kw):
    """forced (V after each step), fhn (V, w at the end), hh (the state after steps 10 and 20): one compile."""
    f_intg = bp.odeint(forced, method=method, **kw)
    fhn_intg = bp.odeint(fhn, method=method)
    hh_intg = bp.odeint(bp.JointEq([dV, dm, dh, dn]), method=method)

    @jax.jit
    def run():
        xs = jax.lax.scan(lambda x, i: (f_intg(x, i * 0.5, dt=0.5),) * 2, jnp.float32(1.0),
                          jnp.arange(10, dtype=jnp.float32))[1]
        vw = jax.lax.scan(lambda s, i: (tuple(fhn_intg(*s, i * 0.1, 0.5, dt=0.1)), None),
                          (jnp.float32(-1.0), jnp.float32(0.5)), jnp.arange(40, dtype=jnp.float32))[0]
        hh0 = tuple(jnp.float32(v) for v in (-65.0, 0.05, 0.6, 0.32))
        states = jax.lax.scan(lambda s, i: ((out := tuple(hh_intg(*s, i * 0.05, 10.0, dt=0.05))), out), hh0,
                              jnp.arange(20, dtype=jnp.float32))[1]
        return xs, vw, states

    xs, vw, states = run()
    hh = np.stack([np.asarray(s) for s in states], axis=1)  # (step, variable)
    return {"forced": np.asarray(xs), "fhn": np.asarray(vw), "hh": {10: hh[9], 20: hh[19]}}


@pytest.mark.parametrize("method", METHODS)
def test_method_matches_brainpy(method):
    intg = bp.odeint(forced, method=method)
    assert type(intg.integrator) is CLASSES[method]
    got, ref = _run(method), BRAINPY[method]
    np.testing.assert_allclose(got["forced"], ref["forced"], rtol=0, atol=FORCED_ATOL)
    np.testing.assert_allclose(got["fhn"], ref["fhn"], rtol=0, atol=1e-6)
    # HH: V in mV (float32 spacing ~4e-6 there; the fast sodium current amplifies rounding), then the gates.
    # This tells the second-order schemes apart (1e-3 mV and more); the higher orders are within float32's
    # noise of each other here, and told apart by the forced equation
    for step in (10, 20):
        np.testing.assert_allclose(got["hh"][step][0], ref["hh"][step][0], rtol=0, atol=6e-5)
        np.testing.assert_allclose(got["hh"][step][1:], ref["hh"][step][1:], rtol=0, atol=1e-6)


def test_the_reference_numbers_tell_the_methods_apart():
    # the forced equation's tolerance is far below the distance between any two schemes (BrainPy's rk2 is
    # Ralston's second-order method, the same tableau as ralston2)
    for i, a in enumerate(METHODS):
        for b in METHODS[i + 1:]:
            if {a, b} == {"rk2", "ralston2"}:
                assert BRAINPY[a] == BRAINPY[b]
                continue
            distance = np.max(np.abs(np.subtract(BRAINPY[a]["forced"], BRAINPY[b]["forced"])))
            assert distance > 10 * FORCED_ATOL, (a, b, distance)
    hh_v = {m: BRAINPY[m]["hh"][20][0] for m in ("midpoint", "rk2", "heun2")}
    assert hh_v["midpoint"] < hh_v["rk2"] - 5e-4 and hh_v["rk2"] < hh_v["heun2"] - 1e-3


def test_default_method_is_brainpys_euler():
    intg = bp.odeint(lambda V, t, I: (-V + I) / 2.)
    assert type(intg.integrator) is integrators.Euler
    V, out = 0.0, []
    for i in range(10):
        V = intg(V, float(i), 10., dt=1.)
        out.append(float(V))
    assert out == BRAINPY_DEFAULT  # binary fractions: exact (exp_auto gave 9.9326 at step 10)
    assert type(bp.odeint(method=None)(lambda V, t: -V).integrator) is integrators.Euler


@pytest.mark.parametrize("beta", [0.5, 1.0])
def test_rk2_beta(beta):
    intg = bp.odeint(forced, method="rk2", beta=beta)
    assert intg.integrator == integrators.GenericRK2(beta)
    np.testing.assert_allclose(_run("rk2", beta=beta)["forced"], BRAINPY_RK2_BETA[beta], rtol=0, atol=FORCED_ATOL)


def test_refusals_and_neuron_classes():
    with pytest.raises(ValueError, match="adaptive Runge-Kutta"):
        bp.odeint(forced, method="rkf45")
    with pytest.raises(ValueError, match="adaptive Runge-Kutta"):
        bp.neurons.HH(2, method="rkdp")
    with pytest.raises(TypeError, match="beta= belongs to method='rk2'"):
        bp.odeint(forced, method="rk4", beta=0.5)
    bp.odeint(forced, method="rk4", state_delays=None)  # BrainPy's default, accepted
    with pytest.raises(TypeError, match="state_delays"):
        bp.odeint(forced, method="rk4", state_delays={"x": 1})
    # the neuron classes take every name too (their own default stays 'exp_auto', as BrainPy's classes)
    for method in ("rk3", "ssprk3", "ralston4", "midpoint", "rk2"):
        assert type(bp.neurons.HH(2, method=method)._integrator) is CLASSES[method]
    assert type(bp.neurons.HH(2)._integrator) is integrators.ExponentialEuler


def test_neuron_class_with_each_method_matches_brainpy():
    groups = {m: bp.neurons.HH(2, method=m, V_initializer=bm.asarray([-65.0, -60.0])) for m in BRAINPY_HH_CLASS}
    out = bb.Runner(bb.Network(**groups), monitors=[f"{m}.V" for m in groups], dt=0.05, progress_bar=False,
                    inputs=[(f"{m}.input", np.array([10.0, 5.0])) for m in groups]).run(10.0)
    for m, steps in BRAINPY_HH_CLASS.items():
        V = np.asarray(out[f"{m}.V"])
        for step, ref in steps.items():  # the methods differ by 3e-4 mV and more at steps 99 and 199
            np.testing.assert_allclose(V[step], ref, rtol=0, atol=1e-4, err_msg=f"{m} step {step}")
