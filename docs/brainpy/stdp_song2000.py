"""BrainPy's STDP example (the docstring of ``bp.dyn.STDP_Song2000``), with only the imports changed.

One presynaptic and one postsynaptic LifRef, driven by current pulses: six bursts where the
presynaptic pulse leads by 5 ms (pre before post: the weight grows), then six where the postsynaptic
one leads (post before pre: it shrinks).

    python docs/brainpy/stdp_song2000.py
"""
import numpy as np

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


class STDPNet(bp.DynamicalSystem):
    def __init__(self, num_pre, num_post):
        super().__init__()
        self.pre = bp.dyn.LifRef(num_pre)
        self.post = bp.dyn.LifRef(num_post)
        self.syn = bp.dyn.STDP_Song2000(
            pre=self.pre,
            delay=1.,
            comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(1, pre=self.pre.num, post=self.post.num),
                                       weight=bp.init.Uniform(max_val=0.1)),
            syn=bp.dyn.Expon.desc(self.post.varshape, tau=5.),
            out=bp.dyn.COBA.desc(E=0.),
            post=self.post,
            tau_s=16.8,
            tau_t=33.7,
            A1=0.96,
            A2=0.53,
        )

    def update(self, I_pre, I_post):
        self.syn()
        self.pre(I_pre)
        self.post(I_post)
        conductance = self.syn.refs['syn'].g
        Apre = self.syn.refs['pre_trace'].g
        Apost = self.syn.refs['post_trace'].g
        current = self.post.sum_inputs(self.post.V)
        return self.pre.spike, self.post.spike, conductance, Apre, Apost, current, self.syn.comm.weight


def run(duration=300.):
    I_pre = bp.inputs.section_input([0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0],
                                    [5, 15, 15, 15, 15, 15, 100, 15, 15, 15, 15, 15, duration - 255])
    I_post = bp.inputs.section_input([0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0],
                                     [10, 15, 15, 15, 15, 15, 90, 15, 15, 15, 15, 15, duration - 250])
    net = STDPNet(1, 1)

    def step(i, I_pre, I_post):
        return net.step_run(i, I_pre, I_post)

    indices = bm.arange(0, duration, bm.dt)
    return bm.for_loop(step, [indices, I_pre, I_post])


if __name__ == "__main__":
    pre_spike, post_spike, g, Apre, Apost, current, W = run()
    W = np.asarray(W)
    print(f"pre spikes {int(np.sum(pre_spike))}, post spikes {int(np.sum(post_spike))}; "
          f"w at 0 / 150 / 300 ms: {W[0].ravel()[0]:.3f} / {W[1500].ravel()[0]:.3f} / {W[-1].ravel()[0]:.3f}")
