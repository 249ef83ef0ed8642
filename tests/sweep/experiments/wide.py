"""Many neurons, V recorded every step, a short run: one run's records per step are large (80 kB), so a store made
one run at a time has one time chunk for the whole run (tests of calls lengthened to a store's chunks)."""
import brainbatch as bb

monitors = {"V": "E.V"}
duration = 50.0


def build(n=20000):
    return bb.Network(E=bb.LifRef(n, name="E"))
