"""The explorer machinery: :class:`Control` (a slider in physical units) and
:class:`Explorer` (model + view + readout, live or static).

A chapter's explorer is a function returning ``Explorer(title, controls, model,
view, readout, static)``; see :mod:`lerbook.explore.reservoir` for two examples.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lerbook.plotting.core import LiveCanvas, to_png

LIVE_POINTER = ("*Static figure for the website. Launch this page on Binder or a JupyterHub "
                "(rocket icon at the top) to move the sliders yourself.*")


def static_mode() -> bool:
    """True when explorers should draw static figures (``LERBOOK_STATIC=1``)."""
    return os.environ.get("LERBOOK_STATIC", "") == "1"


@dataclass(frozen=True)
class Control:
    """One slider, in physical units.

    Parameters
    ----------
    name : str
        Keyword the model function receives.
    label : str
        Text beside the slider (the quantity, with its symbol).
    unit : str
        Unit shown after the label, e.g. ``"W m^-2 K^-1"``.
    low, high : float
        Slider range, in ``unit``.
    value : float
        Starting value, in ``unit``.
    log : bool
        Logarithmic slider (for densities, intensities, rates and times).
    steps : int
        Number of slider steps across the range.
    """

    name: str
    label: str
    unit: str
    low: float
    high: float
    value: float
    log: bool = False
    steps: int = 100

    def __post_init__(self):
        if not self.low < self.high:
            raise ValueError(f"{self.name}: low ({self.low}) must be below high ({self.high})")
        if not self.low <= self.value <= self.high:
            raise ValueError(f"{self.name}: value {self.value} outside [{self.low}, {self.high}]")
        if self.log and self.low <= 0:
            raise ValueError(f"{self.name}: a log slider needs low > 0, got {self.low}")

    def widget(self):
        """The ipywidgets slider for this control."""
        import ipywidgets as widgets

        description = f"{self.label} [{self.unit}]" if self.unit else self.label
        common = dict(description=description, continuous_update=True,
                      style={"description_width": "16em"},
                      layout=widgets.Layout(width="100%", max_width="46em"))
        if self.log:
            low, high = np.log10(self.low), np.log10(self.high)
            return widgets.FloatLogSlider(value=self.value, base=10, min=low, max=high,
                                          step=(high - low) / self.steps, readout_format=".3g",
                                          **common)
        return widgets.FloatSlider(value=self.value, min=self.low, max=self.high,
                                   step=(self.high - self.low) / self.steps,
                                   readout_format=".3g", **common)

    def extremes(self) -> tuple[float, float, float]:
        """The low end, the starting value and the high end (for static views and benchmarks)."""
        return (self.low, self.value, self.high)


class Explorer:
    """A model with sliders, a figure updated in place, and a readout.

    Parameters
    ----------
    title : str
        One line saying what the explorer shows.
    controls : sequence of Control
        The sliders.
    model : callable
        ``model(**values) -> result``, values keyed by ``Control.name``.
    view : callable
        ``view(result, values) -> object`` with ``.fig`` and ``.update(result, values)``.
    readout : callable
        ``readout(result) -> str``: the headline numbers, as HTML or plain text.
    static : callable
        ``static() -> matplotlib.figure.Figure``: the trend for the website.
    """

    def __init__(self, title: str, controls: Sequence[Control],
                 model: Callable, view: Callable, readout: Callable, static: Callable):
        self.title = title
        self.controls = tuple(controls)
        self.model = model
        self._view_factory = view
        self.readout = readout
        self.static = static
        self.view = None
        self.sliders = {}
        self.canvas = None
        self._box = None

    @property
    def values(self) -> dict:
        """Current slider values keyed by control name (starting values before display)."""
        if self.sliders:
            return {name: slider.value for name, slider in self.sliders.items()}
        return {c.name: c.value for c in self.controls}

    def compute(self, **values):
        """Run the model at the given slider values (defaults: the current ones)."""
        return self.model(**{**self.values, **values})

    def widget(self):
        """Build (once) and return the live widget: sliders, figure image, readout."""
        import ipywidgets as widgets

        if self._box is None:
            self.sliders = {c.name: c.widget() for c in self.controls}
            result = self.compute()
            self.view = self._view_factory(result, self.values)
            self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
            self.text = widgets.HTML()
            # Renders after the first redraw only what a move changed: axes whose limits
            # stay put keep their ticks and labels, which are most of a full draw.
            self.canvas = LiveCanvas(self.view.fig)
            self._show(result)
            # Keep the layout of the first draw: re-running the layout engine on every
            # slider move would cost more than the model and the drawing together.
            self.view.fig.set_layout_engine("none")
            for slider in self.sliders.values():
                slider.observe(self._on_change, names="value")
            header = widgets.HTML(f"<b>{self.title}</b>")
            self._box = widgets.VBox([header, *self.sliders.values(), self.image, self.text])
        return self._box

    def _on_change(self, _change=None):
        result = self.compute()
        self.view.update(result, self.values)
        self._show(result)

    def _show(self, result):
        self.image.value = self.canvas.png()
        self.text.value = self.readout(result)

    def static_figure(self):
        """The static figure of the website (the trend the sliders would show)."""
        return self.static()

    def _ipython_display_(self):
        from IPython.display import Image, Markdown, display

        if static_mode():
            display(Image(to_png(self.static_figure())))
            display(Markdown(LIVE_POINTER))
        else:
            display(self.widget())
