"""Tests of the rank-normalised R-hat and the effective sample sizes on synthetic chains."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from reckon.errors import ValidationError
from reckon.estimation import diagnostics


def ar1_chains(phi: float, chains: int, n: int, seed: int) -> np.ndarray:
    """Stationary Gaussian AR(1) chains x_t = phi x_{t-1} + e_t with unit marginal variance."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((chains, n)) * math.sqrt(1.0 - phi**2)
    out = np.empty((chains, n))
    out[:, 0] = rng.standard_normal(chains)
    for t in range(1, n):
        out[:, t] = phi * out[:, t - 1] + noise[:, t]
    return out


def test_rhat_of_iid_normal_chains_is_close_to_one() -> None:
    draws = np.random.default_rng(1).standard_normal((4, 2000))
    assert diagnostics.rhat(draws) == pytest.approx(1.0, abs=0.005)


def test_rhat_detects_a_shifted_chain() -> None:
    draws = np.random.default_rng(2).standard_normal((4, 1000))
    draws[0] += 1.0
    # Chain means (1, 0, 0, 0) have variance 1/4, so R-hat is about sqrt(1 + 3/16) = 1.09.
    assert diagnostics.rhat(draws) == pytest.approx(math.sqrt(1 + 3 / 16), abs=0.03)
    assert diagnostics.rhat(draws) > 1.05


def test_rhat_detects_chains_with_different_scales_through_folding() -> None:
    # Same centre, different spread: the bulk R-hat misses it, the folded one does not.
    rng = np.random.default_rng(3)
    draws = rng.standard_normal((4, 2000))
    draws[0] *= 3.0
    bulk_only = diagnostics.rhat_basic(diagnostics.rank_normalize(diagnostics.split_chains(draws)))
    assert bulk_only < 1.02
    assert diagnostics.rhat(draws) > 1.05


def test_split_rhat_detects_a_drifting_single_chain() -> None:
    drift = np.linspace(0.0, 4.0, 2000) + np.random.default_rng(4).standard_normal(2000)
    assert diagnostics.rhat(drift) > 1.3


def test_rhat_basic_matches_the_textbook_formula() -> None:
    draws = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 6.0]])
    n = 4
    within = np.mean([np.var(row, ddof=1) for row in draws])
    between = n * np.var(draws.mean(axis=1), ddof=1)
    expected = math.sqrt(((n - 1) / n * within + between / n) / within)
    assert diagnostics.rhat_basic(draws) == pytest.approx(expected)


def test_ess_of_iid_draws_is_close_to_the_number_of_draws() -> None:
    draws = np.random.default_rng(5).standard_normal((4, 5000))
    total = draws.size
    assert diagnostics.ess_basic(draws) == pytest.approx(total, rel=0.1)
    assert diagnostics.ess_bulk(draws) == pytest.approx(total, rel=0.1)
    # The tail ESS is the ESS of a 5% indicator: noisier, same expectation.
    assert diagnostics.ess_tail(draws) == pytest.approx(total, rel=0.2)


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ess_of_an_ar1_chain_matches_theory(phi: float) -> None:
    draws = ar1_chains(phi, chains=4, n=20_000, seed=6)
    expected = draws.size * (1.0 - phi) / (1.0 + phi)
    assert diagnostics.ess_basic(draws) == pytest.approx(expected, rel=0.15)
    # Rank normalisation of a Gaussian chain changes little.
    assert diagnostics.ess_bulk(draws) == pytest.approx(expected, rel=0.15)


def test_ess_of_an_anticorrelated_chain_exceeds_the_draws_but_is_capped() -> None:
    draws = ar1_chains(-0.5, chains=2, n=5000, seed=7)
    ess = diagnostics.ess_basic(draws)
    assert ess > draws.size
    assert ess <= draws.size * math.log10(draws.size) + 1e-6


def test_ess_of_stuck_chains_is_tiny() -> None:
    rng = np.random.default_rng(8)
    draws = rng.standard_normal((4, 1000)) * 0.01 + np.array([[0.0], [5.0], [10.0], [15.0]])
    assert diagnostics.ess_bulk(draws) < 20
    assert diagnostics.rhat(draws) > 2.0


def test_rank_normalize_gives_normal_scores_of_pooled_ranks() -> None:
    draws = np.array([[3.0, 1.0], [2.0, 2.0]])
    ranks = np.array([[4.0, 1.0], [2.5, 2.5]])
    expected = special.ndtri((ranks - 0.375) / (4 + 0.25))
    np.testing.assert_allclose(diagnostics.rank_normalize(draws), expected)


def test_split_chains_drops_the_middle_draw_of_odd_chains() -> None:
    draws = np.arange(10.0).reshape(2, 5)
    split = diagnostics.split_chains(draws)
    np.testing.assert_array_equal(split, [[0, 1], [5, 6], [3, 4], [8, 9]])


def test_constant_or_too_short_draws_give_nan() -> None:
    assert math.isnan(diagnostics.rhat(np.ones((4, 100))))
    assert math.isnan(diagnostics.ess_bulk(np.ones((4, 100))))
    assert math.isnan(diagnostics.ess_tail(np.ones((4, 100))))
    assert math.isnan(diagnostics.rhat(np.arange(6.0).reshape(2, 3)))


def test_diagnostics_reject_bad_input() -> None:
    with pytest.raises(ValidationError, match="finite"):
        diagnostics.rhat(np.array([[1.0, np.nan, 2.0, 3.0]]))
    with pytest.raises(ValidationError, match="shape"):
        diagnostics.ess_bulk(np.zeros((2, 2, 2)))
