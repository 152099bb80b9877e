"""Tests of lerbook.ions: the chapter's acceptance criteria and analytic limits."""

import numpy as np
import pytest

from lerbook import ions


def test_mapbbr3_brightens_at_100_and_quenches_at_350():
    assert ions.competition(100.0, 120.0).final_change > 1.0
    assert ions.competition(350.0, 120.0).final_change < 1.0
    assert 200.0 < ions.crossover_intensity(120.0) < 350.0


def test_quench_fraction_closed_form_steady_state():
    q = ions.QuenchingParameters()
    k = q.formation_at(350.0)
    steady = ions._quench_fraction(q, 350.0, [1e6])[0]
    assert steady == pytest.approx(k / (k + 1 / q.healing_time), rel=1e-12)


def test_blinking_reproducible_with_seed():
    a = ions.simulate_blinking(duration=100.0, seed=7)
    b = ions.simulate_blinking(duration=100.0, seed=7)
    c = ions.simulate_blinking(duration=100.0, seed=8)
    assert np.array_equal(a.counts, b.counts)
    assert not np.array_equal(a.counts, c.counts)


def test_blinking_fits_recover_parameters():
    params = ions.BlinkingParameters()
    trace = ions.simulate_blinking(params, duration=4000.0, seed=11)
    stats = ions.blinking_statistics(trace)
    assert stats.on_rate == pytest.approx(params.on_rate, rel=0.15)
    assert stats.off_exponent == pytest.approx(params.off_exponent, abs=0.15)
    # exact durations: on times are exponential with N k_a
    assert ions.fit_exponential_rate(trace.exact_on_times) == pytest.approx(1.0, rel=0.08)


def test_blinking_exponential_mode_recovers_rates():
    params = ions.BlinkingParameters(off_exponent=None, activation_rate=1.0,
                                     deactivation_rate=2.0)
    stats = ions.blinking_statistics(ions.simulate_blinking(params, duration=3000.0, seed=2))
    assert stats.on_rate == pytest.approx(1.0, rel=0.12)
    assert stats.off_rate == pytest.approx(2.0, rel=0.12)


def test_ionic_time_and_hysteresis_peak():
    params = ions.HysteresisParameters()
    assert params.debye_length == pytest.approx(1.46, rel=0.01)
    assert 30.0 < params.ionic_time < 120.0
    rates = np.logspace(-6, 4, 41)
    index = ions.hysteresis_vs_scan_rate(rates, params)
    assert index[0] < 0.05 and index[-1] < 0.01
    peak = rates[np.argmax(index)]
    assert index.max() > 0.3
    scan_time = 1.2 / peak
    assert params.ionic_time <= scan_time <= 20 * params.ionic_time


def test_hysteresis_is_thermally_activated():
    cold = ions.HysteresisParameters(temperature=250.0)
    hot = ions.HysteresisParameters(temperature=350.0)
    assert cold.ionic_time > ions.HysteresisParameters().ionic_time > hot.ionic_time


def test_steady_state_has_no_hysteresis():
    sweep = ions.jv_sweep(1e-7)
    assert np.allclose(sweep.current_forward, sweep.steady_current, atol=0.05)


def test_segregation_red_shifts_and_recovers():
    run = ions.segregation(100.0, light_time=60.0, dark_time=240.0, seed=0)
    assert run.red_shift > 0.08
    assert abs(run.recovery) < 0.04
    dark = ions.segregation(0.0, light_time=60.0, dark_time=60.0, seed=0)
    assert abs(dark.peak_energy[-1] - dark.peak_energy[0]) < 0.06


def test_mixed_halide_band_gap_ends():
    assert ions.mixed_halide_band_gap(1.0) == pytest.approx(1.57)
    assert ions.mixed_halide_band_gap(0.0) == pytest.approx(2.29)


@pytest.mark.parametrize("make, bad", [
    (lambda: ions.QuenchingParameters(order=7), "order"),
    (lambda: ions.BlinkingParameters(sites=0), "sites"),
    (lambda: ions.HysteresisParameters(temperature=10), "temperature"),
    (lambda: ions.SegregationParameters(size=30), "size"),
])
def test_validation_names_parameter(make, bad):
    with pytest.raises(ValueError, match=bad):
        make()
