"""A misspelled choice of a plasticity trace gets the close match, session 40."""
import pytest

import brainbatch as bb


def test_a_misspelled_trace_mode_names_the_mode_it_means():
    with pytest.raises(ValueError, match=r"Trace mode must be 'add' \(all-to-all\) or 'set' \(nearest spike\), "
                                         r"got 'sett'. Did you mean 'set'\?$"):
        bb.Trace(20.0, 0.1, "sett")
    with pytest.raises(ValueError, match=r"got 3$"):  # not text: no guess
        bb.Trace(20.0, 0.1, 3)
