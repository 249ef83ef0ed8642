"""``bp.errors``: BrainPy 2.x's error classes, for the scripts that catch or raise them.

BrainPy's tutorials catch its errors by name (``except bp.errors.UniqueNameError``, its "customize dynamical
systems" notebook) and models raise them (``raise bp.errors.NoImplementationError(...)``); without this module such
an ``except`` clause turned the error it was meant to catch into an ``AttributeError``. The classes keep BrainPy
2.8.2's names, hierarchy and messages; ``BrainPyError``, their root, is a ``BrainbatchError``, so
``except bp.errors.BrainPyError`` also catches brainbatch's own errors (a store's, a sweep's), as it caught every
BrainPy error there. brainbatch raises none of these itself: where BrainPy raised one, brainbatch raises the
built-in ``ValueError``/``TypeError``/``KeyError`` naming the bad value, or does not refuse at all (two models
may share a name here, so ``UniqueNameError`` is never raised: names are for display).

>>> import brainbatch.brainpy as bp
>>> try:
...     raise bp.errors.NoImplementationError("update() is not written")
... except bp.errors.BrainPyError as e:
...     type(e).__name__, str(e)
('NoImplementationError', 'update() is not written')
"""
from __future__ import annotations

from typing import Any

from ..errors import BrainbatchError

__all__ = ["BrainPyError", "APIChangedError", "RunningError", "IntegratorError", "DiffEqError", "CodeError",
           "AnalyzerError", "PackageMissingError", "BackendNotInstalled", "UniqueNameError", "UnsupportedError",
           "NoImplementationError", "NoLongerSupportError", "ConnectorError", "MonitorError", "MathError",
           "JaxTracerError", "GPUOperatorNotFound", "SharedArgError"]


class BrainPyError(BrainbatchError):
    """BrainPy's general error: the root of ``bp.errors``' classes, itself brainbatch's error root's child."""


class APIChangedError(BrainPyError):
    """An API that changed between BrainPy releases."""


class RunningError(BrainPyError):
    """An error in the running function."""


class IntegratorError(BrainPyError):
    """An error of an integrator."""


class DiffEqError(BrainPyError):
    """A differential equation defined wrongly."""


class CodeError(BrainPyError):
    """Code defined wrongly."""


class AnalyzerError(BrainPyError):
    """An error of the dynamics analyzers (not part of brainbatch)."""


class PackageMissingError(BrainPyError):
    """A package that must be installed for what was asked."""

    @classmethod
    def by_purpose(cls, name: str, purpose: str) -> PackageMissingError:
        """BrainPy's message for a package ``name`` needed for ``purpose``."""
        return cls(f'"{name}" must be installed when the user wants to use {purpose}. \n'
                   f'Please install through "pip install {name}".')


class BackendNotInstalled(BrainPyError):
    """A backend that is not installed."""

    def __init__(self, backend: str) -> None:
        super().__init__(f'"{backend}" must be installed when the user wants to use {backend} backend. \n'
                         f'Please install {backend} through "pip install {backend}" or "conda install {backend}".')


class UniqueNameError(BrainPyError):
    """BrainPy's error for a second object under a name in use; brainbatch never raises it (names are for display,
    two models may share one: brainbatch/core/naming.py)."""


class UnsupportedError(BrainPyError):
    """Something not supported."""


class NoImplementationError(BrainPyError):
    """A method a subclass must write."""


class NoLongerSupportError(BrainPyError):
    """Something BrainPy no longer supports."""


class ConnectorError(BrainPyError):
    """An error of a connector."""


class MonitorError(BrainPyError):
    """An error of a runner's monitors."""


class MathError(BrainPyError):
    """An error of ``brainpy.math``."""


class JaxTracerError(MathError):
    """BrainPy's error for a Variable changed inside a transform without being given to it."""

    def __init__(self, variables: Any = None) -> None:
        super().__init__('While there are changed variables which are not wrapped into "dyn_vars". Please check!')


class GPUOperatorNotFound(BrainPyError):
    """A GPU operator of brainpylib that is not installed."""

    def __init__(self, name: str) -> None:
        super().__init__(f'GPU operator for "{name}" does not found. \nPlease install brainpylib GPU operators with '
                         'linux + CUDA environment.')


class SharedArgError(BrainPyError):
    """An error of the shared arguments (``bp.share``)."""
