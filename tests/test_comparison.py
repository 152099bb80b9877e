"""Tests of lerbook.comparison: the closed-form kinetics, the fits and the ranking."""

import doctest

import numpy as np
import pytest
from scipy import integrate

from lerbook import comparison


def test_docstring_examples_hold():
    assert doctest.testmod(comparison).failed == 0


def test_two_state_decay_solves_the_rate_equations():
    k_1, k_c, k_e, k_t = 1e7, 3e7, 2e6, comparison.TRAP_LOSS_RATE
    t = np.linspace(0.0, 1e-6, 201)

    def rhs(_t, y):
        n, n_t = y
        return [-(k_1 + k_c) * n + k_e * n_t, k_c * n - (k_e + k_t) * n_t]

    sol = integrate.solve_ivp(rhs, (0.0, t[-1]), [1.0, 0.0], t_eval=t, method="Radau",
                              rtol=1e-10, atol=1e-14)
    assert np.allclose(comparison.two_state_decay(t, k_1, k_c, k_e, k_t), sol.y[0],
                       rtol=1e-6, atol=1e-12)


def test_two_state_decay_without_trapping_is_exponential():
    t = np.linspace(0.0, 1e-6, 50)
    assert np.allclose(comparison.two_state_decay(t, 1e7, 0.0, 0.0, 1e6), np.exp(-1e7 * t))


def test_fit_reaches_at_least_the_likelihood_of_the_truth():
    for truth in comparison.TRPL_MODELS:
        data = comparison.trpl_dataset(truth, seed=2)
        model = comparison.TRPL_MODELS[truth]
        at_truth = comparison._residuals(data, model.predict(data.x, **data.truth_params))
        assert comparison.fit(data, model).chi2 <= at_truth @ at_truth + 1e-6


def test_fit_recovers_the_generating_parameters():
    data = comparison.upconversion_dataset("reservoir", seed=3, noise=0.01)
    fit = comparison.fit(data, comparison.UPCONVERSION_MODELS["reservoir"])
    for name, value in data.truth_params.items():
        assert fit.params[name] == pytest.approx(value, rel=0.15)


@pytest.mark.parametrize("truth", list(comparison.TRPL_MODELS))
def test_trpl_comparison_recovers_the_truth(truth):
    result = comparison.compare(comparison.trpl_dataset(truth, seed=0))
    assert result.best_aic == truth and result.best_bic == truth


@pytest.mark.parametrize("truth", list(comparison.UPCONVERSION_MODELS))
def test_upconversion_comparison_recovers_the_truth(truth):
    result = comparison.compare(comparison.upconversion_dataset(truth, seed=0))
    assert result.best_aic == truth


def test_information_criteria_follow_their_definitions():
    result = comparison.compare(comparison.upconversion_dataset("phonon", seed=0))
    for fit in result.fits.values():
        assert fit.aic == pytest.approx(fit.chi2 + 2 * fit.n_params)
        assert fit.bic == pytest.approx(fit.chi2 + fit.n_params * np.log(fit.n_points))
    assert sum(result.akaike_weights.values()) == pytest.approx(1.0)
    assert min(result.delta_aic.values()) == 0.0


def test_more_noise_weakens_the_evidence():
    clean = comparison.compare(comparison.upconversion_dataset("reservoir", seed=0, noise=0.05))
    noisy = comparison.compare(comparison.upconversion_dataset("reservoir", seed=0, noise=0.2))
    assert min(noisy.delta_aic["phonon"], noisy.delta_aic["two_photon"]) < \
        min(clean.delta_aic["phonon"], clean.delta_aic["two_photon"])


def test_soak_time_scales_with_heat_per_photon():
    # Without dark decay the build-up rate is proportional to the heat per photon.
    tau = comparison.soak_time_against_photon_energy(40.0, [1.96, 3.1], band_gap=1.6,
                                                     emitted_fraction=0.0, dark_lifetime=1e12)
    assert tau[0] == pytest.approx(40.0)
    assert tau[1] == pytest.approx(40.0 * 1.96 / 3.1)
    # The dark decay dilutes the effect: the ratio lies between 1 and the heat ratio.
    tau = comparison.soak_time_against_photon_energy(40.0, [1.65, 3.1], dark_lifetime=120.0)
    heat = (3.1 - 0.157) / (1.65 - 0.157)
    assert 1.0 < tau[0] / tau[1] < heat
    flat = comparison.soak_time_against_photon_energy(40.0, [1.7, 3.1], heat_driven=False)
    assert np.all(flat == 40.0)


def test_fits_converge_and_more_starts_find_no_better_optimum():
    data = comparison.trpl_dataset("reservoir", seed=3)
    for model in comparison.TRPL_MODELS.values():
        few, many = comparison.fit(data, model, starts=3), comparison.fit(data, model, starts=8)
        assert few.converged
        assert few.chi2 == pytest.approx(many.chi2, rel=1e-5)


def test_only_the_reservoir_builds_up_after_switch_on():
    result = comparison.compare(comparison.upconversion_dataset("reservoir", seed=0))
    t = np.array([0.0, 10.0, 1000.0])
    for name, fit in result.fits.items():
        y = comparison.switch_on_response(fit, t)
        if name == "reservoir":
            assert y[0] < y[1] < y[2]
        else:
            assert np.allclose(y, y[0])


@pytest.mark.parametrize("call, name", [
    (lambda: comparison.trpl_dataset("magic"), "truth"),
    (lambda: comparison.trpl_dataset(seed=-1), "seed"),
    (lambda: comparison.trpl_dataset(soak_times=[-1.0]), "soak_times"),
    (lambda: comparison.trpl_dataset(channels=3), "channels"),
    (lambda: comparison.trpl_dataset(params={"k_1": 1.0}), "params"),
    (lambda: comparison.upconversion_dataset(noise=0.0), "noise"),
    (lambda: comparison.upconversion_dataset(params={"scale": -1.0, "rate_ratio": 1.0,
                                                     "reservoir_ratio": 1.0,
                                                     "saturation_power": 1.0}), "scale"),
    (lambda: comparison.fit("data", comparison.TRPL_MODELS["static"]), "dataset"),
    (lambda: comparison.soak_time_against_photon_energy(40.0, [1.0]), "photon_energy"),
    (lambda: comparison.soak_time_against_photon_energy(0.0, [2.0]), "soak_time"),
    (lambda: comparison.soak_time_against_photon_energy(200.0, [2.0]), "dark_lifetime"),
    (lambda: comparison.soak_time_against_photon_energy(40.0, [2.0], emitted_fraction=1.0),
     "emitted_fraction"),
    (lambda: comparison.two_state_decay([0.0], -1.0, 1.0, 1.0, 1.0), "k_1"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
