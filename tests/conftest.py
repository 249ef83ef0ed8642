"""Shared test configuration (JAX devices, compilation cache, dt) lives in the repository's root
conftest.py, which also serves the docstring examples under brainbatch/."""
