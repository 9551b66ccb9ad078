"""Log-linear MSE against every Rcapture model fitted to every reference dataset.

The reference tables in ``tests/data/mse/rcapture_models`` were made with Rcapture 1.4-4:
``closedp.t(X, dfreq=TRUE)`` gives ``rcapture_closedp_<dataset>.csv`` and
``closedpMS.t(X, dfreq=TRUE, maxorder=t-1)`` (main effects forced) gives
``rcapture_closedpMS_<dataset>.csv``; the profile-likelihood intervals in
``reference_estimates.csv`` come from ``closedpCI.t`` (see ``REFERENCE_ESTIMATES.md``).
Stratified datasets were collapsed over strata before fitting, as here.

Two kinds of reference rows cannot be matched value for value, for reasons checked below
rather than skipped:

- **N not identifiable.** The MLE does not exist and the extended MLE leaves the unobserved
  count undetermined. R's ``glm`` stops somewhere along the divergent path and prints an
  arbitrary number (``n`` itself, or 1e10 and more). For these rows the deviance, df, AIC and
  BIC (which converge along the path) must match, and R's abundance must be visibly
  degenerate: at ``n``, beyond ``100 n``, or flagged by R (``infoFit != 0``).
- **Chao models on the 8-list New Orleans data.** R's GLM left one eta parameter whose MLE is
  minus infinity at a positive value, so Rcapture's negative-eta removal kept it and counted
  one parameter more; the fit (N, deviance) is the same, and df, AIC and BIC differ by exactly
  one parameter.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reckon.errors import EstimationError, EstimationWarning, ValidationError
from reckon.estimation import CaptureHistories, LogLinear
from reckon.estimation.loglinear_models import (
    ModelFit,
    closedp_model,
    fit_loglinear_model,
    hierarchical_models,
    parse_model_name,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "mse"
MODELS = DATA / "rcapture_models"
STRATA = {
    "gaza_2023_2024_by_sex_age": ["sex", "age_group"],
    "peru_cvr_2003_by_stratum_perpetrator": ["geo_stratum", "perpetrator"],
    "spina_bifida_ny_by_ethnicity": ["eth"],
    "scotland_pwid_2006": ["Region", "Gender", "Age"],
}
REL = 0.005  # the acceptance tolerance: 0.5%
#: (dataset, model): R counted one parameter more (see the module docstring).
EXTRA_R_PARAMETER = {
    ("new_orleans_trafficking", "Mh Chao (LB)"),
    ("new_orleans_trafficking", "Mth Chao (LB)"),
}
#: Rcapture's behavioural models are not implemented (meaningless for unordered lists).
NOT_IMPLEMENTED = {"Mb", "Mbh"}


def _table(dataset: str) -> CaptureHistories:
    table = CaptureHistories.from_csv(DATA / f"{dataset}.csv", strata=STRATA.get(dataset))
    return table.collapsed()


def _dataset(path: Path, kind: str) -> str:
    return path.stem.removeprefix(f"rcapture_{kind}_")


def _params(kind: str) -> list[object]:
    params = []
    for path in sorted(MODELS.glob(f"rcapture_{kind}_*.csv")):
        dataset = _dataset(path, kind)
        slow = kind == "closedpMS" and _table(dataset).n_lists >= 5
        marks = [pytest.mark.slow] if slow else []
        params.append(pytest.param(dataset, id=dataset, marks=marks))
    return params


@functools.cache
def _best(dataset: str, criterion: str = "bic") -> LogLinear:
    """The closedpMS-style search, fitted once per dataset (5-list searches take seconds)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        return LogLinear(criterion=criterion).fit(_table(dataset))


def _close(ours: float, ref: float, rel: float = REL, absolute: float = 1e-6) -> bool:
    return abs(ours - ref) <= max(rel * abs(ref), absolute)


def _compare(dataset: str, fit: ModelFit, row: pd.Series, observed: int) -> list[str]:
    """Every disagreement between one of our fits and one Rcapture row."""
    name = row["model"]
    problems = []
    extra = 1 if (dataset, name) in EXTRA_R_PARAMETER else 0
    if fit.df - extra != row["df"]:
        problems.append(f"{name}: df {fit.df} vs R {row['df']}")
    if not _close(fit.deviance, row["deviance"], absolute=1e-6):
        problems.append(f"{name}: deviance {fit.deviance:.6g} vs R {row['deviance']:.6g}")
    if not _close(fit.aic + 2 * extra, row["AIC"]):
        problems.append(f"{name}: AIC {fit.aic:.6g} vs R {row['AIC']:.6g}")
    if not _close(fit.bic + extra * math.log(observed), row["BIC"]):
        problems.append(f"{name}: BIC {fit.bic:.6g} vs R {row['BIC']:.6g}")
    if fit.estimable:
        if not _close(fit.estimate, row["abundance"]):
            problems.append(f"{name}: N {fit.estimate:.6g} vs R {row['abundance']:.6g}")
    else:
        degenerate = (
            row["abundance"] <= observed * 1.001
            or row["abundance"] >= 100 * observed
            or row["infoFit"] != 0
        )
        if not degenerate:
            problems.append(
                f"{name}: N not identifiable here, yet R's {row['abundance']:.6g} looks sound"
            )
    return problems


# ---------------------------------------------------------------------------- closedp


@pytest.mark.parametrize("dataset", _params("closedp"))
def test_closedp_models_match_rcapture(dataset: str) -> None:
    reference = pd.read_csv(MODELS / f"rcapture_closedp_{dataset}.csv")
    table = _table(dataset)
    counts = table.cell_counts()[1:]
    problems = []
    compared = 0
    for _, row in reference.iterrows():
        if row["model"] in NOT_IMPLEMENTED:
            continue
        fit = fit_loglinear_model(closedp_model(row["model"], table.n_lists), counts)
        problems += _compare(dataset, fit, row, table.observed)
        compared += 1
    assert compared == 10
    assert not problems, "\n".join(problems)


def test_closedp_degenerate_models_are_the_documented_ones() -> None:
    # Artificial_3 (SparseMSE): no one is on lists A and C or B and C, so the Poisson2,
    # Darroch and Gamma3.5 heterogeneity models cannot identify N; R prints 96 (= n).
    table = _table("sparsemse_artificial_3")
    counts = table.cell_counts()[1:]
    for name in ("Mh Poisson2", "Mh Darroch", "Mh Gamma3.5", "Mth Darroch"):
        fit = fit_loglinear_model(closedp_model(name, 3), counts)
        assert not fit.exists and not fit.estimable and math.isnan(fit.estimate)
    for name in ("M0", "Mt", "Mh Chao (LB)", "Mth Chao (LB)"):
        assert fit_loglinear_model(closedp_model(name, 3), counts).estimable


# ---------------------------------------------------------------------------- closedpMS


@pytest.mark.parametrize("dataset", _params("closedpMS"))
def test_every_hierarchical_model_matches_rcapture_closedpms(dataset: str) -> None:
    reference = pd.read_csv(MODELS / f"rcapture_closedpMS_{dataset}.csv")
    estimator = _best(dataset)
    table = _table(dataset)
    ours = {fit.model.name: fit for fit in estimator.fits_}
    names = {parse_model_name(name, table.n_lists).name for name in reference["model"]}
    assert names == set(ours), "the enumerated model set differs from closedpMS"
    problems = []
    for _, row in reference.iterrows():
        fit = ours[parse_model_name(row["model"], table.n_lists).name]
        problems += _compare(dataset, fit, row, table.observed)
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:30])


def test_hierarchical_model_counts_match_rcapture() -> None:
    assert [len(hierarchical_models(j)) for j in (2, 3, 4, 5)] == [1, 8, 113, 6893]
    assert len(hierarchical_models(5, max_order=2)) == 2**10


def _reference_rows(method: str) -> list[object]:
    reference = pd.read_csv(DATA / "reference_estimates.csv")
    rows = reference[reference["method"] == method]
    params = []
    for _, row in rows.iterrows():
        slow = _table(row["dataset"]).n_lists >= 5
        params.append(
            pytest.param(row, id=row["dataset"], marks=[pytest.mark.slow] if slow else [])
        )
    return params


@pytest.mark.parametrize("row", _reference_rows("Rcapture closedpMS best-BIC (Poisson MLE)"))
def test_best_bic_model_and_poisson_estimate_match_rcapture(row: pd.Series) -> None:
    expected = re.search(r"model (\[[\d,]+\])", row["notes"]).group(1)  # type: ignore[union-attr]
    estimator = _best(row["dataset"])
    assert estimator.model_.name == expected
    # the reference values are rounded to 0.1
    assert estimator.result_.estimate == pytest.approx(row["point"], rel=1e-5, abs=0.05)


@pytest.mark.parametrize("row", _reference_rows("Rcapture closedpMS best-BIC"))
def test_best_bic_profile_interval_matches_rcapture_closedpci(row: pd.Series) -> None:
    result = _best(row["dataset"]).result_
    assert result.diagnostics["profile_maximiser"] == pytest.approx(row["point"], rel=REL)
    assert result.interval[0] == pytest.approx(row["lower"], rel=REL)
    assert result.interval[1] == pytest.approx(row["upper"], rel=REL)


def test_kosovo_best_bic_is_the_published_10357() -> None:
    result = _best("kosovo_1999").result_
    assert result.method == "loglinear [123,14,34]"
    assert result.diagnostics["formula"] == "EXH:ABA:OSCE + EXH:HRW + OSCE:HRW"
    assert result.estimate == pytest.approx(10356.5, abs=0.1)
    assert result.interval == pytest.approx((8994.3, 12110.4), abs=0.5)
    assert result.diagnostics["profile_maximiser"] == pytest.approx(10334.5, abs=0.1)
    assert result.diagnostics["stderr"] == pytest.approx(785.9, abs=0.1)
    details = result.details
    assert details is not None and len(details) == 113
    assert details["selected"].sum() == 1
    assert details.iloc[0]["model"] == "[123,14,34]"  # sorted by BIC
    assert details["BIC"].is_monotonic_increasing
    assert {"deviance", "df", "AIC", "BIC", "estimate", "mle_exists"} <= set(details.columns)


# ---------------------------------------------------------------------------- closedp choice


def _closedp_rows() -> list[object]:
    reference = pd.read_csv(DATA / "reference_estimates.csv")
    mask = reference["method"].str.match(r"Rcapture (closedp best-(AIC|BIC)|Mt \(independence\))$")
    return [
        pytest.param(row, id=f"{row['dataset']}-{row['method'][9:].split()[-1]}")
        for _, row in reference[mask].iterrows()
    ]


@pytest.mark.parametrize("row", _closedp_rows())
def test_closedp_profile_interval_matches_rcapture_closedpci(row: pd.Series) -> None:
    table = _table(row["dataset"])
    selected = re.search(r"selected (.+?);", row["settings"])
    name = selected.group(1) if selected else "Mt"
    fit = fit_loglinear_model(closedp_model(name, table.n_lists), table.cell_counts()[1:])
    if not fit.estimable:
        # Artificial_3: R's best model is one of the degenerate ones (its N is n itself).
        assert row["dataset"] == "sparsemse_artificial_3"
        with pytest.raises(EstimationError, match="not identifiable"):
            LogLinear(name).fit(table)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        result = LogLinear(name).fit(table).result_
    assert result.diagnostics["profile_maximiser"] == pytest.approx(row["point"], rel=REL)
    assert result.interval[0] == pytest.approx(row["lower"], rel=REL)
    if math.isnan(row["upper"]):
        # Rcapture reports '> 3 N' when the limit is beyond its search range.
        assert result.interval[1] > 3 * result.estimate
    else:
        assert result.interval[1] == pytest.approx(row["upper"], rel=REL)


@pytest.mark.parametrize(
    "row",
    [r for r in _closedp_rows() if "best" in r.values[0]["method"]],  # type: ignore[attr-defined]
)
def test_closedp_choice_agrees_with_rcapture_or_differs_for_a_stated_reason(
    row: pd.Series,
) -> None:
    criterion = row["method"][-3:].lower()
    table = _table(row["dataset"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        estimator = LogLinear("closedp", criterion=criterion).fit(table)
    r_choice = re.search(r"selected (.+?);", row["settings"]).group(1)  # type: ignore[union-attr]
    if estimator.model_.name == r_choice:
        return
    ours = {f.model.name: f for f in estimator.fits_}
    value = getattr(ours[estimator.model_.name], criterion)
    theirs = ours[r_choice]
    tied = abs(getattr(theirs, criterion) - value) <= 1e-6 * abs(value)
    if tied:
        # With 3 lists every Mth variant is the same fit; the tie is announced.
        assert any("disagree on N" in w for w in estimator.result_.warnings)
    else:
        assert (
            not theirs.usable
            or (row["dataset"], r_choice) in EXTRA_R_PARAMETER
            or ((row["dataset"], estimator.model_.name) in EXTRA_R_PARAMETER)
        )


# ---------------------------------------------------------------------------- existence


def test_existence_check_agrees_with_sparsemse_checkident_examples() -> None:
    # SparseMSE's checkident examples on Artificial_3: all two-list effects are not
    # identifiable; AB alone has no MLE; AC + BC passes (non-overlapping pairs, extended MLE).
    counts = _table("sparsemse_artificial_3").cell_counts()[1:]
    everything = fit_loglinear_model(parse_model_name("[12,13,23]", 3), counts)
    assert not everything.exists and not everything.estimable
    ab = fit_loglinear_model(parse_model_name("[12,3]", 3), counts)
    assert not ab.exists and not ab.usable
    ac_bc = fit_loglinear_model(parse_model_name("[13,23]", 3), counts)
    assert not ac_bc.exists and ac_bc.only_empty_overlaps and ac_bc.usable
    assert ac_bc.empty_overlaps == ((0, 2), (1, 2))
    # On the remaining cells the model is saturated: N = 96 + 40 * 30 / 6.
    assert ac_bc.estimate == pytest.approx(296.0, rel=1e-9)


def test_models_without_mle_are_left_out_of_the_search_with_a_warning() -> None:
    with pytest.warns(EstimationWarning, match=r"2 of 8 models were left out"):
        estimator = LogLinear().fit(_table("korea_palembang"))
    details = estimator.result_.details
    assert details is not None
    left_out = details[~details["mle_exists"]]["model"].tolist()
    assert sorted(left_out) == ["[12,13,23]", "[12,13]"]
    assert not details[details["selected"]]["model"].isin(left_out).any()
    assert estimator.result_.diagnostics["n_models_without_mle"] == 2


@pytest.mark.slow
def test_non_overlapping_lists_in_the_chosen_model_are_announced() -> None:
    estimator = _best("netherlands_trafficking_5lists")
    assert estimator.model_.name == "[135,12,24,34]"
    assert any("K–R share nobody" in w for w in estimator.result_.warnings)


def test_lists_that_never_overlap_cannot_be_estimated() -> None:
    table = CaptureHistories.from_frame(pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [10, 20]}))
    with pytest.raises(EstimationError, match="not identifiable"):
        LogLinear("independence").fit(table)
    with pytest.raises(EstimationError, match="none of the 1"), pytest.warns(EstimationWarning):
        LogLinear().fit(table)


# ---------------------------------------------------------------------------- behaviour


def test_two_list_independence_is_lincoln_petersen() -> None:
    table = CaptureHistories.from_frame(
        pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 1], "count": [30, 70, 20]})
    )
    result = LogLinear("Mt").fit(table).result_
    assert result.estimate == pytest.approx(100 * 50 / 30, rel=1e-9)
    assert result.interval[0] < result.estimate < result.interval[1]


def test_terms_by_list_name_equal_the_bracket_name() -> None:
    table = _table("kosovo_1999")
    by_names = LogLinear(["EXH:ABA:OSCE", "EXH*HRW", ("OSCE", "HRW")]).fit(table)
    by_bracket = LogLinear("[123,14,34]").fit(table)
    assert by_names.model_ == by_bracket.model_
    assert by_names.result_.estimate == pytest.approx(10356.5, abs=0.1)
    assert by_names.result_.details is not None and len(by_names.result_.details) == 1


def test_aic_search_picks_the_smallest_aic() -> None:
    estimator = LogLinear(criterion="aic").fit(_table("kosovo_1999"))
    details = estimator.result_.details
    assert details is not None
    usable = details[details["mle_exists"] & details["estimable"]]
    assert estimator.model_.name == usable.sort_values("AIC").iloc[0]["model"]
    assert estimator.result_.diagnostics["criterion"] == "aic"


def test_max_order_restricts_the_search() -> None:
    estimator = LogLinear(max_order=2).fit(_table("kosovo_1999"))
    assert estimator.model_.max_order <= 2
    assert len(estimator.fits_) == 2**6


def test_unstable_fit_is_announced() -> None:
    # Artificial_3's only model with an MLE has an asymptotic bias over 10% of N.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = LogLinear().fit(_table("sparsemse_artificial_3")).result_
    emitted = [str(w.message) for w in caught if issubclass(w.category, EstimationWarning)]
    assert any("asymptotic bias" in text for text in emitted)
    assert any("asymptotic bias" in text for text in result.warnings)


def test_tied_models_with_different_estimates_are_announced() -> None:
    with pytest.warns(EstimationWarning, match="disagree on N"):
        LogLinear("closedp", criterion="aic").fit(_table("gaza_2023_2024"))


def test_settings_and_tables_are_validated() -> None:
    kosovo = _table("kosovo_1999")
    with pytest.raises(ValidationError, match="criterion"):
        LogLinear(criterion="dic").fit(kosovo)
    with pytest.raises(ValidationError, match="level"):
        LogLinear(level=95).fit(kosovo)
    with pytest.raises(ValidationError, match="unknown log-linear model"):
        LogLinear("Mx").fit(kosovo)
    with pytest.raises(ValidationError, match="max_order only applies"):
        LogLinear("Mt", max_order=2).fit(kosovo)
    with pytest.raises(ValidationError, match="not lists"):
        LogLinear(["EXH:NOPE"]).fit(kosovo)
    with pytest.raises(ValidationError, match="4-way interaction"):
        LogLinear("[1234]").fit(kosovo)
    stratified = CaptureHistories.from_csv(
        DATA / "spina_bifida_ny_by_ethnicity.csv", strata=["eth"]
    )
    with pytest.raises(ValidationError, match="stratified"):
        LogLinear().fit(stratified)
    six = CaptureHistories.from_csv(DATA / "uk_modern_slavery_2013.csv")
    with pytest.raises(ValidationError, match="max_order=2"):
        LogLinear().fit(six)


def test_result_records_settings_and_explains_itself() -> None:
    estimator = LogLinear("Mt", level=0.9)
    assert estimator.get_params() == {
        "model": "Mt",
        "criterion": "bic",
        "max_order": None,
        "level": 0.9,
        "max_models": 10_000,
    }
    result = estimator.fit(_table("kosovo_1999")).result_
    assert result.level == 0.9
    assert result.provenance.settings["model"] == "Mt"
    assert "loglinear Mt" in str(result)
    assert np.isfinite(result.to_dict()["interval"]).all()
