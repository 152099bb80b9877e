"""The explorer machinery: :class:`Control` (a slider in physical units),
:class:`Explorer` (model + view + readout, live or static) and :class:`Session` (the
live form without widgets).

A chapter's explorer is a function returning ``Explorer(title, controls, model,
view, readout, static)``; see :mod:`lerbook.explore.reservoir` for two examples.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lerbook.plotting.core import LiveCanvas, to_png
from lerbook.recombination import one_over_e_time

LIVE_POINTER = ("*Static figure for the website. Launch this page on Binder or a JupyterHub "
                "(rocket icon at the top) to move the sliders yourself.*")


def static_mode() -> bool:
    """Whether explorers show their static form (the website build sets ``LERBOOK_STATIC=1``).

    Returns
    -------
    bool
        True when the environment variable ``LERBOOK_STATIC`` is ``"1"``.
    """
    return os.environ.get("LERBOOK_STATIC", "") == "1"


def one_over_e_or_inf(t, signal) -> float:
    """The 1/e time of a decay for a readout, infinite where it is not reached.

    Parameters
    ----------
    t : array_like
        Times [s], increasing.
    signal : array_like
        The decay [any unit], >= 0.

    Returns
    -------
    float
        :func:`lerbook.recombination.one_over_e_time` [s], or ``inf`` where the signal does
        not fall to 1/e of its maximum within ``t`` (or has no positive maximum).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0.0, 1e-8, 101)
    >>> round(one_over_e_or_inf(t, np.exp(-t / 2e-9)) * 1e9, 3)
    2.0
    >>> one_over_e_or_inf(t, np.ones_like(t))
    inf
    """
    try:
        return one_over_e_time(t, signal)
    except ValueError:
        return math.inf


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
        """The ipywidgets slider for this control.

        Returns
        -------
        ipywidgets.FloatSlider or ipywidgets.FloatLogSlider
            A slider labelled with the quantity and its unit, over ``low``-``high``.
        """
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
        """The low end, the starting value and the high end (for static views and benchmarks).

        Returns
        -------
        tuple of float
            ``(low, value, high)``, in ``unit``.
        """
        return (self.low, self.value, self.high)


class Session:
    """One view of an explorer, redrawn in place as the slider values move: the live form
    without widgets.

    The live widget draws through a session, and so can anything that renders an explorer
    headless at a series of slider states (tests, the website form): the same model, the same
    view object, ``view.update(result)`` between states and the same renderer, so the pixels
    are those of the widget. As in the widget, the layout is computed on the first render and
    kept afterwards.

    Parameters
    ----------
    explorer : Explorer
        The explorer to draw.
    **values : float
        Slider values to start from, keyed by control name [control units] (the others take
        their starting values).

    Attributes
    ----------
    values : dict
        The slider values drawn, keyed by control name [control units].
    result : object
        What the model returned at ``values``.
    view : object
        The view, built once as ``view(result)`` and updated in place.

    Examples
    --------
    >>> from lerbook import explore
    >>> session = explore.energy_balance_explorer().session(on_time=2.0)
    >>> png = session.png()
    >>> _ = session.move(interface_conductance=1e8, domain_size=20.0)
    >>> "41.7 ps" in session.readout()
    True
    """

    def __init__(self, explorer: Explorer, **values):
        self.explorer = explorer
        self.values = explorer.start_values(**values)
        self.result = explorer.model(**self.values)
        self.view = explorer.make_view(self.result)
        self._canvas = None

    @property
    def fig(self):
        """The view's figure (:class:`matplotlib.figure.Figure`)."""
        return self.view.fig

    def move(self, **values):
        """Move sliders: run the model at the new values and redraw the view in place.

        Parameters
        ----------
        **values : float
            New slider values, keyed by control name [control units]; the others stay where
            they are.

        Returns
        -------
        object
            The model's result at the new values.
        """
        self.values = self.explorer.start_values(**{**self.values, **values})
        self.result = self.explorer.model(**self.values)
        self.view.update(self.result)
        return self.result

    def png(self) -> bytes:
        """The figure as PNG bytes, as the live widget shows it.

        Returns
        -------
        bytes
            The PNG. The first call lays the figure out and freezes that layout: re-running
            the layout engine on every slider move would cost more than the model and the
            drawing together. Later calls redraw only what a move changed
            (:class:`lerbook.plotting.core.LiveCanvas`).
        """
        if self._canvas is None:
            self._canvas = LiveCanvas(self.fig)
            png = self._canvas.png()
            self.fig.set_layout_engine("none")
            return png
        return self._canvas.png()

    def readout(self) -> str:
        """The headline numbers at the current values (``explorer.readout(result)``).

        Returns
        -------
        str
            HTML or plain text.
        """
        return self.explorer.readout(self.result)


class Explorer:
    """A model with sliders, a figure updated in place, and a readout.

    The contract: ``model(**values)`` returns one result; ``view(result)`` draws it (an
    object with ``.fig``) and ``view.update(result)`` redraws a new result in place, where
    ``result`` is exactly what the model returns; ``readout(result)`` gives the headline
    numbers; ``static(values)`` draws the trend figure from the controls' starting values.
    A chapter's explorer is a function that returns one; adding an explorer is a model
    function in ``explore/<chapter>.py`` and a view in ``plotting/<chapter>.py``.

    Parameters
    ----------
    title : str
        One line saying what the explorer shows.
    controls : sequence of Control
        The sliders.
    model : callable
        ``model(**values) -> result``, values keyed by ``Control.name`` in the controls'
        units.
    view : callable
        ``view(result) -> object`` with ``.fig`` (a :class:`matplotlib.figure.Figure`) and
        ``.update(result)``; usually a view class of :mod:`lerbook.plotting`.
    readout : callable
        ``readout(result) -> str``: the headline numbers, as HTML or plain text.
    static : callable
        ``static(values) -> matplotlib.figure.Figure``: the trend for print and the
        website, given the controls' starting values keyed by name.

    Attributes
    ----------
    view : object or None
        The live widget's view, once :meth:`widget` has built it.
    sliders : dict
        The live widget's sliders by control name, once built.

    Examples
    --------
    >>> from lerbook import explore
    >>> explorer = explore.energy_balance_explorer()
    >>> fig = explorer.figure(interface_conductance=1e8)
    >>> len(fig.axes)
    2
    """

    def __init__(self, title: str, controls: Sequence[Control],
                 model: Callable, view: Callable, readout: Callable, static: Callable):
        self.title = title
        self.controls = tuple(controls)
        self.model = model
        self.make_view = view
        self.readout = readout
        self.static = static
        self.sliders = {}
        self.live = None
        self._box = None

    @property
    def view(self):
        """The live widget's view, or None before :meth:`widget` has built it."""
        return None if self.live is None else self.live.view

    @property
    def values(self) -> dict:
        """Current slider values keyed by control name [control units] (starting values before
        display)."""
        if self.sliders:
            return {name: slider.value for name, slider in self.sliders.items()}
        return self.start_values()

    def start_values(self, **values) -> dict:
        """The controls' starting values keyed by name, with some replaced.

        Parameters
        ----------
        **values : float
            Values to use instead, keyed by control name [control units].

        Returns
        -------
        dict
            One value per control, in the controls' order.

        Raises
        ------
        TypeError
            If a name is not one of the controls'.
        """
        names = [c.name for c in self.controls]
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise TypeError(f"{self.title}: no control named {', '.join(unknown)}; "
                            f"the controls are {', '.join(names)}")
        return {c.name: values.get(c.name, c.value) for c in self.controls}

    def compute(self, **values):
        """Run the model at the given slider values (the others: their current values).

        Parameters
        ----------
        **values : float
            Slider values keyed by control name [control units].

        Returns
        -------
        object
            What the model returns.
        """
        return self.model(**{**self.values, **values})

    def view_at(self, **values):
        """A new view drawn at the given slider values, without widgets.

        Parameters
        ----------
        **values : float
            Slider values keyed by control name [control units] (the others: their starting values).

        Returns
        -------
        object
            ``view(model(**values))``, with ``.fig`` and ``.update(result)``.
        """
        return self.make_view(self.model(**self.start_values(**values)))

    def figure(self, **values):
        """The live figure at the given slider values, without widgets.

        Parameters
        ----------
        **values : float
            Slider values keyed by control name [control units] (the others: their starting values).

        Returns
        -------
        matplotlib.figure.Figure
            The figure of :meth:`view_at`.
        """
        return self.view_at(**values).fig

    def session(self, **values) -> Session:
        """A headless live form: one view, moved from state to state like the widget's.

        Parameters
        ----------
        **values : float
            Slider values to start from, keyed by control name [control units].

        Returns
        -------
        Session
            Its ``png()`` gives the pixels the widget would show.
        """
        return Session(self, **values)

    def widget(self):
        """Build (once) and return the live widget: sliders, figure image, readout.

        Returns
        -------
        ipywidgets.VBox
            The title, one slider per control, the figure and the readout.
        """
        import ipywidgets as widgets

        if self._box is None:
            self.sliders = {c.name: c.widget() for c in self.controls}
            self.live = self.session()
            self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
            self.text = widgets.HTML()
            self._show()
            for slider in self.sliders.values():
                slider.observe(self._on_change, names="value")
            header = widgets.HTML(f"<b>{self.title}</b>")
            self._box = widgets.VBox([header, *self.sliders.values(), self.image, self.text])
        return self._box

    def _on_change(self, _change=None):
        self.live.move(**self.values)
        self._show()

    def _show(self):
        self.image.value = self.live.png()
        self.text.value = self.live.readout()

    def static_figure(self):
        """The static figure of the website (the trend the sliders would show).

        Returns
        -------
        matplotlib.figure.Figure
            ``static(values)`` at the controls' starting values.
        """
        return self.static(self.start_values())

    def _ipython_display_(self):
        from IPython.display import Image, Markdown, display

        if static_mode():
            display(Image(to_png(self.static_figure())))
            display(Markdown(LIVE_POINTER))
        else:
            display(self.widget())
