"""Layer direction of docs/architecture.md, checked by an AST scan of every module under brainbatch/.

core <- integrators <- models <- run; store stands alone (and never imports jax); sweep uses
run/store/core/models; cli uses sweep/store; nothing imports cli. brainpy (BrainPy's names over
brainbatch's classes) sits beside sweep, on top of run: nothing inside brainbatch imports it.
No layer imports another layer's ``_private`` modules, and ``jax._src`` / ``zarr.core`` are imported
by one compat module each. Folders not written yet are skipped.
"""
import ast
import functools
import os
import pathlib
import subprocess
import sys

import pytest

PKG = pathlib.Path(__file__).resolve().parents[1] / "brainbatch"

#: layer -> the brainbatch layers it may import (itself always allowed)
ALLOWED = {
    "core": set(),
    "kernels": set(),
    "integrators": {"core"},
    "models": {"core", "integrators", "kernels"},
    "run": {"core", "integrators", "models", "kernels"},
    "store": set(),
    "sweep": {"run", "store", "core", "models", "integrators", "kernels"},
    "cli": {"sweep", "store"},
    "brainpy": {"core", "integrators", "models", "run", "kernels"},
}
NO_JAX = {"store"}
#: leaf modules at the package root that every layer may import: no jax, nothing of brainbatch but other leaves
LEAVES = {"errors", "faults", "settings"}


def _modules_of(layer):
    folder = PKG / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


@functools.cache
def _tree(path: pathlib.Path) -> ast.Module:
    """The parsed module, once per test process: a dozen tests walk all ~400 modules."""
    return ast.parse(path.read_text(), filename=str(path))


def _imports(path: pathlib.Path, root: pathlib.Path = PKG.parent):
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    return _imports_cached(path, root)


@functools.cache
def _imports_cached(path: pathlib.Path, root: pathlib.Path) -> tuple[tuple[int, str], ...]:
    return tuple(_scan_imports(path, root))


def _scan_imports(path: pathlib.Path, root: pathlib.Path):
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    package = parts[:-1]  # the package a relative import starts from (also for __init__.py)
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if node.level and not node.module:  # from . import x -> the submodules are imported
                for alias in node.names:
                    yield node.lineno, f"{mod}.{alias.name}"
            else:
                yield node.lineno, mod


def _layer_of(module: str):
    parts = module.split(".")
    if parts[0] != "brainbatch":
        return None
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_point_one_way(layer):
    files = _modules_of(layer)
    if not files:
        pytest.skip(f"brainbatch/{layer} has no modules yet")
    bad = []
    for path in files:
        for line, module in _imports(path):
            top = module.split(".")[0]
            if layer in NO_JAX and top in ("jax", "jaxlib"):
                bad.append(f"{path.relative_to(PKG.parent)}:{line} imports {module} (store never imports jax)")
            target = _layer_of(module)
            if target is None or target == layer or target in LEAVES:
                continue
            if target == "" or target not in ALLOWED[layer]:
                bad.append(f"{path.relative_to(PKG.parent)}:{line} imports {module}")
    assert not bad, f"layer {layer!r} may import only {sorted(ALLOWED[layer])}:\n" + "\n".join(bad)


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_leaves_import_nothing_of_brainbatch_and_no_jax(leaf):
    bad = [f"{leaf}.py:{line} imports {module}" for line, module in _imports(PKG / f"{leaf}.py")
           if module.split(".")[0] in ("jax", "jaxlib") or _layer_of(module) not in (None, *LEAVES)]
    assert not bad, "\n".join(bad)


def test_no_module_imports_a_submodule_as_a_name_of_the_root_package():
    # `from .. import settings` asks brainbatch/__init__.py's lazy __getattr__ first, which imports the
    # models (and so the core) while the core may still be initialising: write `from ..settings import x`
    bad = []
    for path in PKG.rglob("*.py"):
        package = list(path.relative_to(PKG.parent).with_suffix("").parts[:-1])
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.level and not node.module:
                if len(package) - (node.level - 1) == 1:
                    bad.append(f"{path.relative_to(PKG.parent)}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and node.module == "brainbatch" and path.name != "__main__.py":
                bad.append(f"{path.relative_to(PKG.parent)}:{node.lineno}")
    assert not bad, "import the module itself (from ..name import x):\n" + "\n".join(bad)


def test_nothing_imports_cli():
    bad = []
    for path in PKG.rglob("*.py"):
        if "cli" in path.relative_to(PKG).parts or path == PKG / "__main__.py":  # `python -m brainbatch` is the CLI
            continue
        bad += [f"{path}:{line}" for line, m in _imports(path) if _layer_of(m) == "cli"]
    assert not bad, "nothing may import brainbatch.cli:\n" + "\n".join(bad)


def test_nothing_imports_the_brainpy_namespace():
    bad = []
    for path in PKG.rglob("*.py"):
        if "brainpy" in path.relative_to(PKG).parts:
            continue
        bad += [f"{path}:{line}" for line, m in _imports(path) if _layer_of(m) == "brainpy"]
    assert not bad, "only users import brainbatch.brainpy:\n" + "\n".join(bad)


def _private_part(module: str) -> int | None:
    """Position of the first ``_private`` part of a brainbatch module name (``brainbatch.store._lease``: 2)."""
    parts = module.split(".")
    if parts[0] != "brainbatch":
        return None
    return next((k for k, part in enumerate(parts) if k and part.startswith("_") and not part.startswith("__")), None)


def private_imports_across_layers(paths, root: pathlib.Path = PKG.parent) -> list[str]:
    """Imports of a ``_private`` module of another layer: each layer's interface is what its package exports."""
    bad = []
    for path in paths:
        rel = path.relative_to(root)
        own_layer = rel.parts[1] if len(rel.parts) > 2 else None
        for line, module in _imports(path, root):
            k = _private_part(module)
            if k is not None and (k < 2 or module.split(".")[1] != own_layer):
                bad.append(f"{rel}:{line} imports {module}")
    return bad


def test_no_module_imports_a_private_module_of_another_layer():
    # brainbatch.store exports what sweep and cli use (Run, Lease, local_path, value_key, ...)
    bad = private_imports_across_layers(PKG.rglob("*.py"))
    assert not bad, "import the layer's exported names, not its _private modules:\n" + "\n".join(bad)


def test_the_private_import_check_sees_one(tmp_path):
    module = tmp_path / "brainbatch" / "sweep" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..store._lease import Leases\nfrom ..store import ResultStore\nfrom ._own import x\n"
                      "from brainbatch.models.neurons._base import check_param\n")
    assert private_imports_across_layers([module], tmp_path) == [
        "brainbatch/sweep/probe.py:1 imports brainbatch.store._lease",
        "brainbatch/sweep/probe.py:4 imports brainbatch.models.neurons._base"]


#: the one module per library that may import its internals (what pyproject.toml's bounds were tested with)
COMPAT = {"jax": ("jax._src", "brainbatch/core/jax_compat.py"),
          "zarr": ("zarr.core", "brainbatch/store/_zarr_compat.py")}


@pytest.mark.parametrize("library", sorted(COMPAT))
def test_library_internals_are_imported_by_their_compat_module_only(library):
    prefix, allowed = COMPAT[library]
    bad = []
    for path in PKG.rglob("*.py"):
        rel = str(path.relative_to(PKG.parent))
        for line, module in _imports(path):
            if (module == prefix or module.startswith(prefix + ".")) and rel != allowed:
                bad.append(f"{rel}:{line} imports {module}")
    assert not bad, f"{prefix} only through {allowed}:\n" + "\n".join(bad)
    assert any(m.startswith(prefix) for _, m in _imports(PKG.parent / allowed)), "the scanner sees nothing"


def test_the_scanner_resolves_relative_imports():
    # guard against a scanner that silently sees nothing
    found = dict((m, line) for line, m in _imports(PKG / "core" / "base.py"))
    assert "brainbatch.core.graph" in found and "brainbatch.core.context" in found


def test_importing_store_pulls_in_no_jax():
    if not (PKG / "store" / "__init__.py").exists():
        pytest.skip("brainbatch/store does not exist yet")
    code = (
        "import sys, importlib.util, types, pathlib\n"
        f"root = pathlib.Path({str(PKG)!r})\n"
        # load brainbatch.store without running brainbatch/__init__.py (which imports the jax core)
        "pkg = types.ModuleType('brainbatch'); pkg.__path__ = [str(root)]; sys.modules['brainbatch'] = pkg\n"
        "import brainbatch.store\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('jax', 'jaxlib'))\n"
        "assert not bad, bad\n"
    )
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: pathlib.Path) -> str:
    """The package a module belongs to: its folder (a package's ``__init__`` belongs to the package)."""
    return ".".join(path.relative_to(PKG.parent).parent.parts)


def _module_graph() -> dict[str, set[str]]:
    """``{module: modules of the same package it imports}`` over every module under brainbatch/.

    Every import counts, also one inside a function: a deferred import still makes two modules
    depend on each other, which is what a cycle is. ``from . import x`` and ``from .pkg import mod``
    point at the submodule when there is one.
    """
    files = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        package = _package_of(path)
        edges = set()
        for _, module in _imports(path):
            target = module if module in files else None
            if target is None:  # "from .mod import name": the module is the part before the name
                head = module.rpartition(".")[0]
                target = head if head in files else None
            if target is None:
                tree_guess = module
                while tree_guess and tree_guess not in files:
                    tree_guess = tree_guess.rpartition(".")[0]
                target = tree_guess or None
            if target and target != name and _package_of(files[target]) == package:
                edges.add(target)
        graph[name] = edges
    return graph


def _find_cycle(graph: dict[str, set[str]]):
    """One import cycle as a list of modules (first == last), or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_inside_a_package():
    # docs/architecture.md: inside a package too, imports point one way (core: base.py sits on top of
    # node, graph, pytree, delays, delay_registry, state_io and transforms, none of which imports it).
    cycle = _find_cycle(_module_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_names_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None
    graph = _module_graph()
    assert "brainbatch.core.graph" in graph["brainbatch.core.base"]
