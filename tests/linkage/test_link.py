"""End-to-end linkage: prepare, train, score, cluster, capture histories."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from reckon.errors import LinkageError, LinkageQualityWarning, ValidationError
from reckon.linkage.hangul import north_spelling
from reckon.linkage.link import LinkResult, link
from reckon.linkage.romanization import romanize

SURNAMES = [
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
]
SYLLABLES = list("영철호수민성진현정숙희미경순자옥남석광명혁일용")
PROVINCES = ["함경북도", "량강도", "평안남도", "함경남도", "황해북도", "평양"]
PROVINCES_EN = ["North Hamgyong", "Ryanggang", "South Pyongan", "South Hamgyong",
                "North Hwanghae", "Pyongyang"]  # fmt: skip
VIOLATIONS = ["Public execution", "Forced repatriation", "Arbitrary detention"]


def korean_lists(people: int = 240, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three lists of the same small population, in Hangul (South and North spelling) and
    romanized (DPRK, McCune-Reischauer, passport), with age instead of birth year in one list
    and a few wrong birth years; returns (records, truth)."""
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(people):
        hangul = rng.choice(SURNAMES) + "".join(rng.choice(SYLLABLES, size=2))
        birth = int(rng.integers(1940, 1995))
        sex = str(rng.choice(["M", "F"]))
        province = int(rng.integers(len(PROVINCES)))
        event = int(rng.integers(1995, 2015))
        violation = str(rng.choice(VIOLATIONS))
        for source, rate in (("ngo", 0.6), ("un", 0.5), ("research", 0.4)):
            if rng.random() > rate:
                continue
            row = {"person_id": person, "source": source, "sex": sex, "event_year": event,
                   "violation": violation}  # fmt: skip
            if source == "ngo":
                row["name"] = north_spelling(hangul) if rng.random() < 0.5 else hangul
                row["province"] = PROVINCES[province]
                row["birth_year"] = birth
            else:
                system = "dprk" if source == "un" else str(rng.choice(["mr", "passport", "rr"]))
                row["name"] = romanize(hangul, system, ascii=bool(rng.random() < 0.5))
                row["province"] = PROVINCES_EN[province]
                if source == "research":
                    row["age_at_event"] = event - birth - int(rng.integers(0, 2))
                else:
                    row["birth_year"] = birth + (int(rng.integers(-1, 2)) if rng.random() < 0.1
                                                 else 0)  # fmt: skip
            rows.append(row)
    records = pd.DataFrame(rows)
    records["record_id"] = [f"{s[:2].upper()}-{i}" for i, s in enumerate(records["source"])]
    truth = records[["record_id", "source", "person_id"]].copy()
    return records.drop(columns="person_id"), truth


@pytest.fixture(scope="module")
def linked() -> tuple[LinkResult, pd.DataFrame, pd.DataFrame]:
    records, truth = korean_lists()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LinkageQualityWarning)
        result = link(records, seed=3, truth=truth)
    return result, records, truth


def _b_cubed_f1(clusters: pd.DataFrame, truth: pd.DataFrame) -> float:
    merged = clusters.merge(truth, on=["record_id", "source"])
    cell = merged.groupby(["cluster_id", "person_id"]).size().rename("n").reset_index()
    cell["a"] = cell.groupby("cluster_id")["n"].transform("sum")
    cell["b"] = cell.groupby("person_id")["n"].transform("sum")
    precision = float((cell["n"] ** 2 / cell["a"]).sum() / len(merged))
    recall = float((cell["n"] ** 2 / cell["b"]).sum() / len(merged))
    return 2 * precision * recall / (precision + recall)


def test_link_korean_lists_across_scripts_recovers_people(linked) -> None:
    result, records, truth = linked
    assert len(result.clusters) == len(records)
    assert _b_cubed_f1(result.clusters, truth) > 0.9
    true_people = truth["person_id"].nunique()
    assert abs(result.n_entities - true_people) / true_people < 0.1


def test_link_joins_hangul_and_romanized_records_of_one_person(linked) -> None:
    result, _, truth = linked
    merged = result.clusters.merge(truth, on=["record_id", "source"])
    both = merged.groupby("person_id")["source"].agg(set)
    person = both[both.map(lambda s: {"ngo", "un"} <= s)].index[0]
    assert merged.loc[merged["person_id"] == person, "cluster_id"].nunique() == 1


def test_link_reports_blocking_recall_when_truth_is_given(linked) -> None:
    result, _, _ = linked
    assert result.blocking_recall is not None
    assert 0.9 < result.blocking_recall <= 1.0


def test_link_pairs_explain_each_link_with_per_field_weights(linked) -> None:
    result, _, _ = linked
    pairs = result.pairs
    assert {"mw_name", "mw_birth_year", "mw_sex", "mw_place"} <= set(pairs.columns)
    top = pairs.iloc[0]
    assert top["match_probability"] > 0.99
    assert top["mw_name"] > 0


def test_link_capture_histories_count_each_person_once(linked) -> None:
    result, _, _ = linked
    table = result.capture_histories()
    assert table.lists == ("ngo", "research", "un")
    assert table.observed == result.n_entities


def test_link_is_reproducible_with_the_same_seed() -> None:
    records, _ = korean_lists(people=80, seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LinkageQualityWarning)
        first = link(records, seed=5)
        second = link(records, seed=5)
    pd.testing.assert_frame_equal(first.clusters, second.clusters)
    assert first.provenance["seed"] == 5
    assert first.provenance["input_digest"] == second.provenance["input_digest"]


def test_link_connected_components_never_gives_fewer_merges_than_constrained() -> None:
    records, _ = korean_lists(people=80, seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LinkageQualityWarning)
        plain = link(records, seed=5, clustering="connected_components")
        constrained = link(records, seed=5)
    assert constrained.n_entities >= plain.n_entities


def test_link_rejects_bad_settings_listing_every_problem() -> None:
    records, _ = korean_lists(people=10)
    with pytest.raises(ValidationError) as info:
        link(records, engine="oracle", threshold=1.5)
    assert len(info.value.problems) == 2


def test_link_without_comparable_fields_raises_linkage_error() -> None:
    records = pd.DataFrame({"record_id": ["1", "2", "3"], "source": ["a", "b", "a"],
                            "name": ["김영철", "Kim Yong Chol", "이순희"]})  # fmt: skip
    with pytest.raises(LinkageError, match="at least one more field"):
        link(records)


def test_link_str_summarises_the_result(linked) -> None:
    result, _, _ = linked
    text = str(result)
    assert f"{result.n_entities:,} people" in text
    assert "seed 3" in text


def test_cli_link_writes_clusters_and_capture_histories(tmp_path) -> None:
    from click.testing import CliRunner

    from reckon.cli.main import cli

    records, _ = korean_lists(people=60, seed=2)
    paths = []
    for source, frame in records.groupby("source"):
        path = tmp_path / f"{source}.csv"
        frame.drop(columns="source").rename(columns={"name": "이름"}).to_csv(path, index=False)
        paths.append(str(path))
    out, histories = tmp_path / "clusters.csv", tmp_path / "ch.csv"
    result = CliRunner().invoke(
        cli,
        [
            "link",
            *paths,
            "--map",
            "이름=name",
            "--out",
            str(out),
            "--capture-histories",
            str(histories),
        ],
    )
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out)
    assert len(clusters) == len(records)
    assert set(clusters["source"]) == {"ngo", "research", "un"}
    table = pd.read_csv(histories)
    assert list(table.columns) == ["ngo", "research", "un", "count"]
    assert table["count"].sum() == clusters["cluster_id"].nunique()


def test_cli_link_rejects_a_malformed_map(tmp_path) -> None:
    from click.testing import CliRunner

    from reckon.cli.main import cli

    for name in ("a", "b"):
        (tmp_path / f"{name}.csv").write_text("name,birth_year\n김철호,1960\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "link",
            str(tmp_path / "a.csv"),
            str(tmp_path / "b.csv"),
            "--map",
            "name",
            "--out",
            "x.csv",
        ],
    )
    assert result.exit_code != 0
    assert "COLUMN=FIELD" in result.output
