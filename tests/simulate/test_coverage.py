"""The coverage study: seeds, scoring, failures, the summary and the Wilson interval."""

from __future__ import annotations

import json
import math
from typing import Self

import numpy as np
import pandas as pd
import pytest

from reckon.errors import EstimationError, ValidationError
from reckon.estimation import CaptureHistories, Chapman, Estimator
from reckon.simulate.coverage import (
    LCMCR_STUDY_SETTINGS,
    FirstLists,
    coverage_study,
    default_estimators,
    first_lists,
    summarise,
    wilson_interval,
)


def test_wilson_interval_matches_the_formula_and_a_reference():
    # 95/100 at 95%: 0.8882 – 0.9785 (Brown, Cai and DasGupta 2001, Wilson interval)
    lower, upper = wilson_interval(95, 100)
    assert (round(lower, 4), round(upper, 4)) == (0.8882, 0.9785)
    z = 1.959963984540054
    p, n = 0.3, 50
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert wilson_interval(15, 50) == pytest.approx((centre - half, centre + half))
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_summarise_computes_every_column_from_the_rows():
    rows = pd.DataFrame(
        {
            "scenario": ["s"] * 5,
            "estimator": ["e"] * 5,
            "true_n": [100, 100, 200, 200, 100],
            "failed": [False, False, False, False, True],
            "relative_error": [0.1, -0.3, 0.2, 0.0, np.nan],
            "covered": [True, False, True, True, np.nan],
            "interval_width": [10.0, 20.0, 40.0, 20.0, np.nan],
            "n_warnings": [0, 2, 0, 1, np.nan],
            "seconds": [1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    row = summarise(rows).iloc[0]
    assert row["repetitions"] == 5 and row["failures"] == 1
    assert row["mean_relative_bias"] == pytest.approx(0.0)
    assert row["median_abs_relative_error"] == pytest.approx(0.15)
    assert row["coverage"] == pytest.approx(0.75)
    assert (row["coverage_lower"], row["coverage_upper"]) == pytest.approx(wilson_interval(3, 4))
    assert row["mean_interval_width"] == pytest.approx(22.5)
    assert row["mean_relative_width"] == pytest.approx((0.1 + 0.2 + 0.2 + 0.1) / 4)
    assert row["warning_rate"] == pytest.approx(0.5)
    with pytest.raises(ValidationError, match="lack"):
        summarise(rows.drop(columns="covered"))


def test_first_lists_marginalises_and_chapman_sees_only_two_lists():
    table = CaptureHistories(
        lists=("A", "B", "C"),
        patterns=np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 1, 1], [0, 0, 1], [1, 0, 1]]),
        counts=np.array([50, 30, 10, 5, 40, 7]),
    )
    reduced = first_lists(table, 2)
    assert reduced.lists == ("A", "B")
    assert dict(enumerate(reduced.cell_counts())) == {0: 0, 1: 57, 2: 30, 3: 15}
    result = FirstLists(Chapman(), n_lists=2).fit(table).result_
    assert result.estimate == pytest.approx(Chapman().fit(reduced).result_.estimate)
    assert result.method.endswith("(lists A, B)")
    with pytest.raises(ValidationError, match="n_lists"):
        FirstLists(Chapman(), n_lists=4).fit(table)


def test_default_estimators_record_the_fast_lcmcr_settings():
    factories = default_estimators(["lcmcr", "loglinear", "dga", "chapman"])
    lcmcr = factories["lcmcr"](123)
    for name, value in LCMCR_STUDY_SETTINGS.items():
        assert getattr(lcmcr, name) == value
    assert lcmcr.random_state == 123
    assert factories["loglinear"](1).get_params()["criterion"] == "bic"
    assert isinstance(factories["chapman"](1), FirstLists)
    with pytest.raises(ValidationError, match="unknown methods"):
        default_estimators(["lcmcr", "bogus"])


def test_coverage_study_rejects_bad_settings_together():
    with pytest.raises(ValidationError) as err:
        coverage_study([], {}, repetitions=0, seed=-1, n_jobs=0)
    assert len(err.value.problems) == 5


# ---------------------------------------------------------------- studies on simulations


class Failing(Estimator):
    """An estimator that always fails, to check failures are kept, not dropped."""

    method = "failing"

    def __init__(self) -> None:
        pass

    def fit(self, table: CaptureHistories) -> Self:
        raise EstimationError("no estimate for this table")


def failing_factory(seed: int) -> Estimator:
    return Failing()


def chapman_factory(seed: int) -> Estimator:
    return FirstLists(Chapman(), n_lists=2)


def test_coverage_study_scores_every_fit_and_is_reproducible():
    estimators = {"chapman": chapman_factory, "failing": failing_factory}
    kwargs = {"repetitions": 3, "seed": 11, "people": 400, "lists": 3}
    first = coverage_study(["independent", "dependent"], estimators, **kwargs)
    again = coverage_study(["independent", "dependent"], estimators, **kwargs)
    assert len(first) == 2 * 3 * 2
    pd.testing.assert_frame_equal(first.drop(columns="seconds"), again.drop(columns="seconds"))

    ok = first[~first["failed"]]
    assert set(ok["estimator"]) == {"chapman"}
    assert (ok["true_n"] == 400).all()
    assert (ok["observed"] <= ok["true_n"]).all()
    assert np.allclose(ok["relative_error"], (ok["estimate"] - ok["true_n"]) / ok["true_n"])
    assert (ok["covered"] == ((ok["lower"] <= 400) & (ok["upper"] >= 400))).all()
    failed = first[first["failed"]]
    assert len(failed) == 6
    assert failed["error"].str.contains("EstimationError: no estimate").all()

    # One population per repetition, shared by the estimators; different across repetitions.
    seeds = first.groupby(["scenario", "repetition"])["simulation_seed"].nunique()
    assert (seeds == 1).all()
    assert first["simulation_seed"].nunique() == 6

    summary = summarise(first)
    assert len(summary) == 4
    failing = summary[summary["estimator"] == "failing"]
    assert (failing["failures"] == 3).all() and failing["coverage"].isna().all()


@pytest.mark.slow
def test_more_repetitions_keep_the_earlier_ones_and_jobs_do_not_change_results():
    estimators = {"chapman": chapman_factory}
    few = coverage_study(["independent"], estimators, 2, seed=5, people=300, lists=3)
    more = coverage_study(["independent"], estimators, 4, seed=5, people=300, lists=3, n_jobs=2)
    pd.testing.assert_frame_equal(few.drop(columns="seconds"), more.head(2).drop(columns="seconds"))
    later = coverage_study(
        ["independent"], estimators, 2, seed=5, people=300, lists=3, first_repetition=2
    )
    pd.testing.assert_frame_equal(
        later.drop(columns="seconds"), more.tail(2).reset_index(drop=True).drop(columns="seconds")
    )


@pytest.mark.slow
def test_chapman_on_independent_lists_is_nearly_unbiased_and_covers():
    # Independent lists and homogeneous capture are Chapman's assumptions: across 30
    # populations its relative bias must be small and most intervals must cover N.
    results = coverage_study(
        ["independent"], {"chapman": chapman_factory}, 30, seed=3, people=2000, lists=2
    )
    row = summarise(results).iloc[0]
    assert row["failures"] == 0
    assert abs(row["mean_relative_bias"]) < 0.05
    assert row["coverage"] >= 0.8


def test_coverage_command_prints_the_summary():
    from click.testing import CliRunner

    from reckon.cli.evaluate import coverage

    args = ["--scenarios", "independent,dependent", "--methods", "chapman,loglinear"]
    args += ["--repetitions", "2", "--people", "400", "--lists", "3", "--seed", "4"]
    shown = CliRunner().invoke(coverage, args)
    assert shown.exit_code == 0, shown.output
    assert "coverage (Wilson 95%)" in shown.output
    assert shown.output.count("chapman") == 2 and shown.output.count("loglinear") == 2
    rows = json.loads(CliRunner().invoke(coverage, [*args, "--format", "json"]).output)
    assert {(r["scenario"], r["estimator"]) for r in rows} == {
        (s, e) for s in ("independent", "dependent") for e in ("chapman", "loglinear")
    }
    assert all(r["repetitions"] == 2 and r["failures"] == 0 for r in rows)
    bad = CliRunner().invoke(coverage, ["--methods", "bogus", "--repetitions", "1"])
    assert isinstance(bad.exception, ValidationError)
