"""``python -m brainbatch.kernels``: build the native kernels now (``make setup`` runs it) and say which path runs."""
import sys

from ._build import build_error, cache_dir, load_library


def main() -> int:
    lib = load_library(warn=False)
    if lib is None:
        print(f"brainbatch kernels: not built ({build_error()}); the pure-JAX path will be used")
        return 0
    print(f"brainbatch kernels: native CPU kernels ready in {cache_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
