"""The part of an experiment file that guards its runs: everything but ``analyse`` (docs/experiments.md,
"Changing an experiment").

A store refuses a sweep whose source hash differs from its own, because its runs would mix two
models. ``analyse(ds)`` only reads a finished store, so editing it after a sweep must not turn the
store away: the hash covers the file with the lines of a top-level ``def analyse`` (its ``def`` line
through its last statement or indented comment) replaced by one fixed line. Any other change, a comment included, still
changes the hash. When anything else in the file names ``analyse`` (``build`` calling it, a
reassignment, ``globals()["analyse"]``), or its default values or annotations call anything (they run
at import), or it is decorated (the decorator gets the function when the file loads, and may call it), the function
may be part of the model and the whole file is hashed. A file without ``def analyse`` hashes to its plain sha256, as before this rule, so stores of
such experiments keep their hash; a store written before the rule from a file with ``analyse`` records
that plain hash, which the very same bytes still match (``Experiment.plain_hash``, ``for_store``). Local modules are hashed whole (``sources.py``), even where only
``analyse`` uses them.

>>> a = b"def build(n=4):\\n    return n\\n\\ndef analyse(ds):\\n    return 1\\n"
>>> model_sha256(a) == model_sha256(a.replace(b"return 1", b"return 2"))
True
>>> model_sha256(a) == model_sha256(a.replace(b"return n", b"return n + 1"))
False
"""
from __future__ import annotations

import ast
import hashlib

__all__ = ["model_sha256", "ANALYSE"]

#: The function left out of the hash.
ANALYSE = "analyse"
#: What its lines are replaced by, so moving other code across it still changes the hash.
_PLACEHOLDER = b"# analyse() is not part of the model hash\n"


def model_sha256(source: bytes) -> str:
    """sha256 of ``source`` with its top-level ``def analyse`` replaced by a fixed line (module docstring)."""
    return hashlib.sha256(_without_analyse(source)).hexdigest()


def _without_analyse(source: bytes) -> bytes:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # not Python (or a null byte): loading it fails anyway; hash it whole
        return source
    defs = [node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == ANALYSE]
    # a decorator is called with the function when the file loads, and may call it (its body then runs at import)
    if not defs or _named_elsewhere(tree, defs) or any(_runs_at_import(d) or d.decorator_list for d in defs):
        return source
    lines = source.splitlines(keepends=True)  # bytes split on \n, \r\n and \r only, as the parser counts lines
    for node in sorted(defs, key=lambda n: n.lineno, reverse=True):
        end = _trailing_comments(lines, node.end_lineno if node.end_lineno is not None else node.lineno)
        lines[node.lineno - 1:end] = [_PLACEHOLDER]
    return b"".join(lines)


#: What in a default value or an annotation (evaluated when the ``def`` runs, at import) may do more than
#: look a value up: a call, an assignment expression, a lambda, a generator step.
_ACTIVE = (ast.Call, ast.NamedExpr, ast.Lambda, ast.Yield, ast.YieldFrom, ast.Await, ast.ListComp, ast.SetComp,
           ast.DictComp, ast.GeneratorExp)


def _runs_at_import(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether ``def analyse``'s default values or annotations could change the model when the file is
    loaded (``def analyse(ds, _=globals().update(NOISE=3.0))``): then the whole file is hashed."""
    args = node.args
    parts = [*args.defaults, *[d for d in args.kw_defaults if d is not None], *([node.returns] if node.returns else [])]
    parts += [a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
              if a is not None and a.annotation is not None]
    return any(isinstance(n, _ACTIVE) for part in parts for n in ast.walk(part))


def _trailing_comments(lines: list[bytes], end: int) -> int:
    """The last line of a function whose body ends at line ``end``, counting indented comment lines after
    its last statement (the parser leaves them out; a comment at the margin belongs to what follows)."""
    last = end
    for number in range(end + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() and not (text[:1] in (b" ", b"\t") and text.lstrip().startswith(b"#")):
            break
        if text.strip():
            last = number
    return last


def _named_elsewhere(tree: ast.Module, defs: list) -> bool:
    """Whether anything outside the ``def analyse`` bodies names ``analyse`` (as a name, attribute or text)."""
    parts = [part for d in defs for part in (*d.body, d.args, *([d.returns] if d.returns else []))]
    inside = {id(n) for part in parts for n in ast.walk(part)}
    for node in ast.walk(tree):
        if id(node) in inside:
            continue
        if isinstance(node, ast.Name) and node.id == ANALYSE:
            return True
        if isinstance(node, ast.Attribute) and node.attr == ANALYSE:
            return True
        if isinstance(node, ast.Constant) and node.value == ANALYSE:
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and ANALYSE in node.names:
            return True
        if isinstance(node, ast.alias) and ANALYSE in (node.name, node.asname):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == ANALYSE \
                and node not in defs:
            return True
    return False
