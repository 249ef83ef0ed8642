"""The error root and the checks every layer shares: no JAX, nothing else of brainbatch.

``BrainbatchError`` is the base of every error class of brainbatch (``UsageError``, ``StoreError``,
``KernelChoiceError``...; the checks of values given to models and runners in Python raise the built-in
``ValueError``/``TypeError``/``KeyError`` naming them, docs/architecture.md): the CLI turns one into a
one-line message and exit code 2, while any other exception is a bug and keeps its traceback. The checkers (``is_int`` never takes a
bool: ``True`` is an ``int`` to Python but never a count here) and ``did_you_mean`` (the one hint rule)
live here once, imported by the JAX core and by the jax-free store alike (docs/architecture.md).

>>> check_int("batch_size", True, minimum=1)
Traceback (most recent call last):
ValueError: batch_size must be an integer >= 1, got True
>>> did_you_mean("E.v", ["E.V", "I.V"])
" Did you mean 'E.V'?"
"""
from __future__ import annotations

import contextlib
import contextvars
import difflib
import functools
import inspect
import numbers
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

__all__ = ["BrainbatchError", "option_name", "option_text", "on_command_line", "command_line", "did_you_mean", "one_slip",
           "unknown_name_error", "keywords_named", "NamedKeywords", "is_bool", "is_int", "is_real", "check_int", "check_bool", "check_choice"]


class BrainbatchError(Exception):
    """The root of brainbatch's own errors: an error meant for the user, with a message that says what to do.

    >>> from brainbatch.store import StoreError
    >>> issubclass(StoreError, BrainbatchError)
    True
    """


#: Whether the user is on the command line (``brainbatch ...``): set by the CLI around each command
_COMMAND_LINE: contextvars.ContextVar[bool] = contextvars.ContextVar("brainbatch_command_line", default=False)


def option_name(name: str) -> str:
    """An option as the user wrote it: ``batch_size`` from Python, ``--batch-size`` on the command line.

    >>> option_name("batch_size")
    'batch_size'
    >>> with command_line():
    ...     option_name("batch_size")
    '--batch-size'
    """
    return "--" + name.replace("_", "-") if _COMMAND_LINE.get() else name


def on_command_line() -> bool:
    """Whether the user is on the command line (inside ``command_line()``), for advice in its own syntax."""
    return _COMMAND_LINE.get()


def option_text(name: str, value: Any) -> str:
    """An option with its value as the user would write it: ``duration=400`` or ``--duration 400``."""
    return f"{option_name(name)} {value}" if _COMMAND_LINE.get() else f"{name}={value!r}"


@contextlib.contextmanager
def command_line() -> Iterator[None]:
    """Messages inside name options by their command-line spelling (``option_name``): the CLI's commands."""
    token = _COMMAND_LINE.set(True)
    try:
        yield
    finally:
        _COMMAND_LINE.reset(token)


def one_slip(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter retyped or two neighbours swapped (same length).

    >>> one_slip("spiek", "spike"), one_slip("spike", "spikes")
    (True, False)
    """
    if len(a) != len(b):
        return False
    diff = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                and a[diff[1]] == b[diff[0]])


def did_you_mean(name: object, choices: Iterable[object], cutoff: float = 0.5) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice (shown as given: ``0.6``, ``'E.V'``), or ``""``.

    One equal but for letter case, else the closest choice by text similarity (at least ``cutoff``; a
    caller whose names are many and unrelated asks for more), where one letter retyped wins, then a close
    one that the name begins with (or that begins with the name): ``V_thresh`` is ``V_th`` spelled out,
    not ``V_rest`` retyped. Failing all that, the one choice that begins with the name (three letters or more).

    >>> did_you_mean("E.spiek", ["E.spike", "E.V"]), did_you_mean("RATE", ["rate"]), did_you_mean("x", [])
    (" Did you mean 'E.spike'?", " Did you mean 'rate'?", '')
    >>> did_you_mean("V_thresh", ["V_rest", "V_reset", "V_th"]), did_you_mean("DualExponV3", ["DualExpon", "DualExponV2"])
    (" Did you mean 'V_th'?", " Did you mean 'DualExponV2'?")
    >>> did_you_mean("tau_rf", ["tau", "tau_ref"]), did_you_mean("mult", ["additive", "multiplicative"])
    (" Did you mean 'tau_ref'?", " Did you mean 'multiplicative'?")
    """
    by_text = {str(c): c for c in choices}
    text = str(name)
    lowered = {c.lower(): c for c in by_text}
    if text.lower() in lowered:
        match = [lowered[text.lower()]]
    else:
        close = difflib.get_close_matches(text, list(by_text), n=5, cutoff=cutoff)
        # one slip (a letter retyped, two swapped) beats a prefix: DualExponV3 is DualExponV2 mistyped,
        # not DualExpon spelled out
        retyped = [c for c in close if one_slip(c.lower(), text.lower())]
        # then one letter left out inside the name: tau_rf is tau_ref, not tau spelled out
        dropped = [c for c in close if len(c) == len(text) + 1 and len(text) > 3 and not c.lower().startswith(text.lower())
                   and any(c.lower()[:k] + c.lower()[k + 1:] == text.lower() for k in range(len(c)))]
        prefixes = [c for c in close if text.lower().startswith(c.lower()) or c.lower().startswith(text.lower())]
        match = (retyped or dropped or prefixes or close)[:1]
        if not match and len(text) >= 3:
            # nothing close by similarity: an abbreviation ("mult" of "multiplicative") that only one choice
            # begins with is still that choice
            begun = [c for c in by_text if c.lower().startswith(text.lower())]
            match = begun if len(begun) == 1 else []
    return f" Did you mean {by_text[match[0]]!r}?" if match else ""


def unknown_name_error(kind: str, name: str, choices: Iterable[str], exc: type[Exception] = KeyError) -> Exception:
    """An error naming an unknown ``name``, the allowed ones, and the closest one.

    >>> unknown_name_error("delay", "E.v", ["E.V"])
    KeyError("unknown delay 'E.v'. Did you mean 'E.V'? Known: 'E.V'")
    """
    choices = list(choices)
    shown = ", ".join(repr(c) for c in choices[:20]) + (" ..." if len(choices) > 20 else "")
    return exc(f"unknown {kind} {name!r}.{did_you_mean(name, choices)} Known: {shown or '(none)'}")


_UNEXPECTED = re.compile(r"(\S+)\(\) got an unexpected keyword argument '(\w+)'")
_F = TypeVar("_F", bound=Callable[..., Any])


def _parameters(func: Callable) -> list[str]:
    return [p.name for p in inspect.signature(func).parameters.values()
            if p.name not in ("self", "cls", "_cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def keywords_named(func: _F) -> _F:
    """``func`` whose "unexpected keyword argument" error names the closest parameter, or lists them.

    A function's ``elsewhere`` attribute (``{keyword: where it belongs}``) answers a keyword that is not
    misspelled but given to the wrong call.

    On a class, its ``__init__`` (put it above ``@dataclass``), or a ``NamedTuple``'s ``__new__``. On an
    ``__init__``, the parameters are those of every ``__init__`` of the class being built, and the
    message names that class. Free on a good call: only the ``TypeError`` Python raises for the call itself
    is rewritten, never one raised deeper.

    >>> @keywords_named
    ... def run(duration, inputs=None): ...
    >>> run(durtion=5)
    Traceback (most recent call last):
    TypeError: run() got an unexpected keyword argument 'durtion'. Did you mean 'duration'?
    """
    if isinstance(func, type):  # a class (above its @dataclass or NamedTuple): its __init__ or __new__
        made_by = "__new__" if "__new__" in vars(func) and "__init__" not in vars(func) else "__init__"
        setattr(func, made_by, keywords_named(getattr(func, made_by)))
        return func
    if getattr(func, "_bb_keywords", False):
        return func
    maker = func.__name__ if func.__name__ in ("__init__", "__new__") else None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TypeError as err:
            match = _UNEXPECTED.fullmatch(str(err))
            if match is None or match.group(1) != func.__qualname__:  # raised deeper, or already named
                raise
            if maker is not None:
                cls = args[0] if maker == "__new__" else type(args[0])
                shown = cls.__name__
                names = [n for c in cls.__mro__ if inspect.isfunction(c.__dict__.get(maker))
                         for n in _parameters(c.__dict__[maker])]
            else:
                shown, names = func.__qualname__, _parameters(func)
            names = list(dict.fromkeys(names))
            # a keyword that belongs elsewhere (sweep(kernels=...)) says where, rather than name a close spelling
            elsewhere = getattr(func, "elsewhere", {}).get(match.group(2))
            hint = (f" {elsewhere}" if elsewhere else did_you_mean(match.group(2), names)
                    or f" {shown} takes: {', '.join(names) or 'no keywords'}.")
            raise TypeError(f"{shown}() got an unexpected keyword argument {match.group(2)!r}.{hint}") from None

    setattr(wrapper, "_bb_keywords", True)
    return wrapper  # type: ignore[return-value]


class NamedKeywords:
    """Base class: the ``__init__`` of the class and of every subclass goes through ``keywords_named``,
    so ``FixedProb(p=0.1)`` says "Did you mean 'prob'?" as a model constructor does. (A dataclass's
    ``__init__`` is made after this runs: decorate it with ``keywords_named`` instead.)"""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if inspect.isfunction(init):
            cls.__init__ = keywords_named(init)  # type: ignore[method-assign]


def is_bool(value: Any) -> bool:
    """A Python or NumPy bool (which Python would otherwise take for the integers 0 and 1).

    >>> is_bool(True), is_bool(np.True_), is_bool(1)
    (True, True, False)
    """
    return isinstance(value, (bool, np.bool_))


def is_int(value: Any) -> bool:
    """An integer (Python or NumPy), never a bool.

    >>> is_int(3), is_int(np.int32(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not is_bool(value)


def is_real(value: Any) -> bool:
    """A real number (int or float, Python or NumPy), never a bool.

    >>> is_real(0.5), is_real(2), is_real(False), is_real("1")
    (True, True, False, False)
    """
    return isinstance(value, (numbers.Real, np.integer, np.floating)) and not is_bool(value)


def check_int(what: str, value: Any, *, minimum: int | None = None, maximum: int | None = None,
              none: bool = False, exc: type[Exception] = ValueError, allowed: str | None = None) -> Any:
    """``value`` as an ``int`` if it is an integer in ``[minimum, maximum]`` (or ``None`` when ``none``).

    ``exc`` is the error raised (``ValueError`` unless the caller's contract says ``TypeError``, or the
    layer's own error); ``allowed`` replaces the default description of what is allowed in the message.

    >>> check_int("batch_size", 4, minimum=1), check_int("n", None, none=True)
    (4, None)
    """
    if value is None and none:
        return None
    ok = is_int(value) and (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
    if not ok:
        if allowed is None:
            bounds = [f">= {minimum}"] if minimum is not None else []
            bounds += [f"<= {maximum}"] if maximum is not None else []
            allowed = "an integer" + (" " + " and ".join(bounds) if bounds else "")
            allowed = ("None or " if none else "") + allowed
        raise exc(f"{what} must be {allowed}, got {value!r}")
    return int(value)


def check_bool(what: str, value: Any, exc: type[Exception] = TypeError) -> bool:
    """``value`` if it is ``True`` or ``False`` (NumPy's bools too), else an error naming it.

    >>> check_bool("keep_size", False)
    False
    """
    if not is_bool(value):
        raise exc(f"{what} must be True or False, got {value!r}")
    return bool(value)


def _one_of(value: Any, allowed: tuple) -> bool:
    """``value in allowed`` for any value: an array compared itself element by element ("the truth value of an
    array ... is ambiguous"), and an unhashable or odd object may raise from ``==``."""
    if np.ndim(value) if hasattr(value, "shape") else False:
        return False
    try:
        return bool(value in allowed)
    except Exception:  # noqa: BLE001 - whatever a foreign __eq__ raises, the value is not one of the choices
        return False


def check_choice(what: str, value: Any, allowed: tuple) -> Any:
    """``value`` if it is one of ``allowed``, else a ``ValueError`` that lists them.

    >>> check_choice("update_phase", "deliver", ("deliver", "dynamics"))
    'deliver'
    """
    if not _one_of(value, allowed):
        hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
        raise ValueError(f"{what} must be one of {', '.join(map(repr, allowed))}, got {value!r}.{hint}".rstrip("."))
    return value
