"""The command-line synopsis of docs/architecture.md, generated from the Click commands themselves.

``python -m brainbatch.cli.synopsis`` prints it; ``tests/test_docs.py`` keeps the docs' copy equal to it,
so a new option cannot be missing from the docs.

>>> synopsis().splitlines()[0].split()[:3]
['brainbatch', 'plot', 'STORE']
"""
from __future__ import annotations

import textwrap

import click

__all__ = ["synopsis"]


def _piece(param: click.Option) -> str:
    # the first long name: an option's older spelling comes after it (plot's --out, then --out-dir)
    name = next((o for o in param.opts if o.startswith("--")), max(param.opts, key=len))
    if param.is_flag:
        text = name
    elif isinstance(param.type, click.Choice):
        text = f"{name} {'|'.join(map(str, param.type.choices))}"
    else:
        text = f"{name} {param.metavar or param.name.upper()}"
    return f"[{text}]" + ("..." if param.multiple else "")


def _argument(param: click.Argument) -> str:
    return param.name.upper() + ("..." if param.nargs == -1 else "")


def synopsis(width: int = 100) -> str:
    """One usage block per command: every argument and option, wrapped under the command's name."""
    from .main import main

    blocks = []
    for name in sorted(main.commands):
        command = main.commands[name]
        head = f"brainbatch {name}"
        pieces = [_argument(p) for p in command.params if isinstance(p, click.Argument)]
        pieces += [_piece(p) for p in command.params
                   if isinstance(p, click.Option) and not p.hidden and "--help" not in p.opts]
        indent = " " * (len(head) + 1)
        glued = " ".join(p.replace(" ", "\0") for p in pieces)  # a piece is never split over two lines
        text = textwrap.fill(glued, width=width, initial_indent=head + " ", subsequent_indent=indent,
                             break_on_hyphens=False, break_long_words=False)
        blocks.append(text.replace("\0", " "))
    return "\n".join(blocks)


if __name__ == "__main__":
    print(synopsis())
