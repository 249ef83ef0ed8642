"""``python -m brainbatch``: the same command as ``brainbatch`` (docs/architecture.md)."""
from brainbatch.cli import main

if __name__ == "__main__":
    main(prog_name="brainbatch")
