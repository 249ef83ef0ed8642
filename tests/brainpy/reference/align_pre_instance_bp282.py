"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_align_pre_instance.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/align_pre_instance_bp282.py

``bp.dyn.FullProjAlignPreSD`` / ``FullProjAlignPreDS`` take a synapse instance sized by pre (not a ``.desc``):
a SpikeTimeGroup(2) into two LifRef neurons through an NMDA synapse (MgBlock) and an Expon one (COBA), dt 0.1,
no delay; V of post neuron 0 at steps 15, 30, 60, 99. It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_dt(0.1)
out = {}
for cls in ["FullProjAlignPreSD", "FullProjAlignPreDS"]:
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre = bp.dyn.SpikeTimeGroup(2, indices=[0, 1, 0, 1], times=[1.0, 2.0, 3.0, 3.5])
            self.post = bp.dyn.LifRef(2, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, V_initializer=bp.init.Constant(-65.0))
            comm = bp.dnn.AllToAll(2, 2, 0.5)
            nmda = bp.dyn.NMDA(2)
            expon = bp.dyn.Expon(2, tau=3.0)
            P = getattr(bp.dyn, cls)
            if cls.endswith("SD"):
                self.p1 = P(self.pre, nmda, None, comm, bp.dyn.MgBlock(E=0.0), self.post)
                self.p2 = P(self.pre, expon, None, bp.dnn.AllToAll(2, 2, 0.3), bp.dyn.COBA(E=0.0), self.post)
            else:
                self.p1 = P(self.pre, None, nmda, comm, bp.dyn.MgBlock(E=0.0), self.post)
                self.p2 = P(self.pre, None, expon, bp.dnn.AllToAll(2, 2, 0.3), bp.dyn.COBA(E=0.0), self.post)

        def update(self):
            self.p1()
            self.p2()
            self.pre()
            self.post()
            return self.post.V.value

    net = Net()
    V = bm.for_loop(net.step_run, np.arange(100))
    out[cls] = np.round(np.asarray(V)[[15, 30, 60, 99], 0], 4).tolist()
print(json.dumps(out))
