"""``bp.synapses.GapJunction`` against BrainPy 2.8.2: ``g_max (V_pre - V_post)`` into ``post.input`` and
its opposite into ``pre.input``, from the voltages at the start of the step."""
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

STEPS = [0, 1, 9, 19]

# tests/brainpy/reference/gap_junction_bp282.py with BrainPy 2.8.2 (V at steps 0, 1, 9, 19; 'dense' and
# 'sparse' agree there to 5e-7)
BP_TWO_A = [[9.870648384094238, 0.02985047921538353], [9.743474006652832, 0.059344541281461716],
            [8.800128936767578, 0.282809317111969], [7.787051200866699, 0.5325798392295837]]
BP_TWO_B = [[0.01990032009780407, 4.950249195098877, -4.9104485511779785],
            [0.03932541608810425, 4.900993347167969, -4.822342395782471],
            [0.17880402505397797, 4.524371147155762, -4.166762828826904],
            [0.3184303641319275, 4.095221042633057, -3.458360195159912]]
BP_SELF = [[9.852737426757812, 0.011940192431211472, -3.9243788719177246],
           [9.707700729370117, 0.02357148751616478, -3.8500804901123047],
           [8.623529434204102, 0.1062110960483551, -3.3007168769836426],
           [7.4410400390625, 0.18656717240810394, -2.715222120285034]]


def lif(v0):
    return bp.neurons.LIF(len(v0), V_rest=0., V_reset=0., V_th=30., tau=10., V_initializer=bp.init.Constant(bm.asarray(v0)))


def test_two_groups_and_one_group_coupled_to_itself():
    a, b, c = lif([10., 0.]), lif([0., 5., -5.]), lif([10., 0., -4.])
    ab = bp.synapses.GapJunction(a, b, bp.conn.All2All(), g_max=0.2, comp_method='sparse')
    cc = bp.synapses.GapJunction(c, c, bp.conn.All2All(include_self=False), g_max=0.1)
    net = bp.Network(a=a, b=b, c=c, ab=ab, cc=cc)  # the synapses after the groups: they still run first
    mon = bp.DSRunner(net, monitors=['a.V', 'b.V', 'c.V'], inputs=[('a.input', 3.)], progress_bar=False).run(2.0)
    np.testing.assert_allclose(np.asarray(mon['a.V'])[STEPS], BP_TWO_A, atol=2e-5)
    np.testing.assert_allclose(np.asarray(mon['b.V'])[STEPS], BP_TWO_B, atol=2e-5)
    np.testing.assert_allclose(np.asarray(mon['c.V'])[STEPS], BP_SELF, atol=2e-5)


def test_weights_and_arguments():
    a, b = lif([0., 1.]), lif([0., 1., 2.])
    w = np.arange(6.0).reshape(2, 3)
    gj = bp.synapses.GapJunction(a, b, bp.conn.All2All(), g_max=w)
    np.testing.assert_array_equal(gj.weights, w)
    with pytest.raises(ValueError, match=r"g_max has shape \(3,\)"):
        bp.synapses.GapJunction(a, b, bp.conn.All2All(), g_max=np.ones(3))
    with pytest.raises(ValueError, match="comp_method must be 'dense' or 'sparse'"):
        bp.synapses.GapJunction(a, b, bp.conn.All2All(), comp_method='csr')
    with pytest.raises(TypeError, match="initializer"):
        bp.synapses.GapJunction(a, b, bp.conn.All2All(), g_max=bp.init.Normal(0.1, 0.01))
