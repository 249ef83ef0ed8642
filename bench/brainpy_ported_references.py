"""BrainPy 2.8.2 numbers for the ported examples of the new model families (rates, channels, NMDA).

Run in a venv with BrainPy 2.8.2 (bench/requirements-bench.txt), never by the test suite; the numbers
it prints are copied into the tests and into docs/brainpy/README.md, which cite this file.

    .venv-bench/bin/python bench/brainpy_ported_references.py fhn_delays     # tests/models/test_rates.py
    .venv-bench/bin/python bench/brainpy_ported_references.py whole_brain    # docs/brainpy/whole_brain_fhn.py
    .venv-bench/bin/python bench/brainpy_ported_references.py hh_channels    # docs/brainpy/hh_channels.py
    .venv-bench/bin/python bench/brainpy_ported_references.py decision       # docs/brainpy/decision_making.py
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _bp():
    import brainpy as bp
    import brainpy.math as bm

    bm.set_platform("cpu")
    return bp, bm


def fhn_delays():
    """4 FHN nodes, no noise, fixed initial values, a per-pair delay matrix: x at a few steps."""
    bp, bm = _bp()
    C = 0.6 * np.array([[0, 1, 0.5, 0.2], [0.3, 0, 1, 0.4], [0.8, 0.2, 0, 1], [0.5, 0.7, 0.3, 0]], np.float32)
    D = np.array([[0, 3, 5, 7], [2, 0, 4, 6], [9, 3, 0, 2], [4, 8, 5, 0]], np.int32)

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.fhn = bp.dyn.FHN(4, x_initializer=bm.asarray([0.1, 0.5, -0.3, 0.9]),
                                  y_initializer=bm.asarray([0., 0.2, 0.4, -0.1]))
            self.coupling = bp.dyn.DiffusiveCoupling(self.fhn.x, self.fhn.x, var_to_output=self.fhn.input,
                                                     conn_mat=bm.asarray(C), delay_steps=bm.asarray(D),
                                                     initial_delay_data=0.02)

    runner = bp.DSRunner(Net(), monitors=['fhn.x'], inputs=('fhn.input', 0.72), progress_bar=False)
    runner.run(200.)
    x = np.asarray(runner.mon['fhn.x'])
    return {step: x[step].tolist() for step in (1, 5, 10, 100, 500)}


def whole_brain(seeds=range(5)):
    """experiments/whole_brain.py's model (bench case 9) at G = 1, sigma = 0.01, 2 s: statistics per seed."""
    from brainpy_models import whole_brain as run

    rows = [run(seed=s, duration_ms=2000.0) for s in seeds]
    keys = ("fc_mean", "x_mean", "x_std")
    return {"per_seed": [{k: r[k] for k in keys} for r in rows],
            "mean": {k: float(np.mean([r[k] for r in rows])) for k in keys},
            "std": {k: float(np.std([r[k] for r in rows], ddof=1)) for k in keys}}


def _hh_classes(bp):
    class HH(bp.dyn.CondNeuGroup):  # examples/dynamics_simulation/hh_model.py
        def __init__(self, size, **kw):
            super().__init__(size, **kw)
            self.INa = bp.channels.INa_HH1952(size)
            self.IK = bp.channels.IK_HH1952(size)
            self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)

    class HHLTC(bp.dyn.CondNeuGroupLTC):
        def __init__(self, size, **kw):
            super().__init__(size, **kw)
            self.INa = bp.channels.INa_HH1952(size)
            self.IK = bp.channels.IK_HH1952(size)
            self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)

    return HH, HHLTC


def hh_channels(seeds=range(5)):
    """hh_model.py (one neuron, input 0/5/0 for 100/500/100 ms) and a small E/I network of the same
    neurons with exponential COBA synapses; spike counts and rates per seed, and a deterministic trace."""
    bp, bm = _bp()
    HH, HHLTC = _hh_classes(bp)
    out = {"single": {}, "trace": {}, "network": []}
    I, length = bp.inputs.section_input(values=[0, 5, 0], durations=[100, 500, 100], return_length=True)
    for name, cls in (("HH", HH), ("HHLTC", HHLTC)):
        counts = []
        for s in seeds:
            bm.random.seed(s)
            hh = cls(1)
            runner = bp.DSRunner(hh, monitors=['V', 'spike'], inputs=[hh.input, I, 'iter'], progress_bar=False)
            runner.run(length)
            sp = np.asarray(runner.mon['spike'])[:, 0]
            t = np.flatnonzero(sp) * 0.1
            counts.append({"n_spikes": int(sp.sum()), "first_ms": float(t[0]) if len(t) else None,
                           "mean_isi_ms": float(np.diff(t[t > 150]).mean()) if (t > 150).sum() > 2 else None})
        out["single"][name] = counts
        # deterministic: V starts at -65 mV (set by hand: BrainPy keeps it), constant input 10, 100 ms
        hh = cls(1)
        hh.V.value = bm.asarray([-65.])
        for ch in (hh.INa, hh.IK, hh.IL):
            ch.reset_state(hh.V.value)
        runner = bp.DSRunner(hh, monitors=['V', 'spike'], inputs=('input', 10.), progress_bar=False)
        runner.run(100.)
        V = np.asarray(runner.mon['V'])[:, 0]
        out["trace"][name] = {"n_spikes": int(np.asarray(runner.mon['spike']).sum()),
                              "V": {int(k): float(V[k]) for k in (0, 9, 49, 99, 199, 499, 999)}}

    class HHNet(bp.DynSysGroup):
        def __init__(self, ne=320, ni=80):
            super().__init__()
            self.E, self.I = HH(ne), HH(ni)

            def proj(pre, post, n_pre, n_post, w, tau, E):
                return bp.dyn.FullProjAlignPost(pre=pre, delay=None,
                                                comm=bp.dnn.EventJitFPHomoLinear(n_pre, n_post, prob=0.1, weight=w),
                                                syn=bp.dyn.Expon(size=n_post, tau=tau), out=bp.dyn.COBA(E=E),
                                                post=post)

            self.E2E, self.E2I = proj(self.E, self.E, ne, ne, 0.03, 5., 0.), proj(self.E, self.I, ne, ni, 0.03, 5., 0.)
            self.I2E, self.I2I = proj(self.I, self.E, ni, ne, 0.3, 10., -80.), proj(self.I, self.I, ni, ni, 0.3, 10., -80.)

    for s in seeds:
        bm.random.seed(s)
        net = HHNet()
        runner = bp.DSRunner(net, monitors=['E.spike', 'I.spike'], inputs=[('E.input', 4.), ('I.input', 4.)],
                             progress_bar=False)
        runner.run(300.)
        e, i = (np.asarray(runner.mon[k])[1000:] for k in ('E.spike', 'I.spike'))
        out["network"].append({"rate_E": float(e.mean() * 1e4), "rate_I": float(i.mean() * 1e4)})
    return out


def _port(name):
    """docs/brainpy/<name>.py with its imports turned back into BrainPy's: the very script the docs run."""
    import types

    path = os.path.join(os.path.dirname(HERE), "docs", "brainpy", f"{name}.py")
    with open(path) as f:
        text = f.read()
    text = text.replace("import brainbatch.brainpy.math as bm", "import brainpy.math as bm")
    text = text.replace("import brainbatch.brainpy as bp", "import brainpy as bp")
    module = types.ModuleType(f"bp_{name}")
    module.__file__ = path
    exec(compile(text, path, "exec"), module.__dict__)
    return module


def nmda():
    """One NMDA synapse after one input at step 0 (g per step), and a deterministic align-pre projection:
    three presynaptic neurons spiking at fixed steps onto one LifRef neuron through NMDA + MgBlock."""
    bp, bm = _bp()
    syn = bp.dyn.NMDA(1)
    g = []
    with bm.environment(dt=0.1):
        for i in range(200):
            bp.share.save(t=i * 0.1, i=i, dt=0.1)
            g.append(float(syn.update(bm.asarray([1.0 if i == 0 else 0.0]))[0]))

    class Clock(bp.dyn.NeuDyn):
        def __init__(self):
            super().__init__(3)
            self.spike = bm.Variable(bm.zeros(3, dtype=bool))

        def update(self):
            i = bp.share['i']
            self.spike.value = bm.asarray([i % 50 == 0, i % 30 == 7, i % 70 == 3])

        def return_info(self):
            return self.spike

    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = Clock()
            self.post = bp.dyn.LifRef(1, V_rest=-70., V_reset=-55., V_th=-50., tau=20., R=0.04, tau_ref=2.,
                                      V_initializer=bp.init.OneInit(-70.))
            self.proj = bp.dyn.FullProjAlignPreDSMg(pre=self.pre, delay=None,
                                                    syn=bp.dyn.NMDA.desc(3, a=0.5, tau_decay=100., tau_rise=2.),
                                                    comm=bp.dnn.AllToAll(3, 1, 3.0), out=bp.dyn.MgBlock(E=0., cc_Mg=1.0),
                                                    post=self.post)

    net = Net()
    runner = bp.DSRunner(net, monitors=['post.V'], progress_bar=False)
    runner.run(100.)
    V = np.asarray(runner.mon['post.V'])[:, 0]
    return {"g_peak": max(g), "g_peak_step": int(np.argmax(g)), "g": {k: g[k] for k in (1, 10, 50, 100, 199)},
            "V": {k: float(V[k]) for k in (10, 100, 300, 600, 999)}}


def decision(seeds=range(5), scale=0.25):
    """docs/brainpy/decision_making.py at ``scale`` (500 neurons), 1.6 s: rates in 600-1100 ms per seed."""
    bp, bm = _bp()
    port = _port("decision_making")
    out = []
    for s in seeds:
        np.random.seed(s)
        bm.random.seed(s)
        mon = port.single_run(scale=scale, show=False, progress_bar=False)
        out.append(port.rates(mon))
    return out


SECTIONS = {"fhn_delays": fhn_delays, "whole_brain": whole_brain, "hh_channels": hh_channels, "nmda": nmda,
            "decision": decision}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SECTIONS)
    for name in names:
        print(name, json.dumps(SECTIONS[name](), indent=1))
