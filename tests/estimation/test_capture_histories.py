"""CaptureHistories: reading, validating, reshaping and hashing capture-history tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.errors import ValidationError
from reckon.estimation import CaptureHistories

DATA = Path(__file__).resolve().parents[1] / "data" / "mse"


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "A": [1, 1, 0, 1, 0, 1],
            "B": [1, 0, 1, 0, 1, 1],
            "region": ["north", "north", "north", "south", "south", "south"],
            "count": [3, 5, 7, 2, 4, 1],
        }
    )


def test_from_csv_reads_kosovo_with_lists_in_column_order() -> None:
    table = CaptureHistories.from_csv(DATA / "kosovo_1999.csv")
    assert table.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert table.n_lists == 4
    assert table.observed == 4400
    assert table.patterns.dtype == np.uint8
    assert table.counts.dtype == np.int64
    assert table.source is not None and table.source.endswith("kosovo_1999.csv")


def test_cell_counts_index_is_bit_j_for_list_j() -> None:
    table = CaptureHistories.from_frame(
        pd.DataFrame({"A": [1, 0, 1, 1], "B": [0, 1, 1, 0], "count": [10, 20, 5, 1]})
    )
    cells = table.cell_counts()
    # cell 1 = A only (10 + 1 duplicate), cell 2 = B only, cell 3 = both, cell 0 unobserved
    assert cells.tolist() == [0, 11, 20, 5]


def test_cell_counts_sum_over_strata() -> None:
    table = CaptureHistories.from_frame(_frame(), strata=["region"])
    assert table.cell_counts().tolist() == [0, 5 + 2, 7 + 4, 3 + 1]
    assert table.observed == 22


def test_from_frame_drops_all_zero_rows_with_zero_count() -> None:
    frame = pd.DataFrame({"A": [1, 0, 0], "B": [0, 1, 0], "count": [4, 6, 0]})
    table = CaptureHistories.from_frame(frame)
    assert table.n_cells == 2
    assert not (table.patterns.sum(axis=1) == 0).any()


def test_from_frame_reports_every_problem_at_once() -> None:
    frame = pd.DataFrame(
        {
            "A": [1, 2, 0, "x", 0],
            "B": [1, 1, 0, 1, 0],
            "stratum": ["a", None, "b", "b", "a"],
            "count": [3, -1, 2.5, None, 4],
        }
    )
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_frame(frame, strata=["stratum"], source="demo.csv")
    problems = info.value.problems
    text = "\n".join(problems)
    assert "demo.csv" in str(info.value)
    assert "values other than 0/1" in text and "row 2 (2)" in text and "row 4 ('x')" in text
    assert "negative" in text and "row 2 (-1.0)" in text
    assert "not a whole number" in text and "row 3 (2.5)" in text
    assert "missing or not a number" in text and "row 4" in text
    assert "all-zero pattern with a positive count" in text and "row 5 (4)" in text
    assert "stratum column 'stratum' is missing" in text
    assert len(problems) == 6


def test_from_frame_reports_missing_columns_and_too_few_lists() -> None:
    frame = pd.DataFrame({"A": [1, 0], "n": [2, 3]})
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_frame(frame, lists=["A"], strata=["region"])
    text = "\n".join(info.value.problems)
    assert "count column 'count' is missing" in text
    assert "['region'] are missing" in text
    assert "at least 2 list columns" in text
    assert len(info.value.problems) == 3


def test_from_csv_names_the_file_and_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "lists.csv"
    path.write_text("A,B,count\n1,0,3\n0,7,2\n1,1,-4\n")
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_csv(path)
    message = str(info.value)
    assert str(path) in message
    assert "line 3 (7)" in message  # header is line 1
    assert "line 4 (-4)" in message


def test_from_csv_of_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        CaptureHistories.from_csv(tmp_path / "nope.csv")


def test_from_csv_keeps_stratum_labels_as_text() -> None:
    table = CaptureHistories.from_csv(
        DATA / "peru_cvr_2003_by_stratum_perpetrator.csv", strata=["geo_stratum", "perpetrator"]
    )
    assert table.strata is not None
    assert table.strata["geo_stratum"].iloc[0] == "01"


def test_from_records_marks_an_entity_captured_if_any_record_is_on_the_list() -> None:
    records = pd.DataFrame(
        {
            "cluster_id": [1, 1, 1, 2, 3, 3, 4],
            "source": ["a", "b", "b", "b", "a", "a", "c"],
        }
    )
    table = CaptureHistories.from_records(records)
    assert table.lists == ("a", "b", "c")
    cells = table.cell_counts()
    assert cells[0b011] == 1  # entity 1: a and b (twice on b counts once)
    assert cells[0b010] == 1  # entity 2: b
    assert cells[0b001] == 1  # entity 3: a, twice
    assert cells[0b100] == 1  # entity 4: c
    assert table.observed == 4


def test_from_records_with_strata_and_every_problem_reported() -> None:
    records = pd.DataFrame(
        {
            "cluster_id": [1, 1, 2, None],
            "source": ["a", "b", "zz", "a"],
            "region": ["n", "s", "n", "n"],
        }
    )
    with pytest.raises(ValidationError) as info:
        CaptureHistories.from_records(records, lists=["a", "b"], strata=["region"])
    text = "\n".join(info.value.problems)
    assert "'cluster_id' is missing in 1 record" in text
    assert "['zz'] are not among lists" in text
    assert "different stratum labels" in text and "1.0" in text


def test_from_records_stratified_counts() -> None:
    records = pd.DataFrame(
        {"cluster_id": [1, 1, 2, 3], "source": ["a", "b", "a", "b"], "region": list("nnss")}
    )
    table = CaptureHistories.from_records(records, strata=["region"])
    frame = table.to_frame().sort_values(["region", "a", "b"]).reset_index(drop=True)
    assert frame.to_dict("list") == {
        "a": [1, 0, 1],
        "b": [1, 1, 0],
        "region": ["n", "s", "s"],
        "count": [1, 1, 1],
    }


def test_collapsed_merges_duplicates_and_drops_strata() -> None:
    table = CaptureHistories.from_frame(_frame(), strata=["region"])
    collapsed = table.collapsed()
    assert collapsed.strata is None
    assert collapsed.n_cells == 3
    assert collapsed.cell_counts().tolist() == table.cell_counts().tolist()


def test_by_stratum_yields_each_stratum_in_sorted_order() -> None:
    table = CaptureHistories.from_frame(_frame(), strata=["region"])
    parts = list(table.by_stratum())
    assert [labels for labels, _ in parts] == [("north",), ("south",)]
    assert [part.observed for _, part in parts] == [15, 7]
    assert all(part.strata is None for _, part in parts)
    unstratified = table.collapsed()
    assert [labels for labels, _ in unstratified.by_stratum()] == [()]


def test_reorder_permutes_columns_and_keeps_cells() -> None:
    table = CaptureHistories.from_csv(DATA / "kosovo_1999.csv")
    reordered = table.reorder(["HRW", "EXH", "OSCE", "ABA"])
    assert reordered.lists == ("HRW", "EXH", "OSCE", "ABA")
    frame = table.to_frame().set_index(list(table.lists))["count"]
    other = reordered.to_frame().set_index(list(table.lists))["count"]
    assert frame.sort_index().equals(other.reorder_levels(list(table.lists)).sort_index())
    with pytest.raises(ValidationError, match="permutation"):
        table.reorder(["EXH", "ABA", "OSCE"])


def test_to_frame_round_trips_through_from_frame() -> None:
    table = CaptureHistories.from_frame(_frame(), strata=["region"])
    again = CaptureHistories.from_frame(table.to_frame(), strata=["region"])
    assert again.digest() == table.digest()
    assert again.lists == table.lists


def test_digest_ignores_row_order_zero_rows_and_source_but_not_counts() -> None:
    frame = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [4, 6, 2]})
    shuffled = frame.iloc[[2, 0, 1]].assign(count=[2, 4, 6])
    with_zero = pd.concat([frame, pd.DataFrame({"A": [1], "B": [1], "count": [0]})])
    base = CaptureHistories.from_frame(frame, source="one").digest()
    assert CaptureHistories.from_frame(shuffled, source="two").digest() == base
    assert CaptureHistories.from_frame(with_zero).digest() == base
    changed = frame.assign(count=[4, 6, 3])
    assert CaptureHistories.from_frame(changed).digest() != base
    assert len(base) == 64


def test_direct_construction_is_validated_and_read_only() -> None:
    with pytest.raises(ValidationError) as info:
        CaptureHistories(lists=("A",), patterns=np.array([[1]]), counts=np.array([3]))
    assert "at least 2 lists" in str(info.value)
    with pytest.raises(ValidationError, match="all zero"):
        CaptureHistories(("A", "B"), np.array([[0, 0], [1, 0]]), np.array([1, 2]))
    table = CaptureHistories(("A", "B"), np.array([[1, 1], [1, 0]]), np.array([1, 2]))
    with pytest.raises(ValueError):
        table.counts[0] = 5
