"""JAX's threefry hash on CPU through the native kernel (kernels/threefry.cc): the same bits as JAX's own
lowering, everywhere jax.random reaches it (jit, vmap, scan and while bodies, zero-size and broadcast
shapes), in a model run, and in a program read back from the persistent compilation cache.

Each comparison builds a fresh ``jax.jit`` under each ``use_kernels`` choice: the path is chosen when a
program is lowered, and a jit reused across choices would keep the first. Cases share one program per
path where they can (compiling JAX's rolled loop is what is slow).
"""
import os
import subprocess
import sys
import textwrap

import jax
import jax.extend.random as jex_random
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainbatch as bb
import brainbatch.kernels as kernels
import brainbatch.models  # noqa: F401 - installs the lowering (what every model build does)
from brainbatch.kernels import use_kernels
from brainbatch.run import Simulation, normalize_monitors

pytestmark = pytest.mark.skipif(not kernels.native_available(), reason="the native kernels could not be built here")

U32 = np.uint32


def _reference(*args):
    """Threefry-2x32-20 in numpy, written from the Random123 specification (Salmon et al. 2011)."""
    k1, k2, x1, x2 = args
    k1, k2, x1, x2 = (np.array(a, U32, ndmin=1) for a in np.broadcast_arrays(k1, k2, x1, x2))  # wraps, no warnings
    ks = [k1, k2, k1 ^ k2 ^ U32(0x1BD11BDA)]
    rot = [(13, 15, 26, 6), (17, 29, 16, 24)]
    a, b = x1 + ks[0], x2 + ks[1]
    for i in range(5):
        for r in rot[i % 2]:
            a = a + b
            b = (b << U32(r)) | (b >> U32(32 - r))
            b = b ^ a
        a = a + ks[(i + 1) % 3]
        b = b + ks[(i + 2) % 3] + U32(i + 1)
    shape = np.broadcast_shapes(*(np.shape(v) for v in args))
    return a.reshape(shape), b.reshape(shape)


def _fresh(choice, fn, *args):
    """``fn(*args)`` in a program lowered now under ``choice``, to numpy (nested tuples/lists/dicts)."""
    with use_kernels(choice):
        out = jax.jit(lambda *a: fn(*a))(*args)
    return jax.tree.map(np.asarray, out)


def _lowered(choice, fn, *args):
    with use_kernels(choice):
        return jax.jit(lambda *a: fn(*a)).lower(*args).as_text()


# Random123's known-answer vectors of Threefry-2x32-20 (kat_vectors: key, counter -> result); the last
# is also JAX's own test vector (tests/random_test.py, testThreefry2x32).
KAT = [((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6B200159, 0x99BA4EFE)),
       ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
       ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0))]


def test_known_answers():
    keys = np.array([k for k, _, _ in KAT], U32)
    counts = np.array([c for _, c, _ in KAT], U32)
    want = np.array([r for _, _, r in KAT], U32)

    def hash_(keys, counts):
        return jex_random.threefry2x32_p.bind(keys[:, 0], keys[:, 1], counts[:, 0], counts[:, 1])

    assert "bb_threefry2x32" in _lowered("native", hash_, keys, counts)
    native = _fresh("native", hash_, keys, counts)
    np.testing.assert_array_equal(np.stack(native, 1), want)
    np.testing.assert_array_equal(np.stack(_reference(keys[:, 0], keys[:, 1], counts[:, 0], counts[:, 1]), 1), want)
    # JAX's public threefry_2x32 (key pair, counts halved into the two words), one vector at a time
    for key, count, result in KAT:
        got = _fresh("native", lambda k, c: jex_random.threefry_2x32(k, c), np.array(key, U32), np.array(count, U32))
        np.testing.assert_array_equal(got, np.array(result, U32))


def test_jax_choice_keeps_jaxs_own_lowering():
    f = lambda k: jax.random.bits(k, (5,))  # noqa: E731
    text = _lowered("jax", f, jax.random.key(0))
    assert "bb_threefry" not in text and "while" in text
    # a draw is one call: its counts and key are built in the kernel (bb_threefry_bits), not by XLA
    text = _lowered("native", f, jax.random.key(0))
    assert "bb_threefry_bits" in text and "bb_threefry2x32" not in text and "iota" not in text


def test_export_keeps_jaxs_lowering():
    # an exported program may only call custom targets JAX guarantees stable
    with use_kernels("native"):
        exported = jax.export.export(jax.jit(lambda k: jax.random.bits(k, (3,))))(jax.random.key(0))
    assert "bb_threefry" not in exported.mlir_module()


def test_other_keys_and_settings_keep_jaxs_draws():
    draw = lambda k: jax.random.uniform(k, (4,))  # noqa: E731
    # another key implementation: JAX's rule, nothing of brainbatch's
    assert "bb_threefry" not in _lowered("native", draw, jax.random.key(0, impl="rbg"))
    # threefry without partitionable draws: JAX's own draw, only its hash native
    before = jax.config.jax_threefry_partitionable
    jax.config.update("jax_threefry_partitionable", False)
    try:
        text = _lowered("native", draw, jax.random.key(0))
    finally:
        jax.config.update("jax_threefry_partitionable", before)
    assert "bb_threefry_bits" not in text and "bb_threefry2x32" in text


SHAPES = [(), (7,), (2, 3), (4, 0), (0,), (3, 1, 2)]


def _data(key):
    return jax.random.key_data(key) if jnp.issubdtype(key.dtype, jax.dtypes.prng_key) else key


def _draws(key):
    """The jax.random entry points that hash: bits over every shape (0-d, 1-d, 2-d, 3-d, zero-size),
    split over three, the transforms of the bits over one; one program for all of them (each hash is
    a loop for JAX's lowering to compile, so the keys come from one split, not a fold_in each)."""
    keys = jax.random.split(key, 16)
    out = {f"bits{shape}": jax.random.bits(keys[i], shape) for i, shape in enumerate(SHAPES)}
    out.update({f"split{shape}": _data(jax.random.split(keys[6 + i], shape))
                for i, shape in enumerate([(), (2, 3), (0,)])})
    out["bits8"] = jax.random.bits(keys[9], (2, 3), jnp.uint8)
    out["uniform"] = jax.random.uniform(keys[10], (2, 3))
    out["normal"] = jax.random.normal(keys[11], ())
    out["randint"] = jax.random.randint(keys[12], (5,), -5, 1000)
    out["bernoulli"] = jax.random.bernoulli(keys[13], 0.3, (33,))
    out["fold_in"] = _data(jax.random.fold_in(keys[14], 123456789))
    out["permutation"] = jax.random.permutation(keys[15], 37)
    return out


def _legacy(key):
    """A raw ``uint32[2]`` key (``jax.random.PRNGKey``): the same primitive behind the old API."""
    return {"bits": jax.random.bits(key, (2, 3)), "split": jax.random.split(key, 3),
            "fold_in": jax.random.fold_in(key, 5), "normal": jax.random.normal(key, (4,))}


@pytest.mark.parametrize("draws,key", [(_draws, jax.random.key(42)), (_legacy, jax.random.PRNGKey(42))],
                         ids=["typed_key", "raw_key"])
def test_every_draw_is_bitwise_jaxs(draws, key):
    native, pure = _fresh("native", draws, key), _fresh("jax", draws, key)
    assert native.keys() == pure.keys()
    for name in native:
        assert native[name].dtype == pure[name].dtype and native[name].shape == pure[name].shape, name
        np.testing.assert_array_equal(native[name], pure[name], err_msg=name)


def _widths(keys):
    """Draws of every bit width JAX allows without x64, under keys batched by two nested vmaps, and a
    draw whose shape ends in a zero (the kernel is skipped: nothing to hash)."""
    def one(k):
        return {"u8": jax.random.bits(k, (3, 5), jnp.uint8), "u16": jax.random.bits(k, (4,), jnp.uint16),
                "u32": jax.random.bits(k, (2, 1, 3)), "empty": jax.random.bits(k, (2, 0)),
                "uniform": jax.random.uniform(k, (257,)), "gumbel": jax.random.gumbel(k, (6,)),
                "split": _data(jax.random.split(k, (2, 3))), "split_one": _data(jax.random.split(k, 1))}
    return jax.vmap(jax.vmap(one))(keys)


def test_every_width_under_nested_vmaps_is_bitwise_jaxs():
    keys = jax.random.split(jax.random.key(2026), (2, 3))
    native, pure = _fresh("native", _widths, keys), _fresh("jax", _widths, keys)
    for name in pure:
        assert native[name].dtype == pure[name].dtype and native[name].shape == pure[name].shape, name
        np.testing.assert_array_equal(native[name], pure[name], err_msg=name)
    # and against the numpy reference: element i of a draw hashes the 64-bit count i (high word, low word)
    data = np.asarray(jax.random.key_data(keys))
    hi, lo = _reference(data[1, 2, 0], data[1, 2, 1], np.zeros(6, U32), np.arange(6, dtype=U32))
    np.testing.assert_array_equal(native["u32"][1, 2].ravel(), hi ^ lo)
    np.testing.assert_array_equal(native["split"][1, 2].reshape(6, 2), np.stack([hi, lo], 1))  # new keys: both words
    text = _lowered("native", _widths, keys)
    assert "bb_threefry_bits" in text and "bb_threefry_split" in text and "bb_threefry2x32" not in text


def test_64_bit_draws_are_bitwise_jaxs():
    x64 = jax.enable_x64 if hasattr(jax, "enable_x64") else jax.experimental.enable_x64  # older JAX's spelling
    with x64(True):
        key = jax.random.key(77)
        f = lambda k: (jax.random.bits(k, (5,), jnp.uint64), jax.random.uniform(k, (3,), jnp.float64))  # noqa: E731
        assert "bb_threefry_bits" in _lowered("native", f, key)
        native, pure = _fresh("native", f, key), _fresh("jax", f, key)
    for n, p in zip(native, pure):
        assert n.dtype == p.dtype and n.dtype.itemsize == 8
        np.testing.assert_array_equal(n, p)


def test_broadcast_keys_against_counts():
    # the primitive broadcasts its four operands: keys per row against a count matrix (JAX's rolled
    # loop cannot carry that, so the numpy reference judges), and scalar keys against counts (as
    # jax.random binds it; JAX's own lowering judges too)
    k1, k2 = np.array([1, 2, 3], U32)[:, None], np.array(0xDEADBEEF, U32)
    x1, x2 = np.arange(12, dtype=U32).reshape(3, 4), np.arange(4, dtype=U32)[None, :] * U32(977)

    def hash_(k1, k2, x1, x2):
        return jex_random.threefry2x32_p.bind(k1, k2, x1, x2)

    for n, r in zip(_fresh("native", hash_, k1, k2, x1, x2), _reference(k1, k2, x1, x2)):
        assert n.shape == (3, 4)
        np.testing.assert_array_equal(n, r)
    k1 = np.array(7, U32)
    x2 = np.broadcast_to(x2, (3, 4))
    native, pure = _fresh("native", hash_, k1, k2, x1, x2), _fresh("jax", hash_, k1, k2, x1, x2)
    for n, p, r in zip(native, pure, _reference(k1, k2, x1, x2)):
        np.testing.assert_array_equal(n, p)
        np.testing.assert_array_equal(n, r)


def _loops(keys):
    """Batched keys under vmap, a fold_in per step in a scan, a split chain in a while loop."""
    per_key = jax.vmap(lambda k: jax.random.normal(k, (3, 2)))(keys)
    per_key_split = jax.vmap(lambda k: jax.random.key_data(jax.random.split(k, 3)))(keys)

    def step(carry, i):
        k = jax.random.fold_in(keys[0], i)
        return carry + jax.random.uniform(k, (4,)), jax.random.bits(k, (2,))

    total, per_step = jax.lax.scan(step, jnp.zeros(4), jnp.arange(6, dtype=jnp.uint32))

    def body(state):
        i, k, acc = state
        k, sub = jax.random.split(k)
        return i + 1, k, acc ^ jax.random.bits(sub, (5,))

    _, last, acc = jax.lax.while_loop(lambda s: s[0] < 4, body, (0, keys[1], jnp.zeros(5, jnp.uint32)))
    return per_key, per_key_split, total, per_step, acc, jax.random.key_data(last)


def test_vmap_scan_and_while_bodies():
    keys = jax.random.split(jax.random.key(9), 5)
    native, pure = _fresh("native", _loops, keys), _fresh("jax", _loops, keys)
    for n, p in zip(native, pure):
        np.testing.assert_array_equal(n, p)
    # outside jit too: vmap of the primitive itself
    with use_kernels("native"):
        eager = jax.vmap(lambda k: jax.random.normal(k, (3, 2)))(keys)
    np.testing.assert_array_equal(np.asarray(eager), pure[0])


_words = st.integers(0, 2**32 - 1)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(0, 5), max_size=3), data=st.data())
def test_hash_matches_the_reference(shape, data):
    shape = tuple(shape)
    size = int(np.prod(shape))
    # each operand either full-shape or a scalar (broadcast), as jax.random binds them
    args = []
    for _ in range(4):
        if data.draw(st.booleans()):
            args.append(np.array(data.draw(_words), U32))
        else:
            args.append(np.array(data.draw(st.lists(_words, min_size=size, max_size=size)), U32).reshape(shape))
    with use_kernels("native"):
        got = jex_random.threefry2x32_p.bind(*(jnp.asarray(a) for a in args))
    out_shape = np.broadcast_shapes(*(a.shape for a in args))
    for g, r in zip(got, _reference(*args)):
        assert g.shape == out_shape and g.dtype == jnp.uint32
        np.testing.assert_array_equal(np.asarray(g), r)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**63 - 1), data=st.integers(0, 2**32 - 1))
def test_fold_in_and_split_of_any_seed(seed, data):
    # one program per path for all examples (the seed and data are arguments, not constants)
    with use_kernels("native"):
        got = np.asarray(_FOLD_SPLIT["native"](jax.random.key(seed), np.uint32(data)))
    want = np.asarray(_FOLD_SPLIT["jax"](jax.random.key(seed), np.uint32(data)))
    np.testing.assert_array_equal(got, want)


def _fold_split(key, data):
    k = jax.random.fold_in(key, data)
    return jnp.concatenate([jax.random.key_data(jax.random.split(k, 3)).ravel(), jax.random.bits(k, (3,))])


def _jit_under(choice):
    jitted = jax.jit(lambda key, data: _fold_split(key, data))  # its own program: one per choice

    def call(*args):
        with use_kernels(choice):
            return jitted(*args)

    return call


_FOLD_SPLIT = {"native": _jit_under("native"), "jax": _jit_under("jax")}


def _net():
    # small (the property is the random draws of the init program, V and connectivity, and of the
    # steps): 40 + 10 neurons, 40 ms
    def group(n):
        return bb.LifRef(n, V_rest=-60.0, V_reset=-60.0, V_th=-50.0, tau=20.0, tau_ref=5.0, I_bias=20.0,
                         V_initializer=bb.Normal(-55.0, 2.0))

    E, I = group(40), group(10)
    return bb.Network(E=E, I=I, E2I=bb.Projection(E, I, bb.FixedProb(0.2), bb.Exponential(5.0), bb.COBA(0.0), weight=0.6),
                      I2E=bb.Projection(I, E, bb.FixedProb(0.2), bb.Exponential(10.0), bb.COBA(-80.0), weight=6.7))


def test_a_model_run_is_bitwise_the_same():
    runs = {}
    for choice in ("native", "jax"):
        with use_kernels(choice):
            sim = Simulation(lambda p: _net(), normalize_monitors({"E": "E.spike", "V": "E.V"}), dt=0.1)
            _, runs[choice] = sim.run([3], {}, 400, keep=True)
    assert runs["native"]["E"].sum() > 5  # it spikes (and V carries the random initial values)
    for name in ("E", "V"):
        np.testing.assert_array_equal(runs["native"][name], runs["jax"][name])


_CACHED = textwrap.dedent("""
    import sys
    import jax
    import jax.monitoring
    hits = []
    jax.monitoring.register_event_listener(lambda e, **k: hits.append(e) if e == "/jax/compilation_cache/cache_hits" else None)
    jax.config.update("jax_compilation_cache_dir", sys.argv[1])
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    import brainbatch.models  # installs the lowering
    out = jax.jit(lambda k: jax.random.bits(k, (6,)))(jax.random.key(5))
    print(len(hits), *out.tolist())
""")


def test_a_program_from_the_persistent_cache_runs_in_a_fresh_process(tmp_path):
    env = {**os.environ, "BRAINBATCH_KERNELS": "native"}

    def run():
        proc = subprocess.run([sys.executable, "-c", _CACHED, str(tmp_path / "jax")], env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        hits, *bits = proc.stdout.split()
        return int(hits), [int(b) for b in bits]

    (hits_first, first), (hits_second, second) = run(), run()
    assert hits_first == 0 and hits_second >= 1  # the second process ran the executable the first wrote
    want = _fresh("jax", lambda k: jax.random.bits(k, (6,)), jax.random.key(5)).tolist()
    assert first == second == want
