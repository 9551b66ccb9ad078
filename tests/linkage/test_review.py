"""Review decisions: stored with who and when, and always respected by later linkage runs."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_link import korean_lists

from reckon.cli.main import cli
from reckon.errors import LinkageQualityWarning, ValidationError
from reckon.linkage.clustering import cluster_records
from reckon.linkage.link import link
from reckon.linkage.review import (
    Decision,
    DecisionFile,
    StoreDecisions,
    decisions_in_force,
    review_queue,
)


def _edges(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_weight"])


def test_must_link_joins_records_the_model_never_compared() -> None:
    labels = cluster_records(
        4, _edges([(0, 1, 10.0)]), threshold=0.5, max_per_source=None, must_link=[(2, 3)]
    )
    assert labels[2] == labels[3] and labels[0] == labels[1] and labels[0] != labels[2]


def test_must_link_overrides_evidence_against_and_the_source_limit() -> None:
    edges = _edges([(0, 1, -30.0)])
    labels = cluster_records(
        2, edges, threshold=0.5, sources=["a", "a"], max_per_source=1, must_link=[(0, 1)]
    )
    assert labels[0] == labels[1]


def test_cannot_link_splits_a_strong_pair_and_stops_chaining_through_a_third() -> None:
    edges = _edges([(0, 1, 20.0), (1, 2, 20.0), (0, 2, 20.0)])
    assert len(set(cluster_records(3, edges, threshold=0.5, max_per_source=None))) == 1
    labels = cluster_records(3, edges, threshold=0.5, max_per_source=None, cannot_link=[(0, 2)])
    assert labels[0] != labels[2]
    assert labels[1] in (labels[0], labels[2])


def test_contradicting_decisions_are_refused() -> None:
    with pytest.raises(ValidationError, match="contradict"):
        cluster_records(
            3,
            _edges([]),
            threshold=0.5,
            max_per_source=None,
            must_link=[(0, 1), (1, 2)],
            cannot_link=[(0, 2)],
        )


def test_decision_needs_a_reason_a_known_kind_and_two_records() -> None:
    with pytest.raises(ValidationError) as caught:
        Decision("a", "1", "a", "1", "maybe", " ", "kim")
    text = str(caught.value) + " ".join(caught.value.problems)
    assert "decision must be one of" in text and "reason" in text and "two different" in text


def test_the_latest_decision_on_a_pair_is_in_force_whatever_the_order() -> None:
    first = Decision("a", "1", "b", "2", "must_link", "same photo", "kim")
    second = Decision("b", "2", "a", "1", "cannot_link", "different mothers", "lee")
    other = Decision("a", "3", "b", "4", "must_link", "same family", "kim")
    assert decisions_in_force([first, other, second]) == [other, second]


def test_decision_file_appends_and_reads_back_with_who_and_when(tmp_path: Path) -> None:
    log = DecisionFile(tmp_path / "decisions.csv")
    assert log.load() == []
    made = [
        log.add(Decision("ngo", "A-1", "un", "U-7", "must_link", "same village, 이/리", "kim")),
        log.add(Decision("ngo", "A-2", "un", "U-8", "cannot_link", "different sex", "park")),
    ]
    assert log.load() == made
    assert all(d.decided_at.endswith("+00:00") for d in made)


def test_a_bad_decision_file_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(
        "source_l,record_id_l,source_r,record_id_r,decision,reason,reviewer,decided_at\n"
        "ngo,A-1,un,U-7,must_link,same,kim,2026-01-01T00:00:00+00:00\n"
        "ngo,A-2,un,U-8,perhaps,same,kim,2026-01-01T00:00:00+00:00\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        DecisionFile(path).load()
    assert "row 3" in " ".join(caught.value.problems)


def test_store_keeps_decisions_on_every_backend(store) -> None:
    log = StoreDecisions(store)
    made = log.add(Decision("ngo", "A-1", "un", "U-7", "must_link", "same photo", "kim"))
    log.add(Decision("ngo", "A-1", "un", "U-7", "cannot_link", "photo was of a sister", "lee"))
    loaded = log.load()
    assert loaded[0] == made
    assert [d.decision for d in decisions_in_force(loaded)] == ["cannot_link"]


@pytest.fixture(scope="module")
def lists() -> tuple[pd.DataFrame, pd.DataFrame]:
    return korean_lists(people=80, seed=5)


def _link(records: pd.DataFrame, decisions=()):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LinkageQualityWarning)
        return link(records, seed=1, decisions=decisions)


def _cluster_of(result, source: str, record_id: str) -> int:
    clusters = result.clusters
    row = clusters[(clusters["source"] == source) & (clusters["record_id"] == record_id)]
    return int(row["cluster_id"].iloc[0])


def test_link_respects_must_link_and_cannot_link_decisions(lists) -> None:
    records, _ = lists
    before = _link(records)
    clusters = before.clusters
    linked = clusters[clusters["cluster_size"] >= 2].groupby("cluster_id").head(2)
    a, b = linked.iloc[0], linked.iloc[1]
    assert a["cluster_id"] == b["cluster_id"]
    singles = clusters[clusters["cluster_size"] == 1]
    c, d = singles.iloc[0], singles.iloc[-1]
    decisions = [
        Decision(a["source"], a["record_id"], b["source"], b["record_id"], "cannot_link",
                 "different fathers' names in the testimony", "kim"),
        Decision(c["source"], c["record_id"], d["source"], d["record_id"], "must_link",
                 "same person, confirmed by the family", "kim"),
        Decision("nowhere", "X", "ngo", "missing", "must_link", "record since deleted", "kim"),
    ]  # fmt: skip
    after = _link(records, decisions)
    assert _cluster_of(after, a["source"], a["record_id"]) != _cluster_of(
        after, b["source"], b["record_id"]
    )
    assert _cluster_of(after, c["source"], c["record_id"]) == _cluster_of(
        after, d["source"], d["record_id"]
    )
    assert after.provenance["decisions_applied"] == 2
    assert after.provenance["decisions_not_applicable"] == 1


def test_review_queue_holds_uncertain_undecided_pairs_side_by_side(lists) -> None:
    records, _ = lists
    result = _link(records)
    queue = review_queue(result, records, low=0.0, high=1.0)
    assert len(queue) == len(result.pairs)
    uncertainty = (queue["match_probability"] - 0.5).abs().to_numpy()
    assert np.all(np.diff(uncertainty) >= 0)
    assert {"name_l", "name_r", "mw_name"} <= set(queue.columns)
    first = queue.iloc[0]
    decided = Decision(first["source_l"], first["record_id_l"], first["source_r"],
                       first["record_id_r"], "cannot_link", "checked", "kim")  # fmt: skip
    again = review_queue(result, records, decisions=[decided], low=0.0, high=1.0)
    assert len(again) == len(queue) - 1
    narrow = review_queue(result, low=0.2, high=0.8)
    assert narrow["match_probability"].between(0.2, 0.8).all()


def test_cli_review_decisions_are_respected_by_the_next_link(tmp_path: Path, lists) -> None:
    records, _ = lists
    paths = []
    for source, frame in records.groupby("source"):
        path = tmp_path / f"{source}.csv"
        frame.drop(columns="source").to_csv(path, index=False)
        paths.append(str(path))
    runner = CliRunner()
    out, queue = tmp_path / "clusters.csv", tmp_path / "queue.csv"
    first = runner.invoke(cli, ["link", *paths, "--out", str(out), "--review-queue", str(queue)])
    assert first.exit_code == 0, first.output
    assert "pairs to review" in first.output
    clusters = pd.read_csv(out, dtype=str)
    pair = clusters[clusters["cluster_size"] == "2"].groupby("cluster_id").head(2).iloc[:2]
    left, right = (f"{r.source}:{r.record_id}" for r in pair.itertuples())
    decisions = tmp_path / "decisions.csv"
    decided = runner.invoke(
        cli,
        ["review", "decide", left, right, "--cannot-link", "--reason", "different mothers",
         "--reviewer", "kim", "--decisions", str(decisions)],
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output
    listed = runner.invoke(cli, ["review", "list", "--decisions", str(decisions)])
    assert "cannot_link" in listed.output and "kim" in listed.output
    second = runner.invoke(cli, ["link", *paths, "--out", str(out), "--decisions", str(decisions)])
    assert second.exit_code == 0, second.output
    after = pd.read_csv(out, dtype=str).set_index(["source", "record_id"])["cluster_id"]
    ids = [tuple(x.split(":", 1)) for x in (left, right)]
    assert after.loc[ids[0]] != after.loc[ids[1]]


def test_cli_review_needs_a_kind_and_a_place_to_keep_it(tmp_path: Path) -> None:
    runner = CliRunner()
    no_kind = runner.invoke(cli, ["review", "decide", "a:1", "b:2", "--reason", "x",
                                  "--decisions", str(tmp_path / "d.csv")])  # fmt: skip
    assert no_kind.exit_code != 0 and "--must-link or --cannot-link" in no_kind.output
    nowhere = runner.invoke(cli, ["review", "decide", "a:1", "b:2", "--must-link", "--reason", "x"])
    assert nowhere.exit_code != 0 and "--decisions FILE or --project DIR" in nowhere.output
    bad = runner.invoke(cli, ["review", "decide", "a1", "b:2", "--must-link", "--reason", "x",
                              "--decisions", str(tmp_path / "d.csv")])  # fmt: skip
    assert bad.exit_code != 0 and "SOURCE:RECORD_ID" in bad.output


def test_cli_links_a_projects_stored_records_with_its_decisions(tmp_path: Path) -> None:
    runner = CliRunner(env={"RECKON_DATABASE_URL": ""})
    lists_dir = tmp_path / "lists"
    assert runner.invoke(cli, ["simulate", str(lists_dir), "--scenario", "small"]).exit_code == 0
    project = tmp_path / "proj"
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    for path in sorted(lists_dir.glob("*.csv")):
        if path.name != "truth.csv":
            ingested = runner.invoke(
                cli, ["ingest", str(path), "--source", path.stem, "--project", str(project)]
            )
            assert ingested.exit_code == 0, ingested.output
    out = tmp_path / "clusters.csv"
    first = runner.invoke(cli, ["link", "--project", str(project), "--out", str(out)])
    assert first.exit_code == 0, first.output
    clusters = pd.read_csv(out, dtype=str)
    truth = pd.read_csv(lists_dir / "truth.csv", dtype=str)
    assert len(clusters) == len(truth)
    pair = clusters[clusters["cluster_size"] == "2"].groupby("cluster_id").head(2).iloc[:2]
    left, right = (f"{r.source}:{r.record_id}" for r in pair.itertuples())
    decided = runner.invoke(
        cli,
        ["review", "decide", left, right, "--cannot-link", "--reason", "checked",
         "--project", str(project)],
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output
    second = runner.invoke(cli, ["link", "--project", str(project), "--out", str(out)])
    assert second.exit_code == 0, second.output
    after = pd.read_csv(out, dtype=str).set_index(["source", "record_id"])["cluster_id"]
    ids = [tuple(x.split(":", 1)) for x in (left, right)]
    assert after.loc[ids[0]] != after.loc[ids[1]]
