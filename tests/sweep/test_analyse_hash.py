"""``analyse()`` may change after a sweep without ``--force``; the model may not (issue 23 item 15;
docs/experiments.md, "analyse may change after a sweep"). The source hash is ``model_hash.py``'s."""
import hashlib

from _support import TOY, invoke, write_experiment

import brainbatch as bb
from brainbatch.sweep.model_hash import model_sha256

SOURCE = open(TOY).read()
ANALYSE = 'return {"mean_rate_hz": float(ds.spikes.mean()) / (ds.attrs["dt"] / 1000)}'
assert ANALYSE in SOURCE


def test_the_hash_leaves_out_analyse_and_nothing_else():
    data = SOURCE.encode()
    assert model_sha256(data) == model_sha256(data.replace(ANALYSE.encode(), b'return {"other": 1}\n    # more'))
    for other in (data.replace(b"tau=10.0", b"tau=11.0"),  # the model
                  data.replace(b"# spikes per step", b"# spike count per step") + b"\n# a comment\n",
                  data.replace(b"def analyse(ds):", b"@staticmethod\ndef analyse(ds):"),  # a decorator runs at import
                  data.replace(b"def build(", b"def analyse2(ds):\n    pass\n\n\ndef build(")):
        assert model_sha256(other) != model_sha256(data)
    # moving code across analyse changes it too (its lines become one fixed line, not nothing)
    moved = data.replace(b'duration = 20.0\n', b'') + b'\nduration = 20.0\n'
    assert model_sha256(moved) != model_sha256(data)
    # a file without analyse keeps its plain sha256 (stores of such experiments keep their hash)
    plain = data[:data.index(b"def analyse")]
    assert model_sha256(plain) == hashlib.sha256(plain).hexdigest()


def test_analyse_used_by_the_model_is_hashed_with_it():
    data = SOURCE.encode().replace(b"return bb.Network(G=Toy(n, drive))", b"analyse\n    return bb.Network(G=Toy(n, drive))")
    assert model_sha256(data) == hashlib.sha256(data).hexdigest()
    assert model_sha256(data) != model_sha256(data.replace(ANALYSE.encode(), b"return {}"))


def test_an_analyse_whose_signature_runs_code_at_import_is_hashed_with_the_model():
    # its defaults and annotations are evaluated when the file loads: they may change the model
    data = SOURCE.encode()
    for sneaky in (b"def analyse(ds, _=globals().update(NOISE=3.0)):", b"def analyse(ds, *, k=[i for i in ()]):",
                   b"def analyse(ds: print('hi')):", b"def analyse(ds) -> (n := 3):"):
        changed = data.replace(b"def analyse(ds):", sneaky)
        assert model_sha256(changed) == hashlib.sha256(changed).hexdigest(), sneaky
        assert model_sha256(changed) != model_sha256(changed.replace(ANALYSE.encode(), b"return {}"))
    # plain values and names still leave it out: a changed body keeps the hash
    for plain in (b"def analyse(ds, bins=10, label='x', unit=None):", b"def analyse(ds: dict, *a: int) -> dict:"):
        changed = data.replace(b"def analyse(ds):", plain)
        assert model_sha256(changed) == model_sha256(changed.replace(ANALYSE.encode(), b"return {}")), plain


def test_a_changed_analyse_resumes_without_force_and_runs_the_new_one(tmp_path):
    exp = write_experiment(tmp_path, "toy_a.py", SOURCE)
    out = str(tmp_path / "a.zarr")
    kw = dict(seeds=1, params={"drive": [1.5]}, duration=2.0, progress=False)
    assert bb.sweep(exp, out=out, **kw).done == 1
    write_experiment(tmp_path, "toy_a.py", SOURCE.replace(ANALYSE, 'return {"n_neurons": int(ds.sizes["G_neuron"])}'))
    res = bb.sweep(exp, out=out, **dict(kw, params={"drive": [1.5, 1.2]}))  # no force; a new run too
    assert (res.done, res.skipped) == (1, 1), res
    show = invoke("show", out, "--experiment", exp)
    assert show.returncode == 0 and "n_neurons: 20" in show.stdout and "mean_rate_hz" not in show.stdout, show.stdout
    # the store keeps the source text of the sweep that accepted the new analyse (the hash stays the model's)
    assert 'return {"n_neurons"' in invoke("show", out, "--source").stdout
    same = invoke("show", out, "--source", "--experiment", exp).stdout
    assert "is the source the store was written with" in same, same
    assert bb.open_results(out).attrs["source_hash"] == model_sha256(SOURCE.encode())
    # the model changed: refused without force, as before
    write_experiment(tmp_path, "toy_a.py", SOURCE.replace("tau=10.0", "tau=12.0"))
    refused = invoke("sweep", exp, "--seeds", "1", "-p", "drive=1.5", "--duration", "2", "--out", out, "-q")
    assert refused.returncode == 2 and "source_hash: store has" in refused.stderr, refused.stderr


def test_a_store_from_before_the_rule_takes_its_unchanged_file_without_force(tmp_path):
    # a store written when the hash was the plain sha256 of the file: its root attributes say so
    import zarr

    exp = write_experiment(tmp_path, "toy_old.py", SOURCE)
    out = str(tmp_path / "old.zarr")
    kw = dict(seeds=1, params={"drive": [1.5]}, duration=2.0, progress=False)
    assert bb.sweep(exp, out=out, **kw).done == 1
    plain = hashlib.sha256(SOURCE.encode()).hexdigest()
    root = zarr.open_group(out, mode="r+")
    attrs = root.attrs.asdict()
    root.attrs.update(source_hash=plain, spec={**attrs["spec"], "source_hash": plain},
                      provenance={**attrs["provenance"], "source_hash": plain})
    res = bb.sweep(exp, out=out, **dict(kw, params={"drive": [1.5, 1.2]}))  # the same bytes: no force needed
    assert (res.done, res.skipped) == (1, 1), res
    assert bb.open_results(out).attrs["source_hash"] == plain
    show = invoke("show", out, "--experiment", exp)
    assert "mean_rate_hz" in show.stdout, show.stdout
