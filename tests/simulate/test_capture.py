"""List capture: intended overlaps under independence, heterogeneity and dependence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reckon.estimation.chapman import chapman_estimate
from reckon.simulate import simulate
from reckon.simulate.capture import capture_matrix, capture_probabilities
from reckon.simulate.population import generate_population
from reckon.simulate.scenario import Scenario, load_scenario


def _chapman(sim, a: str, b: str) -> float:
    truth = sim.truth()
    first = set(truth.loc[truth["source"] == a, "person_id"])
    second = set(truth.loc[truth["source"] == b, "person_id"])
    return chapman_estimate(len(first), len(second), len(first & second))["estimate"]


def test_independent_preset_chapman_recovers_true_n() -> None:
    estimates = []
    for seed in (1, 2, 3):
        sim = simulate("independent", seed=seed)
        a, b = sim.list_names()[:2]
        estimate = _chapman(sim, a, b)
        assert abs(estimate - sim.true_n) < 0.1 * sim.true_n  # about 3 standard errors
        estimates.append(estimate)
    assert abs(np.mean(estimates) - 10000) < 0.05 * 10000


def test_heterogeneous_preset_makes_two_list_estimates_too_low() -> None:
    for seed in (1, 2):
        sim = simulate("heterogeneous", seed=seed)
        a, b = sim.list_names()[:2]
        assert _chapman(sim, a, b) < 0.5 * sim.true_n


def test_copying_makes_lists_positively_dependent() -> None:
    for seed in (1, 2):
        sim = simulate("dependent", seed=seed)
        assert _chapman(sim, "testimony_db", "press_reports") < 0.7 * sim.true_n


def test_capture_rates_match_the_scenario_without_heterogeneity() -> None:
    sim = simulate("independent", seed=4)
    histories = sim.records.drop_duplicates(["source", "person_id"])
    shares = histories["source"].value_counts() / sim.true_n
    for spec in sim.scenario.lists:
        se = (spec.capture_rate * (1 - spec.capture_rate) / sim.true_n) ** 0.5
        assert abs(shares[spec.name] - spec.capture_rate) < 5 * se


def test_probabilities_are_rate_times_visibility_capped_at_one() -> None:
    scenario = Scenario.from_dict(
        {
            "lists": [
                {"name": "a", "capture_rate": 0.5},
                {"name": "b", "capture_rate": 0.5, "heterogeneity_weight": 0},
            ]
        }
    )
    population = pd.DataFrame({"visibility": [0.5, 1.0, 3.0]})
    probs = capture_probabilities(population, scenario)
    np.testing.assert_allclose(probs["a"], [0.25, 0.5, 1.0])
    np.testing.assert_allclose(probs["b"], [0.5, 0.5, 0.5])


def _two_lists(**second: object) -> Scenario:
    return Scenario.from_dict(
        {
            "people": 5000,
            "lists": [
                {"name": "a", "capture_rate": 0.3},
                {"name": "b", "capture_rate": 0.1, **second},
            ],
        }
    )


def test_copy_rate_sets_the_share_copied() -> None:
    scenario = _two_lists(capture_rate=0.0, copies_from="a", copy_rate=0.5)
    population = generate_population(scenario, np.random.default_rng(1))
    holds = capture_matrix(population, scenario, np.random.default_rng(2))
    assert not (holds["b"] & ~holds["a"]).any()  # b only has people copied from a
    assert abs(holds.loc[holds["a"], "b"].mean() - 0.5) < 0.05


def test_referrals_bring_people_from_the_referrers_counties() -> None:
    scenario = _two_lists(capture_rate=0.0, referred_by="a", referral_rate=1.0)
    population = generate_population(scenario, np.random.default_rng(1))
    holds = capture_matrix(population, scenario, np.random.default_rng(2))
    referred = population[holds["b"]]
    referrers = population[holds["a"]]
    assert 0.4 * len(referrers) < len(referred) <= len(referrers) * 2
    places = set(zip(referrers["province"], referrers["county"], strict=True))
    assert all(p in places for p in zip(referred["province"], referred["county"], strict=True))


def test_default_preset_overlaps_are_moderate() -> None:
    sim = simulate(seed=1, people=20000)
    histories = sim.capture_histories()
    assert histories.n_lists == 5
    observed = histories.observed
    assert 0.3 * sim.true_n < observed < 0.8 * sim.true_n
    load_scenario("default")  # the benchmark scenario stays loadable
