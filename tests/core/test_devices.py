"""to(device) really moves every variable (BrainPy fault 3); unknown devices name the ones that exist."""
import jax
import pytest

import brainbatch as bb
from brainbatch.core import available_devices, resolve_device


def devices_of(net):
    return {path: var.devices() for path, var in net.vars().items()}


def test_to_moves_every_variable_and_back(toys):
    assert len(jax.devices("cpu")) >= 2, "tests/conftest.py gives JAX two CPU devices"
    E = toys.Leaky(3)
    E.register_delay("d", 2, E.V)
    net = bb.Network(E=E)
    cpu0, cpu1 = jax.devices("cpu")[:2]
    assert net.to("cpu:1") is net
    assert all(d == {cpu1} for d in devices_of(net).values()), devices_of(net)
    net.step_run(0)  # still runs where it is
    assert net.E.V.devices() == {cpu1}
    net.to(cpu0)
    assert all(d == {cpu0} for d in devices_of(net).values())
    net.to("cpu:1").cpu()
    assert all(d == {cpu0} for d in devices_of(net).values())


def test_unknown_devices_name_the_available_ones(toys):
    net = toys.Leaky(2)
    names = available_devices()
    assert "cpu:0" in names and "cpu:1" in names
    with pytest.raises(ValueError, match="cpu:7.*'cpu:0', 'cpu:1'"):
        net.to("cpu:7")
    with pytest.raises(ValueError, match="'quantum'.*cpu:0"):
        net.to("quantum")
    with pytest.raises(TypeError, match="3"):
        net.to(3)
    with pytest.raises(ValueError, match="'cpu:x'"):
        resolve_device("cpu:x")
    if not any(n.startswith("gpu") for n in names):
        with pytest.raises(ValueError, match="no gpu device.*cpu:0"):
            net.cuda()
    if not any(n.startswith("tpu") for n in names):
        with pytest.raises(ValueError, match="no tpu device"):
            net.tpu()
    assert resolve_device("cuda:0" if "gpu:0" in names else "cpu").platform in ("gpu", "cpu")
