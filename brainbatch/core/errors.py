"""Error helpers of the core: close-match suggestions, from the jax-free leaf ``brainbatch/errors.py``.

>>> did_you_mean("E.v", ["E.V", "I.V"])
" Did you mean 'E.V'?"
"""
from __future__ import annotations

from ..errors import BrainbatchError as BrainbatchError
from ..errors import NamedKeywords as NamedKeywords
from ..errors import did_you_mean as did_you_mean
from ..errors import keywords_named as keywords_named
from ..errors import unknown_name_error as unknown_name_error


class InputNotReadError(BrainbatchError, RuntimeError):
    """An input registered on a node (``add_inp_fun``) that its ``update`` never read in a step.

    Raised while the step is traced (before anything runs), so an input is never dropped silently.
    """


class MissingKeyError(BrainbatchError, ValueError):
    """A random initializer asked for values without a key to draw them from."""


class ParameterShapeError(BrainbatchError, ValueError):
    """A parameter array whose shape is not the variable's and does not broadcast to it (or would widen it)."""


class LateInputWarning(UserWarning):
    """A node's ``input`` was written after the node updated in a step: it counts in the next step."""


class UnreadInputWarning(UserWarning):
    """A node's update never summed an input registered by a projection whose update returns what it sends (a
    BrainPy half projection): the script uses that return value, and the registered input is dropped, as in BrainPy."""
