"""The mypy level of each package, as docs/CONTRACTS.md ("Static checks") states it, is the one
pyproject.toml configures (issue 21, item 5: the level is raised package by package)."""
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = sorted(p.name for p in (ROOT / "brainbatch").iterdir() if (p / "__init__.py").exists())
#: the words of the docs' table for each mypy switch (in this order)
WORDS = {"strict_optional": "strict Optional", "check_untyped_defs": "untyped bodies checked",
         "disallow_untyped_defs": "every function annotated"}


def _configured() -> dict[str, str]:
    """``{package: level}``: the switches on for it (the global settings, then its overrides)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    base = {k: bool(config.get(k, k == "strict_optional")) for k in WORDS}  # mypy's own defaults otherwise
    levels = {}
    for package in PACKAGES:
        flags = dict(base)
        for override in config.get("overrides", []):
            modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
            if f"brainbatch.{package}.*" in modules:
                flags.update({k: bool(v) for k, v in override.items() if k in flags})
                if override.get("disallow_untyped_defs"):
                    assert override.get("disallow_incomplete_defs"), f"{package}: incomplete defs allowed"
        levels[package] = ", ".join(WORDS[k] for k in WORDS if flags[k]) or "none"
    return levels


def _documented() -> dict[str, str]:
    text = (ROOT / "docs" / "CONTRACTS.md").read_text(encoding="utf-8")
    section = text.split("## Static checks", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| (\w+) \| ([^|]+) \|$", section, re.M)
            if m.group(1) != "package"}


def test_the_docs_table_states_each_packages_mypy_level():
    assert _documented() == _configured()


def test_the_levels_reached_are_kept():
    # not lowered by accident (issue 21); the leaves and the root are as strict as the strictest package
    levels = _configured()
    for package in ("integrators", "kernels", "models", "run", "store", "sweep", "cli", "brainpy"):
        assert levels[package] == ", ".join(WORDS.values()), (package, levels[package])
    for package in PACKAGES:
        assert levels[package].startswith("strict Optional, untyped bodies checked"), (package, levels[package])
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    annotated = [o for o in config["overrides"] if o.get("disallow_untyped_defs")]
    for module in ("brainbatch", "brainbatch.errors", "brainbatch.settings", "brainbatch.faults"):
        assert any(module in o["module"] for o in annotated), module


def test_core_annotates_every_function_in_all_but_the_modules_the_docs_name():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    listed = {m for o in config["overrides"] if o.get("disallow_untyped_defs") for m in o["module"]
              if m.startswith("brainbatch.core")}
    modules = {"brainbatch.core"} | {f"brainbatch.core.{p.stem}" for p in (ROOT / "brainbatch" / "core").glob("*.py")
                                     if p.stem != "__init__"}
    rest = sorted(m.rpartition(".")[2] + ".py" for m in modules - listed)
    text = (ROOT / "docs" / "CONTRACTS.md").read_text(encoding="utf-8")
    assert rest == ["initializers.py"], rest
    assert all(f"`{name}`" in text.split("## Static checks", 1)[1] for name in rest)

