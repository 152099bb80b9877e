"""Tests of lerbook.ions: the chapter's acceptance criteria and analytic limits."""

import numpy as np
import pytest

from lerbook import fitting, ions
from lerbook.ions.competition import _quench_fraction
from lerbook.ions.segregation import _carrier_density


def test_mapbbr3_brightens_at_100_and_quenches_at_350():
    assert ions.competition(100.0, 120.0).final_change > 1.0
    assert ions.competition(350.0, 120.0).final_change < 1.0
    assert 200.0 < ions.crossover_intensity(120.0) < 350.0


def test_quench_fraction_closed_form_steady_state():
    q = ions.QuenchingParameters()
    k = q.formation_at(350.0)
    steady = _quench_fraction(q, 350.0, [1e6])[0]
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
    assert fitting.fit_exponential_rate(trace.exact_on_times).rate == pytest.approx(1.0, rel=0.08)


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
    assert 3 * params.ionic_time <= scan_time <= 10 * params.ionic_time


def test_diode_sets_open_circuit_below_built_in_voltage():
    params = ions.HysteresisParameters()
    sweep = ions.jv_sweep(1e-7, params)
    voc = np.interp(0.0, -sweep.steady_current, sweep.steady_voltage)
    assert 1.0 < voc < params.built_in_voltage
    assert sweep.steady_current[-1] < 0  # V_max = 1.2 V is beyond V_oc


def test_hysteresis_is_thermally_activated():
    cold = ions.HysteresisParameters(temperature=250.0)
    hot = ions.HysteresisParameters(temperature=350.0)
    assert cold.ionic_time > ions.HysteresisParameters().ionic_time > hot.ionic_time


def test_steady_state_has_no_hysteresis():
    sweep = ions.jv_sweep(1e-7)
    assert np.allclose(sweep.current_forward, sweep.steady_current, atol=0.05)


def _seed_mean(params=None, intensity=100.0, seeds=range(4)):
    runs = [ions.segregation(intensity, 60.0, 240.0, params=params, seed=s) for s in seeds]
    return (np.mean([r.red_shift for r in runs]), np.mean([r.recovery for r in runs]))


def test_segregation_red_shifts_and_recovers():
    shift, recovery = _seed_mean()
    assert shift > 0.08
    assert abs(recovery) < 0.02
    _, drift = _seed_mean(intensity=0.0)
    assert abs(drift) < 0.03


def test_segregation_shift_is_set_by_funnel_field():
    shift, _ = _seed_mean()
    no_field, _ = _seed_mean(ions.SegregationParameters(funnel_coupling=0.0))
    no_light_j, _ = _seed_mean(ions.SegregationParameters(light_coupling=0.0))
    assert no_field < 0.6 * shift
    assert no_light_j > 0.7 * shift


def test_funnel_carrier_density_is_conserved():
    params = ions.SegregationParameters()
    rng = np.random.default_rng(0)
    spins = np.where(rng.random((32, 32)) < 0.4, 1.0, -1.0)
    assert _carrier_density(params, spins).mean() == pytest.approx(1.0, rel=1e-9)


def test_blinking_exponent_error_is_reported():
    stats = ions.blinking_statistics(ions.simulate_blinking(duration=1200.0, seed=3))
    assert 0.0 < stats.off_exponent_error < 0.2


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
