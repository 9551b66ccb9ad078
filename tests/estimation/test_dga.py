"""DGA: Bayesian model averaging over decomposable graphs, checked against R's dga 2.0.2.

The reference rows in ``tests/data/mse/reference_estimates.csv`` (method ``dga BMA``) were
computed with ``dga::bma.cr(Y, Nmissing = 0:(k*n), delta = 2^-p, graphs = graphsP)`` and the
default prior p(N) ∝ 1/N; the point is the posterior median, the interval the 2.5% and 97.5%
quantiles, ``mean`` the posterior mean, and the notes give the three most probable graphs.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gammaln

from reckon.errors import EstimationWarning, ValidationError
from reckon.estimation import CaptureHistories
from reckon.estimation.decomposable import decomposable_graphs
from reckon.estimation.dga import DGA, GridPosterior, dga_posterior

DATA = Path(__file__).parent.parent / "data" / "mse"
REFERENCE = pd.read_csv(DATA / "reference_estimates.csv")
SUMMARY = pd.read_csv(DATA / "datasets_summary.csv").set_index("dataset")


def load(dataset: str) -> CaptureHistories:
    """A reference dataset, collapsed over its strata as the reference rows were."""
    row = SUMMARY.loc[dataset]
    lists = row["lists"].split("|")
    strata = row["strata"].split("|") if isinstance(row["strata"], str) else None
    return CaptureHistories.from_csv(
        DATA / f"{dataset}.csv", lists=lists, strata=strata
    ).collapsed()


def _reference_rows() -> list:
    rows = REFERENCE[REFERENCE["method"] == "dga BMA"]
    params = []
    for _, row in rows.iterrows():
        multiplier = int(re.search(r"\((\d+)n\)", row["settings"]).group(1))
        slow = row["dataset"] == "netherlands_trafficking_5lists" and multiplier == 40
        params.append(
            pytest.param(
                row,
                multiplier,
                id=f"{row['dataset']}-{multiplier}n",
                marks=[pytest.mark.slow] if slow else [],
            )
        )
    return params


def _top_graphs(notes: str) -> dict[frozenset[str], float]:
    """``"top graphs (cliques): AB,C p=0.72; ..."`` as {cliques: weight}."""
    found = re.findall(r"([^;:]+?) p=([0-9.]+)", notes.split("(cliques):", 1)[1])
    return {frozenset(cl.strip().split(",")): float(p) for cl, p in found}


def _weights_by(result, key) -> dict:
    """Posterior weight of each graph in ``result.details``, keyed by ``key(label)``."""
    details = result.details
    return {key(g): w for g, w in zip(details["graph"], details["weight"], strict=True)}


def _clique_key(label: str) -> frozenset[str]:
    """``"[A,B][C]"`` as the notes write it: cliques as concatenated names."""
    return frozenset(c.replace(",", "") for c in re.findall(r"\[([^]]*)\]", label))


@pytest.mark.parametrize(("row", "multiplier"), _reference_rows())
def test_dga_reproduces_r_reference(row: pd.Series, multiplier: int):
    table = load(row["dataset"])
    assert table.observed == row["n_obs"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        result = DGA(grid_multiplier=multiplier).fit(table).result_
    assert result.estimate == pytest.approx(row["point"], rel=0.005)
    assert result.interval[0] == pytest.approx(row["lower"], rel=0.005)
    assert result.interval[1] == pytest.approx(row["upper"], rel=0.005)
    assert result.diagnostics["posterior_mean"] == pytest.approx(row["mean"], rel=0.005)
    # The exact computation agrees to the unit; 0.5% is the tolerance asked of every method.
    assert abs(result.estimate - row["point"]) <= 1
    # The three most probable graphs and their weights (printed to 3 decimals in the notes).
    weights = _weights_by(result, _clique_key)
    for cliques, expected in _top_graphs(row["notes"]).items():
        assert weights[cliques] == pytest.approx(expected, abs=0.0015)
    # The notes also give the posterior mass in the top 10% of the grid.
    top10 = float(re.search(r"top 10% of Nmissing range = ([0-9.e-]+)", row["notes"]).group(1))
    assert result.diagnostics["grid_top10_mass"] == pytest.approx(top10, rel=0.06)


def _negbin_log_prior(a: float, b: float):
    def log_prior(n: np.ndarray) -> np.ndarray:
        return n * np.log(b) - (n + a) * np.log1p(b) + gammaln(n + a) - gammaln(n + 1) - gammaln(a)

    return log_prior


def test_dga_reproduces_madigan_york_published_configuration():
    # Madigan & York (1997), 3-list example: delta = 1, NegBin(13.14, 55.17) prior on N,
    # Nmissing = 1..300 as in dga's test suite. Published: Bayes estimate 731 (relative
    # squared-error loss, E[1/N]/E[1/N^2]), averaged mode 728, top model posterior 0.37 with
    # Bayes estimate 731 and mode 729. dga 2.0.2 computes 731.1 [682, 797], mean 733.5.
    cells = load("madigan_york_3list_dga").cell_counts()
    np.testing.assert_array_equal(cells, [0, 60, 49, 4, 247, 112, 142, 12])
    post = dga_posterior(
        cells,
        np.arange(1, 301),
        delta=1.0,
        log_prior_N=_negbin_log_prior(13.14, 55.17),
        keep_joint=True,
    )
    n_values, pmf = post.posterior.support, post.posterior.pmf
    bayes = (pmf / n_values).sum() / (pmf / n_values**2).sum()
    assert bayes == pytest.approx(731.1, abs=0.05)
    assert post.posterior.mode() == 728
    assert post.posterior.interval(0.95) == (682.0, 797.0)
    assert post.posterior.mean() == pytest.approx(733.5, abs=0.05)
    top = int(np.argmax(post.graph_weights))
    assert post.graphs[top].label(["L1", "L2", "L3"]) == "[L1,L2][L3]"
    assert round(post.graph_weights[top], 3) == 0.374
    conditional = post.joint[top]
    assert (conditional / n_values).sum() / (conditional / n_values**2).sum() == pytest.approx(
        731.1, abs=0.05
    )
    assert n_values[np.argmax(conditional)] == 729
    np.testing.assert_allclose(post.joint.sum(axis=1), post.graph_weights, rtol=1e-10)
    np.testing.assert_allclose(post.joint.sum(axis=0), pmf, rtol=1e-9)


def test_saturated_graph_marginal_likelihood_is_the_full_dirichlet_multinomial():
    # Independent of the clique/separator bookkeeping: for the complete graph the posterior
    # is p(N) * multinomial coefficient * Dirichlet-multinomial of the whole 2^J table.
    cells = load("korea_palembang").cell_counts().astype(float)
    grid = np.arange(0, 200)
    delta = 0.125
    saturated = decomposable_graphs(3)[-1]
    post = dga_posterior(cells, grid, delta=delta, graphs=[saturated], keep_joint=True)
    n = cells.sum()
    full = cells[None, :] + np.zeros((grid.size, 1))
    full[:, 0] = grid
    log = (
        gammaln(8 * delta)
        - gammaln(n + grid + 8 * delta)
        + (gammaln(full + delta) - gammaln(delta)).sum(axis=1)
        + gammaln(n + grid + 1)
        - gammaln(full + 1).sum(axis=1)
        - np.log(n + grid)
    )
    expected = np.exp(log - log.max())
    np.testing.assert_allclose(post.joint[0], expected / expected.sum(), rtol=1e-9)


def test_posterior_weights_sum_to_one():
    result = DGA().fit(load("kosovo_1999")).result_
    assert result.details["weight"].sum() == pytest.approx(1.0, abs=1e-12)
    assert len(result.details) == 61
    assert (np.diff(result.details["weight"].to_numpy()) <= 0).all()
    posterior = result.diagnostics["posterior_N"]
    assert isinstance(posterior, GridPosterior)
    assert posterior.pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert posterior.start == 4400 and len(posterior) == 44001
    assert result.draws is None


@pytest.mark.parametrize("dataset", ["kosovo_1999", "madigan_york_5list_dga", "korea_palembang"])
def test_permuting_list_columns_leaves_the_estimate_unchanged(dataset: str):
    table = load(dataset)
    reversed_lists = list(reversed(table.lists))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        a = DGA().fit(table).result_
        b = DGA().fit(table.reorder(reversed_lists)).result_
    assert a.estimate == b.estimate
    assert a.interval == b.interval
    np.testing.assert_allclose(
        a.diagnostics["posterior_N"].pmf, b.diagnostics["posterior_N"].pmf, atol=1e-13
    )
    weights_a = _weights_by(a, _clique_set)
    weights_b = _weights_by(b, _clique_set)
    assert weights_a.keys() == weights_b.keys()
    for key, w in weights_a.items():
        assert weights_b[key] == pytest.approx(w, abs=1e-12)


def _clique_set(label: str) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(c.split(",")) for c in re.findall(r"\[([^]]*)\]", label))


def _sparse_table() -> CaptureHistories:
    # Three lists that never overlap: the data say almost nothing about the unobserved cell.
    return CaptureHistories(
        lists=("A", "B", "C"),
        patterns=np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
        counts=np.array([6, 5, 4]),
    )


def test_grid_edge_warning_fires_on_a_sparse_table():
    with pytest.warns(EstimationWarning, match="raise grid_multiplier"):
        result = DGA().fit(_sparse_table()).result_
    assert result.diagnostics["grid_edge_mass"] > 1e-3
    assert any("grid_multiplier" in w for w in result.warnings)


def test_no_grid_edge_warning_when_the_posterior_is_far_from_the_edge():
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimationWarning)
        result = DGA().fit(load("madigan_york_3list_dga")).result_
    assert result.warnings == ()
    assert result.diagnostics["grid_edge_mass"] < 1e-5


def test_saturated_graph_dominance_is_reported():
    with pytest.warns(EstimationWarning) as record:
        result = DGA().fit(load("peru_cvr_2003")).result_
    assert any("saturated graph carries 1.00" in str(w.message) for w in record)
    assert any("raise grid_multiplier" in str(w.message) for w in record)
    assert result.diagnostics["saturated_weight"] > 0.999
    assert result.diagnostics["top_graph"] == "[ODH,DP,CVR]"


def test_a_larger_grid_moves_a_truncation_sensitive_upper_end():
    table = load("korea_palembang")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        small = DGA(grid_multiplier=10).fit(table).result_
        large = DGA(grid_multiplier=40).fit(table).result_
    assert small.interval[1] == pytest.approx(388, abs=1)
    assert large.interval[1] == pytest.approx(451, abs=1)


def test_two_lists_are_refused_with_a_pointer_to_chapman():
    table = CaptureHistories(
        lists=("A", "B"), patterns=np.array([[1, 0], [0, 1], [1, 1]]), counts=np.array([3, 4, 5])
    )
    with pytest.raises(ValidationError, match="Chapman"):
        DGA().fit(table)


def test_six_lists_are_refused_with_a_pointer_to_lcmcr():
    with pytest.raises(ValidationError, match="LCMCR"):
        DGA().fit(load("uk_modern_slavery_2013"))


def test_stratified_table_is_refused():
    table = CaptureHistories.from_csv(
        DATA / "spina_bifida_ny_by_ethnicity.csv", lists=["S1", "S2", "S3"], strata=["eth"]
    )
    with pytest.raises(ValidationError, match="stratified"):
        DGA().fit(table)


def test_invalid_settings_are_reported_together():
    with pytest.raises(ValidationError) as info:
        DGA(delta=-1.0, grid_multiplier=0, level=1.5, prior_N="poisson").fit(_sparse_table())
    assert len(info.value.problems) == 4


def test_callable_prior_equal_to_one_over_n_reproduces_the_default():
    table = load("madigan_york_3list_dga")
    default = DGA().fit(table).result_
    custom = DGA(prior_N=lambda n: -np.log(n)).fit(table).result_
    np.testing.assert_allclose(
        default.diagnostics["posterior_N"].pmf, custom.diagnostics["posterior_N"].pmf, atol=1e-14
    )
    assert custom.diagnostics["prior_N"] == "custom"


def test_flat_prior_puts_more_weight_on_large_n_than_one_over_n():
    table = load("western_us_trafficking")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        inverse = DGA(prior_N="1/N").fit(table).result_
        flat = DGA(prior_N="1").fit(table).result_
    assert flat.estimate > inverse.estimate
    assert flat.diagnostics["posterior_mean"] > inverse.diagnostics["posterior_mean"]


def test_a_single_graph_gives_its_conditional_posterior():
    table = load("madigan_york_3list_dga")
    averaged = DGA().fit(table).result_
    single = DGA(graphs=[[["L1", "L2"], ["L3"]]]).fit(table).result_
    row = averaged.details.set_index("graph").loc["[L1,L2][L3]"]
    assert single.estimate == row["median"]
    assert single.interval == (row["lower"], row["upper"])
    assert single.details["weight"].tolist() == [1.0]


def test_user_graphs_must_be_decomposable_and_name_known_lists():
    table = load("kosovo_1999")
    cycle = [["EXH", "ABA"], ["ABA", "OSCE"], ["OSCE", "HRW"], ["EXH", "HRW"]]
    with pytest.raises(ValidationError, match="not decomposable"):
        DGA(graphs=[cycle]).fit(table)
    with pytest.raises(ValidationError, match="not one of the lists"):
        DGA(graphs=[[["EXH", "KLA"]]]).fit(table)


def test_delta_changes_the_answer_and_is_recorded():
    table = load("madigan_york_3list_dga")
    default = DGA().fit(table).result_
    heavy = DGA(delta=1.0).fit(table).result_
    assert default.diagnostics["delta"] == 0.125
    assert heavy.diagnostics["delta"] == 1.0
    assert default.provenance.settings["delta_used"] == 0.125
    assert not np.allclose(
        default.details.set_index("graph")["weight"].sort_index(),
        heavy.details.set_index("graph")["weight"].sort_index(),
    )


def test_result_serialises_and_prints():
    result = DGA().fit(load("madigan_york_3list_dga")).result_
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["estimate"] == 731.0
    assert payload["diagnostics"]["posterior_N"].startswith("posterior of N on 626..6,886")
    assert len(payload["details"]) == 8
    text = str(result)
    assert "dga" in text and "731" in text
    assert result.provenance.random_state is None
    assert result.provenance.input_digest == load("madigan_york_3list_dga").digest()


def test_grid_posterior_quantiles_follow_the_smallest_value_rule():
    posterior = GridPosterior(start=10, pmf=np.array([0.25, 0.25, 0.5]))
    assert posterior.quantile(0.25) == 10
    assert posterior.quantile(0.2500001) == 11
    assert posterior.median() == 11
    assert posterior.mean() == pytest.approx(10 * 0.25 + 11 * 0.25 + 12 * 0.5)
    assert posterior.mode() == 12
    draws = posterior.sample(20_000, np.random.default_rng(1))
    assert set(np.unique(draws)) == {10, 11, 12}
    assert np.mean(draws == 12) == pytest.approx(0.5, abs=0.02)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=7, max_size=7))
def test_estimate_and_interval_never_fall_below_the_observed_count(counts: list[int]):
    if sum(counts) == 0:
        counts = [1, *counts[1:]]
    patterns = np.array([[(i >> j) & 1 for j in range(3)] for i in range(1, 8)])
    table = CaptureHistories(lists=("A", "B", "C"), patterns=patterns, counts=np.array(counts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        result = DGA(grid_multiplier=5).fit(table).result_
    assert table.observed <= result.interval[0] <= result.estimate <= result.interval[1]
    assert result.interval[1] <= 6 * table.observed
    assert result.details["weight"].sum() == pytest.approx(1.0, abs=1e-9)
