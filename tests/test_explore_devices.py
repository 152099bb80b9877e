"""The devices explorer at every corner of its sliders: finite PLQY and voltages inside the
view's fixed axes, and the reservoir never lowers the voltage."""

import itertools

import numpy as np

from lerbook.explore import devices as explore_devices


def test_every_slider_corner_gives_finite_voltages_inside_the_axes():
    explorer = explore_devices.voc_explorer()
    corners = [(c.low, c.high) for c in explorer.controls]
    for values in itertools.product(*corners):
        scan = explorer.compute(**dict(zip([c.name for c in explorer.controls], values,
                                           strict=True)))
        for cell in (scan.cell, scan.conventional):
            assert np.all(np.isfinite(cell.voc)) and np.all(np.isfinite(cell.external_plqy))
            assert np.all((cell.voc > 0.85) & (cell.voc < 1.40))
        assert np.all((scan.external_plqy > 1e-4) & (scan.internal_plqy <= 1.0))
        assert np.all(scan.cell.voc >= scan.conventional.voc - 1e-12)
