"""Linkage and estimate scores against hand-computed cases, a brute-force oracle and invariants."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.errors import ValidationError
from reckon.estimation import CaptureHistories, Chapman
from reckon.simulate.evaluation import LinkageScores, score_estimate, score_linkage


def frames(clusters: list, persons: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = list(range(1, len(persons) + 1))
    return (
        pd.DataFrame({"record_id": ids, "cluster_id": clusters}),
        pd.DataFrame({"record_id": ids, "person_id": persons}),
    )


def brute_force(clusters: list, persons: list) -> dict[str, float]:
    """Every pair and every record enumerated: the definitions, written out."""
    n = len(persons)
    pairs = list(itertools.combinations(range(n), 2))
    predicted = {p for p in pairs if clusters[p[0]] == clusters[p[1]]}
    true = {p for p in pairs if persons[p[0]] == persons[p[1]]}
    precision = len(predicted & true) / len(predicted) if predicted else 1.0
    recall = len(predicted & true) / len(true) if true else 1.0
    b3p, b3r = [], []
    for i in range(n):
        cluster = {j for j in range(n) if clusters[j] == clusters[i]}
        person = {j for j in range(n) if persons[j] == persons[i]}
        b3p.append(len(cluster & person) / len(cluster))
        b3r.append(len(cluster & person) / len(person))
    exact = sum(
        1
        for p in set(persons)
        if {j for j in range(n) if persons[j] == p}
        in [{j for j in range(n) if clusters[j] == c} for c in set(clusters)]
    )
    return {
        "pairwise_precision": precision,
        "pairwise_recall": recall,
        "bcubed_precision": float(np.mean(b3p)),
        "bcubed_recall": float(np.mean(b3r)),
        "exact_entity_rate": exact / len(set(persons)),
        "predicted_entities": len(set(clusters)),
    }


def test_score_linkage_matches_hand_computation():
    # persons a = {1, 2, 3}, b = {4}; clusters {1, 2}, {3, 4}
    scores = score_linkage(*frames([1, 1, 2, 2], ["a", "a", "a", "b"]))
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (3, 2, 1)
    assert scores.pairwise_precision == pytest.approx(1 / 2)
    assert scores.pairwise_recall == pytest.approx(1 / 3)
    assert scores.pairwise_f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    # per record precision 1, 1, 1/2, 1/2; recall 2/3, 2/3, 1/3, 1
    assert scores.bcubed_precision == pytest.approx(0.75)
    assert scores.bcubed_recall == pytest.approx(2 / 3)
    assert scores.bcubed_f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    assert (scores.predicted_entities, scores.true_entities) == (2, 2)
    assert scores.entity_relative_error == 0.0
    assert scores.exact_entity_rate == 0.0


def test_exact_entity_rate_counts_only_clean_clusters():
    # a = {1, 2} recovered exactly; b and c merged into one cluster
    scores = score_linkage(*frames(["x", "x", "y", "y"], ["a", "a", "b", "c"]))
    assert scores.exact_entity_rate == pytest.approx(1 / 3)
    assert scores.entity_relative_error == pytest.approx((2 - 3) / 3)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=25),
)
def test_score_linkage_agrees_with_brute_force(labels):
    clusters = [c for c, _ in labels]
    persons = [p for _, p in labels]
    scores = score_linkage(*frames(clusters, persons)).to_dict()
    for name, expected in brute_force(clusters, persons).items():
        assert scores[name] == pytest.approx(expected), name


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=40))
def test_perfect_singleton_and_lumped_clusterings(persons):
    n = len(persons)
    perfect = score_linkage(*frames([f"c{p}" for p in persons], persons))
    for name, value in perfect.to_dict().items():
        if name.endswith(("precision", "recall", "f1", "rate")):
            assert value == 1.0, name
    assert perfect.entity_relative_error == 0.0

    singletons = score_linkage(*frames(list(range(n)), persons))
    assert singletons.pairwise_precision == 1.0
    assert singletons.bcubed_precision == 1.0
    assert singletons.predicted_entities == n

    lumped = score_linkage(*frames([0] * n, persons))
    assert lumped.pairwise_recall == 1.0
    assert lumped.bcubed_recall == 1.0
    assert lumped.predicted_entities == 1


def test_score_linkage_on_a_million_records_uses_counts_not_pairs():
    rng = np.random.default_rng(7)
    n = 1_000_000
    persons = rng.integers(0, 300_000, size=n)
    # Split every person with an odd id into two clusters by record parity.
    clusters = np.where(persons % 2 == 1, persons * 2 + np.arange(n) % 2, persons * 2)
    truth = pd.DataFrame({"record_id": np.arange(n), "person_id": persons})
    predicted = pd.DataFrame({"record_id": np.arange(n), "cluster_id": clusters})
    scores = score_linkage(predicted, truth)
    assert scores.pairwise_precision == 1.0
    sizes = np.bincount(persons)
    assert scores.true_pairs == int((sizes * (sizes - 1) // 2).sum())
    assert scores.pairwise_recall < 1.0
    assert scores.predicted_entities == len(np.unique(clusters))


def test_records_are_matched_by_source_and_id_when_both_have_source():
    truth = pd.DataFrame(
        {"record_id": [1, 1, 2], "source": ["A", "B", "B"], "person_id": ["p", "p", "q"]}
    )
    clusters = pd.DataFrame(
        {"record_id": ["1", "1", "2"], "source": ["B", "A", "B"], "cluster_id": [9, 9, 8]}
    )
    scores = score_linkage(clusters, truth)
    assert scores.pairwise_f1 == 1.0
    assert scores.records == 3


def test_records_in_one_input_only_are_all_listed():
    truth = pd.DataFrame({"record_id": [1, 2, 3, 4], "person_id": [1, 1, 2, 2]})
    clusters = pd.DataFrame({"record_id": [1, 2, 5, 6], "cluster_id": [1, 1, 2, 2]})
    with pytest.raises(ValidationError) as err:
        score_linkage(clusters, truth)
    text = str(err.value)
    assert "not in the truth (record_id): 5, 6" in text
    assert "not in the clusters (record_id): 3, 4" in text
    assert len(err.value.problems) == 2


def test_bad_inputs_report_every_problem():
    with pytest.raises(ValidationError) as err:
        score_linkage(
            pd.DataFrame({"record_id": [1, 1], "cluster": [1, 2]}),
            pd.DataFrame({"record_id": [1], "person": [1]}),
        )
    assert len(err.value.problems) == 2
    with pytest.raises(ValidationError, match="more than once"):
        score_linkage(
            pd.DataFrame({"record_id": [1, 1], "cluster_id": [1, 2]}),
            pd.DataFrame({"record_id": [1], "person_id": [1]}),
        )
    with pytest.raises(ValidationError, match="without cluster_id"):
        score_linkage(
            pd.DataFrame({"record_id": [1, 2], "cluster_id": [1, None]}),
            pd.DataFrame({"record_id": [1, 2], "person_id": [1, 1]}),
        )


def test_scores_print_and_serialise():
    scores = score_linkage(*frames([1, 1, 2, 2], ["a", "a", "a", "b"]))
    assert isinstance(scores, LinkageScores)
    assert "B-cubed" in str(scores) and "0.7500" in str(scores)
    data = scores.to_dict()
    assert data["correct_pairs"] == 1 and isinstance(data["correct_pairs"], int)
    with pytest.raises(AttributeError):
        scores.records = 0  # type: ignore[misc]


def test_score_estimate_on_a_chapman_result():
    table = CaptureHistories(
        lists=("A", "B"), patterns=np.array([[1, 0], [0, 1], [1, 1]]), counts=np.array([60, 40, 20])
    )
    result = Chapman().fit(table).result_
    expected_estimate = (80 + 1) * (60 + 1) / (20 + 1) - 1
    assert result.estimate == pytest.approx(expected_estimate)
    score = score_estimate(result, 250)
    assert score["error"] == pytest.approx(expected_estimate - 250)
    assert score["relative_error"] == pytest.approx((expected_estimate - 250) / 250)
    lo, hi = result.interval
    assert score["covered"] == (lo <= 250 <= hi)
    assert score["interval_width"] == pytest.approx(hi - lo)
    assert score_estimate(result.to_dict(), 250) == score


def test_score_estimate_coverage_and_bad_inputs():
    base = {"method": "m", "observed": 100, "estimate": 150.0, "interval": [120.0, 200.0]}
    assert score_estimate(base, 120)["covered"] is True
    assert score_estimate(base, 201)["covered"] is False
    assert score_estimate({**base, "interval": [None, 200.0]}, 150)["covered"] is False
    assert math.isnan(score_estimate({**base, "interval": [None, 200.0]}, 150)["interval_width"])
    with pytest.raises(ValidationError, match="below the 100 people observed"):
        score_estimate(base, 99)
    with pytest.raises(ValidationError, match="positive integer"):
        score_estimate(base, 0)
    with pytest.raises(ValidationError, match="interval"):
        score_estimate({"estimate": 1.0}, 5)


# ---------------------------------------------------------------- command line


def test_evaluate_command_scores_a_clusters_file(tmp_path):
    from click.testing import CliRunner

    from reckon.cli.evaluate import evaluate

    clusters, truth = frames([1, 1, 2, 2], ["a", "a", "a", "b"])
    clusters.to_csv(tmp_path / "clusters.csv", index=False)
    truth.to_csv(tmp_path / "truth.csv", index=False)
    runner = CliRunner()
    args = [str(tmp_path / "clusters.csv"), "--truth", str(tmp_path / "truth.csv")]
    shown = runner.invoke(evaluate, args)
    assert shown.exit_code == 0, shown.output
    assert "B-cubed    precision 0.7500" in shown.output
    as_json = runner.invoke(evaluate, [*args, "--format", "json"])
    assert json.loads(as_json.output)["linkage"]["pairwise_precision"] == 0.5


def test_evaluate_command_scores_an_estimate_json(tmp_path):
    from click.testing import CliRunner

    from reckon.cli.evaluate import evaluate

    table = CaptureHistories(
        lists=("A", "B"), patterns=np.array([[1, 0], [0, 1], [1, 1]]), counts=np.array([60, 40, 20])
    )
    result = Chapman().fit(table).result_
    path = tmp_path / "result.json"
    path.write_text(json.dumps(result.to_dict()))
    shown = CliRunner().invoke(evaluate, ["--estimate", str(path), "--true-n", "250"])
    assert shown.exit_code == 0, shown.output
    covers = result.interval[0] <= 250 <= result.interval[1]
    assert ("does NOT cover" not in shown.output) == covers
    data = json.loads(
        CliRunner()
        .invoke(evaluate, ["--estimate", str(path), "--true-n", "250", "--format", "json"])
        .output
    )
    assert data["estimate"]["true_n"] == 250


def test_evaluate_command_without_inputs_is_a_validation_error(tmp_path):
    from click.testing import CliRunner

    from reckon.cli.evaluate import evaluate

    outcome = CliRunner().invoke(evaluate, ["--true-n", "5"])
    assert isinstance(outcome.exception, ValidationError)
    assert "--true-n needs --estimate" in str(outcome.exception)
