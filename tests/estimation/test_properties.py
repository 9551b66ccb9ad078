"""Invariants every population-size estimator must satisfy, checked with hypothesis.

For every estimator in :mod:`reckon.estimation` (Chapman, LogLinear, DGA, LCMCR):

- the estimate is never below the number of people observed, nor is the interval's lower end;
- the order of the list columns changes no estimate;
- doubling every count doubles the estimate, exactly for the log-linear MLE under a fixed
  model (``N = n + exp(intercept)`` scales with the counts) and within a stated tolerance for
  the others: Chapman's ``+1`` corrections move it by at most ``2 / (m + 1)`` relative; DGA
  under one graph by under 2% (its prior); LCMCR by 15% (prior and Monte Carlo error). Model
  search (BIC, or DGA's averaging over graphs) may choose differently on more data, so there
  the property is checked only when the choice stays the same.

Examples are derandomized and every sampler is seeded, so a run is reproducible.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.errors import EstimationError, ReckonWarning
from reckon.estimation import CaptureHistories, Chapman, Estimator, LogLinear
from reckon.estimation.dga import DGA
from reckon.estimation.lcmcr import LCMCR

FAST = settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(
    derandomize=True,
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PATTERNS_3 = [p for p in itertools.product((0, 1), repeat=3) if any(p)]


def _table(patterns: list[tuple[int, ...]], counts: list[int]) -> CaptureHistories:
    n_lists = len(patterns[0])
    names = [chr(ord("A") + j) for j in range(n_lists)]
    frame = pd.DataFrame(patterns, columns=names)
    frame["count"] = counts
    return CaptureHistories.from_frame(frame)


def _scaled(table: CaptureHistories, factor: int) -> CaptureHistories:
    return CaptureHistories(table.lists, table.patterns, table.counts * factor)


#: Three-list tables with every cell recorded, so that log-linear MLEs exist.
three_lists = st.lists(st.integers(5, 400), min_size=7, max_size=7).map(
    lambda counts: _table(PATTERNS_3, counts)
)
#: Two-list tables: people on both, on A only, on B only.
two_lists = st.tuples(st.integers(0, 200), st.integers(0, 300), st.integers(0, 300)).filter(
    lambda c: sum(c) > 0
)


def _fit(estimator: Estimator, table: CaptureHistories) -> Estimator:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReckonWarning)
        return estimator.fit(table)


def _lcmcr() -> LCMCR:
    return LCMCR(K=5, burnin=500, samples=1000, thinning=2, chains=4, random_state=20240)


#: Deterministic estimators on three lists.
DETERMINISTIC: dict[str, Callable[[], Estimator]] = {
    "loglinear-Mt": lambda: LogLinear("Mt"),
    "loglinear-[12,3]": lambda: LogLinear("[12,3]"),
    "loglinear-Mth-Chao": lambda: LogLinear("Mth Chao"),
    "dga": lambda: DGA(),
}
#: name -> (factory, relative tolerance of the doubling property). DGA is checked with one
#: graph at a time: averaged over graphs, doubling the data also moves the graphs' posterior
#: weights (more data, sharper model choice), which is not a scaling of N.
DOUBLING: dict[str, tuple[Callable[[], Estimator], float]] = {
    "loglinear-Mt": (lambda: LogLinear("Mt"), 1e-6),
    "loglinear-[12,3]": (lambda: LogLinear("[12,3]"), 1e-6),
    "loglinear-Mth-Chao": (lambda: LogLinear("Mth Chao"), 1e-6),
    "dga-independence": (lambda: DGA(graphs=[[["A"], ["B"], ["C"]]]), 0.02),
    "dga-[AB][C]": (lambda: DGA(graphs=[[["A", "B"], ["C"]]]), 0.02),
}


# ---------------------------------------------------------------------------- Chapman


@FAST
@given(two_lists)
def test_chapman_properties(cells: tuple[int, int, int]) -> None:
    both, only_a, only_b = cells
    table = _table([(1, 1), (1, 0), (0, 1)], [both, only_a, only_b])
    result = _fit(Chapman(), table).result_
    assert result.estimate >= result.observed
    assert result.observed <= result.interval[0] <= result.estimate <= result.interval[1]
    swapped = _fit(Chapman(), table.reorder(["B", "A"])).result_
    assert swapped.estimate == pytest.approx(result.estimate, rel=1e-12)
    doubled = _fit(Chapman(), _scaled(table, 2)).result_
    ratio = doubled.estimate / (2 * result.estimate)
    assert abs(ratio - 1) <= 2 / (both + 1)


# ---------------------------------------------------------------------------- deterministic


@pytest.mark.parametrize("name", list(DETERMINISTIC))
@FAST
@given(table=three_lists)
def test_estimate_is_never_below_observed(name: str, table: CaptureHistories) -> None:
    result = _fit(DETERMINISTIC[name](), table).result_
    assert result.estimate >= result.observed
    assert result.interval[0] >= result.observed - 1e-9
    assert result.interval[0] <= result.estimate <= result.interval[1]


@pytest.mark.parametrize("name", list(DETERMINISTIC))
@FAST
@given(table=three_lists, order=st.permutations(["A", "B", "C"]))
def test_list_order_changes_no_estimate(
    name: str, table: CaptureHistories, order: list[str]
) -> None:
    factory = DETERMINISTIC[name]
    if name == "loglinear-[12,3]":
        # The bracket name numbers lists by column; the A-B interaction moves with them.
        pair = "".join(sorted(f"{order.index('A') + 1}{order.index('B') + 1}"))
        reordered: Estimator = LogLinear(f"[{pair},{order.index('C') + 1}]")
    else:
        reordered = factory()
    base = _fit(factory(), table).result_.estimate
    other = _fit(reordered, table.reorder(order)).result_.estimate
    assert other == pytest.approx(base, rel=1e-6)


@pytest.mark.parametrize("name", list(DOUBLING))
@FAST
@given(table=three_lists)
def test_doubling_the_counts_doubles_the_estimate(name: str, table: CaptureHistories) -> None:
    factory, tolerance = DOUBLING[name]
    base = _fit(factory(), table).result_.estimate
    doubled = _fit(factory(), _scaled(table, 2)).result_.estimate
    assert doubled == pytest.approx(2 * base, rel=tolerance)


# ---------------------------------------------------------------------------- model search


@FAST
@given(table=three_lists, order=st.permutations(["A", "B", "C"]))
def test_model_search_is_invariant_to_list_order(table: CaptureHistories, order: list[str]) -> None:
    try:
        base = _fit(LogLinear(), table)
    except EstimationError:
        return
    other = _fit(LogLinear(), table.reorder(order))
    assert other.result_.estimate == pytest.approx(base.result_.estimate, rel=1e-6)
    assert other.result_.estimate >= other.result_.observed
    assert other.result_.diagnostics["bic"] == pytest.approx(
        base.result_.diagnostics["bic"], rel=1e-9
    )


@FAST
@given(counts=st.lists(st.integers(0, 60), min_size=7, max_size=7).filter(lambda c: sum(c) > 0))
def test_model_search_with_zero_cells_never_reports_less_than_observed(counts: list[int]) -> None:
    table = _table(PATTERNS_3, counts)
    try:
        estimator = _fit(LogLinear(), table)
    except EstimationError:
        return  # no model has an estimable N: refused, not invented
    result = estimator.result_
    assert result.estimate >= result.observed
    details = result.details
    assert details is not None
    chosen = details[details["selected"]].iloc[0]
    assert chosen["mle_exists"] or chosen["empty_overlaps_only"]


@FAST
@given(table=three_lists)
def test_model_search_doubles_when_the_chosen_model_stays(table: CaptureHistories) -> None:
    base = _fit(LogLinear(), table)
    doubled = _fit(LogLinear(), _scaled(table, 2))
    # BIC's penalty grows with log(n), so doubling may change the chosen model; when it
    # does not, the Poisson MLE doubles exactly.
    if doubled.model_ == base.model_:
        assert doubled.result_.estimate == pytest.approx(2 * base.result_.estimate, rel=1e-6)
    else:
        assert doubled.result_.estimate >= doubled.result_.observed


# ---------------------------------------------------------------------------- LCMCR


@pytest.mark.slow
@SLOW
@given(table=three_lists, order=st.permutations(["A", "B", "C"]))
def test_lcmcr_properties(table: CaptureHistories, order: list[str]) -> None:
    # Seeded, but permuting lists or doubling counts changes the random stream, so the
    # comparisons are on the scale of the posterior's own spread, not of N: a posterior median
    # from short chains moves by a fraction of the interval width from one stream to another.
    result = _fit(_lcmcr(), table).result_
    assert result.estimate >= result.observed
    assert result.interval[0] >= result.observed
    assert result.draws is not None and np.min(result.draws) >= result.observed
    width = result.interval[1] - result.interval[0]
    permuted = _fit(_lcmcr(), table.reorder(order)).result_
    assert abs(permuted.estimate - result.estimate) <= 0.25 * width + 1
    # Doubling the data doubles the evidence as well as N: the priors weigh less, so the
    # estimate is "roughly" doubled: twice the old median falls inside the new interval.
    doubled = _fit(_lcmcr(), _scaled(table, 2)).result_
    assert doubled.interval[0] <= 2 * result.estimate <= doubled.interval[1]
