"""The precision of a sweep's numbers: a store holds runs of one JAX precision (x64 on or off), and swept
values are ones the runs can tell apart in the float32 they are traced as."""
import zarr
from _support import TOY, arrays, cli, invoke, refused_in_one_line, tree

ARGS = ("sweep", TOY, "--seeds", "2", "-p", "drive=1.5", "--duration", "5", "--devices", "cpu", "-q")


def test_a_store_never_mixes_runs_of_two_precisions(tmp_path):
    out = tmp_path / "x.zarr"
    first = cli(*ARGS, "--out", out, env_extra={"JAX_ENABLE_X64": "1"})  # a process of its own: x64 is global
    assert first.returncode == 0, first.stderr
    assert zarr.open_group(str(out), mode="r").attrs["provenance"]["x64"] is True
    files, before = tree(out), arrays(out)

    # extending (more seeds, a longer run) with 64-bit mode off would continue the x64 runs in float32
    for extra in (("--seeds", "3"), ("--duration", "10")):
        res = invoke(*ARGS, *extra, "--out", out)
        assert refused_in_one_line(res), res.stderr
        assert "64-bit mode on (JAX_ENABLE_X64=1)" in res.stderr and "64-bit mode off" in res.stderr, res.stderr
        assert "--force" in res.stderr and "--out" in res.stderr
    assert tree(out) == files and arrays(out).keys() == before.keys()

    forced = invoke(*ARGS, "--force", "--out", out)  # every run is redone in this sweep's precision
    assert forced.returncode == 0 and "2 run(s) done" in forced.stderr + forced.stdout, forced.stderr
    assert zarr.open_group(str(out), mode="r").attrs["provenance"]["x64"] is False
    shown = invoke("show", out)
    assert shown.returncode == 0 and "  x64: off" in shown.stdout, shown.stdout
