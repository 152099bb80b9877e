"""Every explorer of every chapter keeps the explorer contract: each slider changes the figure
in place, every slider extreme gives finite figures and readouts without warnings, and the
static form for the website has data. Explorers are discovered, so a new chapter's are
checked without editing this file."""

import importlib
import inspect
import io
import pkgutil
import re
import warnings

import numpy as np
import pytest
from figures import figure_data, finite_where_drawn
from matplotlib.figure import Figure
from PIL import Image

import lerbook.explore
from lerbook import explore
from lerbook.plotting.core import LiveCanvas, new_figure, to_png


def _discover():
    found = []
    for info in pkgutil.iter_modules(lerbook.explore.__path__):
        if info.name == "core":
            continue
        module = importlib.import_module(f"lerbook.explore.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_explorer") and function.__module__ == module.__name__:
                found.append(pytest.param(function, id=f"{info.name}.{name}"))
    return found


EXPLORERS = _discover()
NOT_A_NUMBER = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


def test_every_chapter_has_explorers():
    chapters = {param.id.split(".")[0] for param in EXPLORERS}
    assert {"reservoir", "cooling", "recombination", "upconversion", "ultraslow",
            "ions", "devices"} <= chapters


@pytest.mark.parametrize("make", EXPLORERS)
def test_moving_each_slider_changes_the_figure_in_place(make):
    explorer = make()
    explorer.widget()
    fig = explorer.view.fig
    for control in explorer.controls:
        before_data, before_png = figure_data(fig), explorer.image.value
        slider = explorer.sliders[control.name]
        slider.value = control.high if slider.value != control.high else control.low
        assert explorer.view.fig is fig, "a slider move must not create a new figure"
        after = figure_data(fig)
        changed = (before_data.shape != after.shape
                   or not np.allclose(before_data, after, equal_nan=True))
        assert changed, f"moving {control.name} left the figure data unchanged"
        assert explorer.image.value != before_png
        # the live image (partly redrawn) is exactly what a full draw gives
        assert np.array_equal(_pixels(explorer.image.value), _pixels(to_png(fig))), control.name
        slider.value = control.value


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("make", EXPLORERS)
def test_one_contract_view_of_result_and_update_of_result(make):
    # The model's result, exactly, is what the view draws and updates with; results and
    # views live in the physics and plotting layers, not in explore.
    explorer = make()
    result = explorer.compute()
    assert not type(result).__module__.startswith("lerbook.explore"), type(result)
    view = explorer.view_at()
    assert type(view).__module__.startswith("lerbook.plotting."), type(view)
    assert list(inspect.signature(view.update).parameters) == [
        list(inspect.signature(type(view)).parameters)[0]]
    assert view.update(result) is view.fig


@pytest.mark.parametrize("make", EXPLORERS)
def test_a_headless_session_renders_the_pixels_of_the_widget(make):
    # The website form renders states through a session: the same pixels as the widget.
    explorer, session = make(), make().session()
    explorer.widget()
    assert np.array_equal(_pixels(session.png()), _pixels(explorer.image.value))
    control = explorer.controls[0]
    explorer.sliders[control.name].value = control.high
    session.move(**{control.name: control.high})
    assert np.array_equal(_pixels(session.png()), _pixels(explorer.image.value))
    assert session.readout() == explorer.text.value


def test_start_values_name_the_controls():
    explorer = explore.energy_balance_explorer()
    assert explorer.start_values(on_time=2.0)["on_time"] == 2.0
    with pytest.raises(TypeError, match="no control named typo"):
        explorer.figure(typo=1.0)


def test_live_canvas_redraws_only_the_data_while_the_axes_stay():
    fig, axes = new_figure(1, 2)
    x = np.linspace(0.0, 1.0, 50)
    lines = [ax.plot(x, x**2, label="data")[0] for ax in axes.flat]
    axes[0, 0].legend()
    axes[0, 1].set_title("title")
    live = LiveCanvas(fig)
    live.png()
    fig.set_layout_engine("none")
    for power in (3.0, 4.0):
        lines[0].set_ydata(x**power)
        axes[0, 1].set_title(f"power {power}")
        png = live.png()
        assert np.array_equal(_pixels(png), _pixels(to_png(fig)))
    assert (live.full_draws, live.partial_draws) == (1, 2)
    axes[0, 0].set_ylim(0.0, 2.0)  # new ticks: the background is drawn again
    axes[0, 1].set_xlabel("x [s]")
    png = live.png()
    assert np.array_equal(_pixels(png), _pixels(to_png(fig)))
    assert live.full_draws == 2


def test_live_canvas_draws_overlapping_axes_in_full():
    fig, axes = new_figure(1, 1)
    twin = axes[0, 0].twinx()
    line = axes[0, 0].plot([0, 1], [0, 1], lw=8)[0]
    twin.plot([0, 1], [1, 0], lw=8)
    live = LiveCanvas(fig)
    live.png()
    line.set_ydata([1, 0.5])
    assert np.array_equal(_pixels(live.png()), _pixels(to_png(fig)))
    assert live.partial_draws == 0


@pytest.mark.parametrize("make", EXPLORERS)
def test_every_slider_extreme_gives_finite_figures_without_warnings(make):
    explorer = make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.widget()
        for control in explorer.controls:
            for value in (control.low, control.high):
                explorer.sliders[control.name].value = value
                assert finite_where_drawn(figure_data(explorer.view.fig)), (control.name, value)
                assert not NOT_A_NUMBER.search(explorer.text.value), (control.name, value)
            explorer.sliders[control.name].value = control.value


@pytest.mark.parametrize("make", EXPLORERS)
def test_static_form_draws_a_figure_with_data(make):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make().static_figure()
    assert isinstance(fig, Figure)
    assert finite_where_drawn(figure_data(fig))


def test_static_mode_follows_the_environment(monkeypatch):
    monkeypatch.setenv("LERBOOK_STATIC", "1")
    assert explore.static_mode()
    monkeypatch.setenv("LERBOOK_STATIC", "0")
    assert not explore.static_mode()


def test_energy_balance_readout_reports_the_lifetime():
    explorer = explore.energy_balance_explorer()
    explorer.widget()
    explorer.sliders["interface_conductance"].value = 1e8
    explorer.sliders["domain_size"].value = 20.0
    # tau = C_v d / (6 G_K) = 1.25e6 J m^-3 K^-1 * 20e-9 m / 6e8 W m^-2 K^-1 = 41.7 ps
    assert "41.7 ps" in explorer.text.value


@pytest.mark.parametrize("kwargs", [dict(low=1.0, high=0.5, value=0.7),
                                    dict(low=0.0, high=1.0, value=2.0),
                                    dict(low=0.0, high=1.0, value=0.5, log=True)])
def test_bad_control_ranges_raise(kwargs):
    with pytest.raises(ValueError, match="x"):
        explore.Control("x", "x", "", **kwargs)
