"""Chapman's two-list estimator against hand computations."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from reckon.errors import EstimationWarning, ValidationError
from reckon.estimation import CaptureHistories, Chapman
from reckon.estimation.chapman import chapman_estimate

DATA = Path(__file__).resolve().parents[1] / "data" / "mse"


def _two_lists(both: int, only_a: int, only_b: int) -> CaptureHistories:
    return CaptureHistories.from_frame(
        pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 1], "count": [both, only_a, only_b]})
    )


def test_chapman_matches_hand_computation() -> None:
    # n1 = 100, n2 = 50, m = 30: N = 101 * 51 / 31 - 1 = 165.1613
    # var = 101 * 51 * 70 * 20 / (31^2 * 32) = 7,211,400 / 30,752 = 234.502...
    # f0 = 70 * 20 / 31 = 45.1613; C = exp(1.959964 sqrt(log(1 + var / f0^2)))
    table = _two_lists(both=30, only_a=70, only_b=20)
    result = Chapman().fit(table).result_
    assert result.observed == 120
    assert result.estimate == pytest.approx(101 * 51 / 31 - 1, rel=1e-12)
    variance = 101 * 51 * 70 * 20 / (31**2 * 32)
    assert result.diagnostics["stderr"] == pytest.approx(math.sqrt(variance), rel=1e-12)
    f0 = 70 * 20 / 31
    c = math.exp(1.959963984540054 * math.sqrt(math.log(1 + variance / f0**2)))
    assert result.interval[0] == pytest.approx(120 + f0 / c, rel=1e-9)
    assert result.interval[1] == pytest.approx(120 + f0 * c, rel=1e-9)
    assert result.interval[0] > result.observed
    assert result.diagnostics["lincoln_petersen"] == pytest.approx(100 * 50 / 30)
    assert (result.diagnostics["n1"], result.diagnostics["n2"], result.diagnostics["m"]) == (
        100,
        50,
        30,
    )
    assert result.warnings == ()


def test_interval_level_changes_width() -> None:
    table = _two_lists(both=30, only_a=70, only_b=20)
    narrow = Chapman(level=0.8).fit(table).result_
    wide = Chapman(level=0.99).fit(table).result_
    assert wide.interval[0] < narrow.interval[0] < narrow.estimate < narrow.interval[1]
    assert narrow.interval[1] < wide.interval[1]
    assert narrow.level == 0.8


def test_small_overlap_warns() -> None:
    with pytest.warns(EstimationWarning, match="only 3 people are on both lists"):
        result = Chapman().fit(_two_lists(both=3, only_a=40, only_b=50)).result_
    assert any("only 3 people" in w for w in result.warnings)


def test_no_overlap_still_finite_but_warns() -> None:
    with pytest.warns(EstimationWarning, match="share nobody"):
        result = Chapman().fit(_two_lists(both=0, only_a=10, only_b=20)).result_
    assert result.estimate == pytest.approx(11 * 21 - 1)
    assert math.isinf(result.diagnostics["lincoln_petersen"])


def test_nested_lists_give_no_unobserved() -> None:
    # everyone on B is also on A: f0 = (n1 - m)(n2 - m)/(m + 1) = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = Chapman().fit(_two_lists(both=40, only_a=60, only_b=0)).result_
    assert result.estimate == result.observed == 100
    assert result.interval == (100.0, 100.0)


def test_more_than_two_lists_points_to_other_estimators() -> None:
    table = CaptureHistories.from_csv(DATA / "kosovo_1999.csv")
    with pytest.raises(ValidationError, match="exactly 2 lists") as info:
        Chapman().fit(table)
    assert "LogLinear" in str(info.value) and "LCMCR" in str(info.value)


def test_bad_level_and_counts_are_rejected() -> None:
    with pytest.raises(ValidationError, match="level"):
        Chapman(level=1.5).fit(_two_lists(both=3, only_a=4, only_b=5))
    with pytest.raises(ValidationError) as info:
        chapman_estimate(5, 3, 9)
    assert "cannot exceed" in str(info.value)


def test_result_provenance_and_params() -> None:
    table = _two_lists(both=30, only_a=70, only_b=20)
    estimator = Chapman(level=0.9)
    assert estimator.get_params() == {"level": 0.9}
    result = estimator.fit(table).result_
    assert result.provenance.input_digest == table.digest()
    assert result.provenance.settings["level"] == 0.9
    assert result.provenance.random_state is None
