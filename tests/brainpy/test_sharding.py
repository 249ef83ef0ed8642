"""``bm.sharding`` (BrainPy 2.8.2's axis names) and the models' ``sharding=``: a list of axis names is checked and
ignored on one device, as BrainPy does without a device mesh (its "overview of dynamic model" tutorial passes
``bp.dyn.Expon.desc(..., sharding=[bm.sharding.NEU_AXIS])``); anything else, and the mesh functions, are refused."""
import jax
import numpy as np
import pytest

import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


def test_the_axis_names_are_brainpys():
    s = bm.sharding
    assert (s.NEU_AXIS, s.PRE_AXIS, s.POST_AXIS, s.SYN_AXIS, s.BATCH_AXIS, s.TIME_AXIS) == (
        "neuron", "pre", "post", "synapse", "batch", "time")
    import brainbatch.brainpy.math.sharding as as_module
    assert as_module is s


def test_the_tutorials_projection_with_axis_names_builds_and_runs_as_without():
    def run(sharding):
        pre = bp.dyn.SpikeTimeGroup(2, indices=[0, 1], times=[1.0, 2.0])
        post = bp.dyn.Lif(3, sharding=sharding, V_initializer=bp.init.Constant(-65.0))
        proj = bp.dyn.ProjAlignPostMg2(pre=pre, delay=None,
                                       comm=bp.dnn.AllToAll(2, 3, 2.0, sharding=sharding),
                                       syn=bp.dyn.Expon.desc(size=post.num, tau=5.0, sharding=sharding),
                                       out=bp.dyn.COBA.desc(E=0.0, sharding=sharding), post=post)
        runner = bp.DSRunner(bp.DynSysGroup(pre=pre, proj=proj, post=post), monitors={"V": post.V},
                             progress_bar=False)
        runner.run(5.0)
        return np.asarray(runner.mon["V"])

    with bm.environment(dt=0.1):
        np.testing.assert_array_equal(run([bm.sharding.NEU_AXIS]), run(None))


@pytest.mark.parametrize("value", [[bm.sharding.NEU_AXIS], ("neuron",), [None], ["pre", "post"]])
def test_lists_of_axis_names_are_accepted(value):
    bp.dyn.Expon(4, sharding=value)
    bp.init.parameter(bp.init.Constant(1.0), (4,), sharding=value)


@pytest.mark.parametrize("value", ["neuron", 5, [1], [bm.sharding.NEU_AXIS, 2], {"neuron": 0},
                                   jax.devices()[0]])
@pytest.mark.parametrize("make", [lambda v: bp.dyn.Expon.desc(4, sharding=v).build(),
                                  lambda v: bp.dyn.Lif(4, sharding=v),
                                  lambda v: bp.dyn.COBA(E=0.0, sharding=v)])
def test_anything_else_is_refused_naming_the_value(make, value):
    with pytest.raises(TypeError, match="sharding=") as info:
        make(value)
    assert repr(value) in str(info.value) and ("axis names" in str(info.value))


def test_csr_layers_refuse_sharding_as_brainpy():
    with pytest.raises(TypeError, match="CSRLinear: sharding=.*BrainPy 2.8.2"):
        bp.dnn.CSRLinear(bp.conn.FixedProb(0.5), 1.0, sharding=[bm.sharding.PRE_AXIS, bm.sharding.POST_AXIS])


def test_partition_is_the_identity_without_a_mesh():
    x = bm.zeros(3)
    assert bm.sharding.partition(x, [bm.sharding.NEU_AXIS]) is x
    assert bm.sharding.partition(x) is x and bm.sharding.keep_constraint(x) is x
    assert bm.sharding.get_sharding([bm.sharding.NEU_AXIS]) is None
    with pytest.raises(ValueError, match="one name per axis"):  # as BrainPy: one name per axis of the array
        bm.sharding.partition(x, [bm.sharding.PRE_AXIS, bm.sharding.POST_AXIS])
    with pytest.raises(TypeError, match="names no axis"):
        bm.sharding.partition(x, [None])
    with pytest.raises(TypeError, match="JAX device or Sharding"):
        bm.sharding.partition(x, jax.devices()[0])


@pytest.mark.parametrize("name", ["device_mesh", "partition_by_sharding", "NamedSharding"])
def test_the_mesh_functions_are_refused_with_the_way(name):
    with pytest.raises(AttributeError, match=f"sharding.{name} is not supported by brainbatch: .*Runner"):
        getattr(bm.sharding, name)
