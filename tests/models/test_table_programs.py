"""The compiled programs that draw a ``Pathways`` table: one per table structure, not per object, and
only the distribution families a table holds (``_pathways.py``, ``_families.py``, docs/large-models.md)."""
import jax
import jax.numpy as jnp
import numpy as np

import brainbatch as bb
from brainbatch.models import CUBA, Exponential, FixedProb, Pathways

from _projection_support import DT, Probe


def _table(weight=1.0):
    E, I = Probe(30), Probe(10)
    return Pathways({"E": E, "I": I}, {"E": E, "I": I}, FixedProb.table([[0.2, 0.2], [0.2, 0.2]]), Exponential(0.5),
                    CUBA(), weight=[[weight, -4.0], [weight, -4.0]], delay=bb.Normal(1.5, 0.75))


def _arrays(pw):
    return [np.asarray(getattr(pw, n).value) for n in ("indptr", "targets", "weights")]


def test_tables_of_one_structure_share_one_compiled_draw():
    # a model built again (a loop over seeds, a test's second build) draws its table with the program the
    # first one compiled: the program is keyed by the table's structure and values, not by the object
    from brainbatch.models.projections._pathways import _DRAW_EACH, _ByValue

    with bb.environment(key=jax.random.key(0), dt=DT):
        first = _table()
        compiled = _DRAW_EACH._cache_size()
        again = _table()
        assert _DRAW_EACH._cache_size() == compiled
        length = first.pending.shape[0]
        assert again._layout(DT, length) == first._layout(DT, length)
        assert first._layout(DT / 2, length) != first._layout(DT, length)  # another dt: another program
    # weights and delays (numbers and the built-in initializers) are compared by type and value; values a
    # key cannot hold (arrays, NaN) give no key: such a table compiles its own program, as all did before
    assert _ByValue.of(bb.Normal(1.0, 0.5)) == _ByValue.of(bb.Normal(1.0, 0.5)) != _ByValue.of(bb.Normal(1.0, 0.25))
    assert _ByValue.of(1.0) != _ByValue.of(2.0) and _ByValue.of(1) != _ByValue.of(1.0)
    assert _ByValue.of(np.float32(1.0)) is None and _ByValue.of(float("nan")) is None
    assert _ByValue.of(bb.Normal(jnp.ones(3), 0.5)) is None

    class Mine(bb.Normal):  # a user's initializer may draw from more than its attributes: no key either
        pass

    assert _ByValue.of(Mine(1.0, 0.5)) is None
    assert all(np.array_equal(x, y) for x, y in zip(_arrays(first), _arrays(again)))


def test_a_table_compiles_only_its_families_and_draws_the_same_numbers():
    # families_from_uniform leaves out the inverse CDFs no row of a table needs; each value is computed by
    # the same operations, so a table of any mix of families gets the numbers of the program of every
    # family bit for bit. One mix per code path (normal CDF or not, log-normal or not, uniform or not)
    from brainbatch.models.projections._families import families_from_uniform, family_row, kinds_of
    from brainbatch.models.projections._table import _unit, counter_words

    rows = {"constant": [family_row(-4.0), family_row(0.25)],
            "normal": [family_row(bb.Normal(1.0, 0.5, keep_sign=True)), family_row(bb.TruncatedNormal(1.5, 0.75, 0.1, 5.0))],
            "lognormal": [family_row(bb.LogNormal(0.0, 0.5))],
            "uniform": [family_row(bb.Uniform(-1.0, -0.5))]}
    every = [r for kind in rows for r in rows[kind]]
    mixes = [("constant",), ("constant", "uniform"), ("normal",), ("normal", "uniform"), ("constant", "lognormal"),
             tuple(rows)]
    words = jnp.concatenate([counter_words(jnp.uint32(1), jnp.uint32(2), 1, jnp.arange(4096, dtype=jnp.uint32))[0],
                             jnp.array([0, 2**31, 2**32 - 1], jnp.uint32)])  # and the extremes of (0, 1)

    def both(u):
        out = []
        for mix in mixes:
            table = [r for kind in mix for r in rows[kind]]
            assert kinds_of(table) == frozenset(mix)
            p = jnp.arange(u.shape[0]) % len(table)
            own = families_from_uniform(u, jnp.asarray(np.asarray(table, np.float32).T), p, kinds_of(table))
            # the program of every family, on the table of every row: each value from the same row
            index = jnp.asarray([every.index(r) for r in table])[p]
            out.append((own, families_from_uniform(u, jnp.asarray(np.asarray(every, np.float32).T), index)))
        return out

    for mix, (own, generic) in zip(mixes, jax.jit(both)(_unit(words))):
        np.testing.assert_array_equal(np.asarray(own).view(np.uint32), np.asarray(generic).view(np.uint32), err_msg=str(mix))
    # ... and a table of constants and uniforms has no normal CDF in its program at all
    table = rows["constant"] + rows["uniform"]
    text = jax.jit(lambda u: families_from_uniform(u, jnp.asarray(np.asarray(table, np.float32).T), jnp.zeros(u.shape, int),
                                                   kinds_of(table))).lower(_unit(words)).as_text()
    assert "erf" not in text and "log" not in text
