"""Explorers of the ions chapter, beyond the contract every explorer keeps (test_explore.py)."""

from lerbook.explore import ions as explore_ions


def test_blinking_title_never_shows_nan():
    explorer = explore_ions.blinking_explorer()
    for sites in (1, 3):
        values = dict(sites=sites, activation_rate=10.0)
        for ax in explorer.figure(**values).axes:
            assert "nan" not in ax.get_title().lower()
        assert "nan" not in explorer.readout(explorer.compute(**values)).lower()
