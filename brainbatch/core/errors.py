"""Error helpers of the core: close-match suggestions, from the jax-free leaf ``brainbatch/errors.py``.

>>> did_you_mean("E.v", ["E.V", "I.V"])
" Did you mean 'E.V'?"
"""
from __future__ import annotations

from ..errors import BrainbatchError as BrainbatchError
from ..errors import did_you_mean as did_you_mean
from ..errors import unknown_name_error as unknown_name_error
