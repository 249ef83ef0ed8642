"""Model tests: shared helpers live in ``_projection_support.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
