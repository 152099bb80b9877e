"""The house style and the drawing helpers every view shares.

Colours are the Okabe-Ito palette [1]_, distinguishable with the common forms of
colour-vision deficiency; heat maps use ``inferno`` (perceptually uniform,
readable in greyscale).

.. rubric:: References

.. [1] M. Okabe and K. Ito, "Color universal design (CUD): how to make figures
   and presentations that are friendly to colorblind people" (2008).
"""

from __future__ import annotations

import functools
import io

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lerbook.units import readable_time_unit

#: Okabe-Ito colours, in the order curves use them.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: The house style, applied to every figure the views create.
STYLE = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 1.8,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}


def styled(draw):
    """Decorator: run a drawing function or method inside the house style.

    Parameters
    ----------
    draw : callable
        A function or method that creates or changes figures.

    Returns
    -------
    callable
        The same, run inside ``matplotlib.rc_context(STYLE)``.
    """

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


@styled
def new_figure(nrows: int = 1, ncols: int = 1, width: float = 8.0, height: float = 3.4,
               **subplot_kw):
    """A figure in the house style with a grid of axes.

    Parameters
    ----------
    nrows, ncols : int
        Rows and columns of axes.
    width, height : float
        Figure size [inch].
    **subplot_kw
        Passed to matplotlib's ``Figure.subplots`` (``sharex``, ``gridspec_kw``...).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : ndarray of Axes
        Always two-dimensional, shape (nrows, ncols).
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    for ax in axes.flat:
        ax.set_prop_cycle(color=COLORS)
        # At most ~5 labelled ticks per linear axis: enough to read a value, and every tick
        # label costs about 1.5 ms of text layout on each redraw of a live view.
        ax.locator_params(nbins=4)
    return fig, axes


def _agg_canvas(fig: Figure):
    """The figure's Agg canvas, created once: a canvas keeps its renderer, and with it
    matplotlib's caches of text layouts, between draws."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # attaches itself as fig.canvas
    return fig.canvas


def _encode_png(canvas) -> bytes:
    """The canvas's pixels as PNG, with light compression (a few ms instead of tens)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
        buffer, format="png", compress_level=1)
    return buffer.getvalue()


def to_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes (for widgets and static output).

    Draws once with Agg and encodes with light compression: about twice as fast as
    ``savefig``, which matters on every slider move.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    bytes
        The PNG, at the figure's dpi.
    """
    canvas = _agg_canvas(fig)
    canvas.draw()
    return _encode_png(canvas)


def _overlap(a, b) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > 0) and (min(a.y1, b.y1) - max(a.y0, b.y0) > 0)


def _axes_layers(ax):
    """An Axes' artists in the order ``Axes.draw`` draws them, cut after the last axis:
    (background: patch, artists below the axes' Axis objects and the Axis objects with
    their ticks, grid and labels; foreground: everything drawn after them)."""
    artists = [a for a in ax.get_children() if a is not ax.patch and not a.get_animated()]
    if not (ax.axison and ax.get_frame_on()):
        artists = [a for a in artists if a not in ax.spines.values()]
    axes_axis = (ax.xaxis, ax.yaxis)
    if not ax.axison:
        artists = [a for a in artists if a not in axes_axis]
    artists = sorted(artists, key=lambda a: a.get_zorder())  # stable, as in Axes.draw
    if ax.axison and ax.get_frame_on():
        artists = [ax.patch, *artists]
    cut = max((i + 1 for i, a in enumerate(artists) if a in axes_axis), default=0)
    return artists[:cut], artists[cut:]


def _layers(fig: Figure):
    """(background artists, foreground artists in drawing order) of a figure, or None
    when drawing the foreground over a saved background would not give the pixels of a
    full draw: sub-figures, rasterisation z-orders or figure-level artists drawn below an
    axes (see also :func:`_interleaved`)."""
    if fig.subfigs:
        return None
    axes = sorted((ax for ax in fig.axes if ax.get_visible()), key=lambda ax: ax.get_zorder())
    if any(ax.get_rasterization_zorder() is not None for ax in axes):
        return None
    others = sorted((a for a in fig.get_children()
                     if a is not fig.patch and a not in fig.axes and not a.get_animated()),
                    key=lambda a: a.get_zorder())
    if others and axes and others[0].get_zorder() < axes[-1].get_zorder():
        return None
    background, foreground = [fig.patch], []
    for ax in axes:
        back, front = _axes_layers(ax)
        background += back
        foreground += front
    return background, foreground + others


def _interleaved(fig: Figure, renderer) -> bool:
    """Whether one axes' background (its box, ticks and labels) reaches into another
    axes' box, where the other's data may be drawn: a full draw would then interleave
    the two axes' layers, which a saved background cannot reproduce."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    for ax in axes:
        extents = [ax.bbox] + [axis.get_tightbbox(renderer) for axis in (ax.xaxis, ax.yaxis)
                               if ax.axison and axis.get_visible()]
        for other in axes:
            if other is not ax and any(box is not None and _overlap(box, other.bbox)
                                       for box in extents):
                return True
    return False


def _background_key(fig: Figure, background) -> tuple:
    """What the background's pixels depend on beyond the artists' own ``stale`` flags:
    sizes, positions and view limits of the axes (tick positions and labels follow from
    them), scales, axis labels and the tick locators and formatters in use."""
    key = [tuple(fig.bbox.bounds), fig.dpi, tuple(id(a) for a in background)]
    for ax in fig.axes:
        key.append((id(ax), ax.get_visible(), ax.axison, ax.get_frame_on(),
                    tuple(ax.get_position().bounds), tuple(ax.viewLim.bounds),
                    ax.get_xscale(), ax.get_yscale()))
        for axis in (ax.xaxis, ax.yaxis):
            key.append((axis.get_visible(), axis.get_label_text(),
                        id(axis.get_major_locator()), id(axis.get_major_formatter()),
                        id(axis.get_minor_locator()), id(axis.get_minor_formatter())))
    return tuple(key)


class LiveCanvas:
    """Renders one figure to PNG again and again, redrawing only what changed.

    A live view changes its data on every slider move, but often not its axes: their
    ticks, tick labels and axis labels (most of the time a draw takes, as text) stay the
    same. So the canvas keeps the pixels of the background (figure and axes patches, and
    each axes' artists up to and including its Axis objects: grid, ticks, labels) and,
    while nothing in it changed, restores them and draws only the foreground (data,
    spines, titles, legends, texts) in the order a full draw would. The result is the
    same pixels as :func:`to_png`: the background is redrawn in full whenever the axes'
    limits, positions, scales, labels, tick locators or formatters change or one of the
    background's artists is marked stale, and figures whose artists would interleave
    otherwise (overlapping axes, figure-level artists below an axes) are always drawn in
    full.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, updated in place between renders.

    Attributes
    ----------
    full_draws, partial_draws : int
        How many renders drew everything, and how many only the foreground.
    """

    def __init__(self, fig: Figure):
        self.fig = fig
        self.full_draws = 0
        self.partial_draws = 0
        self._canvas = None
        self._background = None
        self._key = None
        self._interleaved = False

    def png(self) -> bytes:
        """The figure as PNG bytes, as :func:`to_png` would draw it.

        Returns
        -------
        bytes
            The PNG: the same pixels as a full draw.
        """
        fig = self.fig
        canvas = _agg_canvas(fig)
        if canvas is not self._canvas:  # someone attached another canvas: start afresh
            self._canvas, self._key = canvas, None
        layers = None if self._interleaved else _layers(fig)
        if layers is None:
            self._key = None
            self.full_draws += 1
            return to_png(fig)
        background, foreground = layers
        reuse = (self._key is not None and not any(a.stale for a in background)
                 and _background_key(fig, background) == self._key)
        for artist in foreground:  # animated artists are left out of canvas.draw()
            artist.set_animated(True)
        try:
            if reuse:
                canvas.restore_region(self._background)
                self.partial_draws += 1
            else:
                canvas.draw()
                self._background = canvas.copy_from_bbox(fig.bbox)
                self._key = _background_key(fig, background)
                self._interleaved = _interleaved(fig, canvas.get_renderer())
                self.full_draws += 1
            if not self._interleaved:
                renderer = canvas.get_renderer()
                for artist in foreground:
                    artist.draw(renderer)
        finally:
            for artist in foreground:
                artist.set_animated(False)
        if self._interleaved:  # found on this draw: draw everything in the usual order
            self._key = None
            return to_png(fig)
        return _encode_png(canvas)


def time_axis(t):
    """Times in the unit that reads best for their largest value.

    Parameters
    ----------
    t : array_like
        Times [s].

    Returns
    -------
    scaled : numpy.ndarray
        The times in that unit.
    unit : str
        Its name, e.g. ``"ns"`` (:func:`lerbook.units.readable_time_unit`).

    Examples
    --------
    >>> time_axis([0.0, 2e-9])
    (array([0., 2.]), 'ns')
    """
    name, scale = readable_time_unit(np.max(t))
    return np.asarray(t) / scale, name


def positive(values, floor: float = 1e-300) -> np.ndarray:
    """Values clipped from below, so that logarithmic axes never see zeros or round-off < 0.

    Parameters
    ----------
    values : array_like
        The data [any unit].
    floor : float
        Smallest value kept [the unit of values].

    Returns
    -------
    numpy.ndarray
        ``max(values, floor)``, as floats.

    Examples
    --------
    >>> positive([0.0, -1e-20, 2.0], floor=1e-6)
    array([1.e-06, 1.e-06, 2.e+00])
    """
    return np.maximum(np.asarray(values, dtype=float), floor)
