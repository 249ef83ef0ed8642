"""Printing text that comes from a store or a run (untrusted): terminal control sequences are escaped.

A store may be someone else's: a parameter value, an error text, a provenance command or a lease's
host can hold ESC or OSC sequences that would recolour, retitle or rewrite the terminal (even when
the output is redirected to a file that is ``cat``-ed later). Every character that is not printable
(C0/C1 controls, ESC, bidirectional overrides, zero-width marks) is written as a Python escape.

>>> safe("ok \\x1b]0;owned\\x07 done")
'ok \\\\x1b]0;owned\\\\x07 done'
>>> safe("two\\nlines", newlines=True)
'two\\nlines'
"""
from __future__ import annotations

from typing import Any

import click

__all__ = ["safe", "echo", "label", "one_line"]


def safe(value: Any, newlines: bool = False) -> str:
    """``str(value)`` with each non-printable character escaped (``\\n`` kept when ``newlines``)."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or (newlines and ch == "\n") else ascii(ch)[1:-1] for ch in text)


def echo(text: Any = "", **kwargs: Any) -> None:
    """``click.echo`` of a line that may hold untrusted text (its line breaks kept)."""
    click.echo(safe(text, newlines=True), **kwargs)


def label(coords: dict) -> str:
    """``seed=0, we=0.6`` for a run, each name and value escaped (a value's line break too)."""
    return ", ".join(f"{safe(k)}={safe(v)}" for k, v in coords.items() if k not in ("index", "error"))


def one_line(message: str, width: int = 300) -> str:
    """An error's text on one summary line: its lines joined (a message may break after its first words,
    as brainunit's "Cannot calculate \\n a + b, because units do not match" does), cut at ``width``.

    >>> one_line("UnitMismatchError: Cannot calculate \\n  a + b, because units do not match")
    'UnitMismatchError: Cannot calculate a + b, because units do not match'
    """
    text = " ".join(message.split())
    return safe(text if len(text) <= width else text[: width - 3] + "...")
