"""Coverage study: how often each estimator's interval contains the true population size.

:func:`coverage_study` repeats simulate → capture histories (true, perfect linkage) → estimate
over scenarios and seeds, with every estimator fitted to the same simulated population in a
repetition (a paired comparison). :func:`summarise` reduces the rows to one per scenario ×
estimator: mean relative bias, median absolute relative error, the share of intervals covering
the true N with a Wilson interval on that share, mean interval width, warning rate and
failures.

Seeds: repetition r of scenario s draws its seeds from the child r of the child s of
``numpy.random.SeedSequence(seed)``, so results do not depend on ``n_jobs`` or on the order in
which repetitions finish, adding repetitions keeps the earlier ones unchanged, and a study can
run in batches (``first_repetition``).

References
----------
Morris, T. P., White, I. R. and Crowther, M. J. (2019). Using simulation studies to evaluate
statistical methods. *Statistics in Medicine* 38(11), 2074–2102.

Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158), 209–212.

Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a binomial
proportion. *Statistical Science* 16(2), 101–133.
"""

from __future__ import annotations

import multiprocessing
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy import stats

from reckon.errors import ReckonWarning, ValidationError
from reckon.estimation.base import Estimator
from reckon.estimation.capture_histories import CaptureHistories
from reckon.simulate.evaluation import score_estimate

__all__ = [
    "LCMCR_STUDY_SETTINGS",
    "METHODS",
    "FirstLists",
    "coverage_study",
    "default_estimators",
    "summarise",
    "wilson_interval",
]

#: LCMCR settings of the study: four chains as by default, so that the R-hat, ESS and
#: chain-median checks work as they do for a user; 5,000 burn-in sweeps after the 500 warm-up
#: (default 10,000) and 2,000 draws at thinning 10 per chain (default 10,000): 25,500 sweeps
#: per chain instead of 110,500, one to two seconds per fit on a 4-list population of 20,000.
#: On the independent preset the bulk ESS of N is in the thousands (the checks ask for 400); on
#: the dependent preset the sampler mixes slowly and the ESS ranges from about 100 to 900 even at
#: the default burn-in, so those fits warn, and the warning rate of the study says how often.
#: One thread per fit: the study parallelises over repetitions instead.
LCMCR_STUDY_SETTINGS: Mapping[str, Any] = {
    "K": 10,
    "chains": 4,
    "burnin": 5_000,
    "samples": 2_000,
    "thinning": 10,
    "n_jobs": 1,
}

#: Estimator names :func:`default_estimators` knows.
METHODS = ("lcmcr", "loglinear", "dga", "chapman")

#: A factory makes a fresh estimator from the repetition's estimator seed.
Factory = Callable[[int], Estimator]


class FirstLists(Estimator):
    """Fit ``estimator`` on the first ``n_lists`` lists only (the others are ignored).

    People recorded only by the ignored lists count as unrecorded, so the estimate is still of
    the whole population. Used to score a naive two-list analysis (Chapman on two lists)
    against the multi-list methods.

    Parameters
    ----------
    estimator : Estimator
        The estimator to fit on the reduced table.
    n_lists : int
        How many of the first lists to keep (at least 2).
    """

    method = "first-lists"

    def __init__(self, estimator: Estimator, *, n_lists: int = 2) -> None:
        self.estimator = estimator
        self.n_lists = n_lists

    def fit(self, table: CaptureHistories) -> Self:
        """Fit the wrapped estimator on the first ``n_lists`` lists of ``table``."""
        if not isinstance(table, CaptureHistories):
            raise ValidationError(f"FirstLists.fit expects CaptureHistories, got {type(table)}")
        if not isinstance(self.n_lists, int) or not 2 <= self.n_lists <= table.n_lists:
            raise ValidationError(
                f"n_lists must be between 2 and the table's {table.n_lists} lists, "
                f"got {self.n_lists!r}"
            )
        reduced = first_lists(table, self.n_lists)
        result = self.estimator.fit(reduced).result_
        shown = ", ".join(reduced.lists)
        self.result_ = replace(result, method=f"{result.method} (lists {shown})")
        return self


def first_lists(table: CaptureHistories, n_lists: int) -> CaptureHistories:
    """The marginal table of the first ``n_lists`` lists, unrecorded patterns dropped."""
    patterns = table.patterns[:, :n_lists]
    keep = patterns.sum(axis=1) > 0
    frame = pd.DataFrame(patterns[keep].astype(np.int64), columns=list(table.lists[:n_lists]))
    frame["count"] = table.counts[keep]
    merged = frame.groupby(list(table.lists[:n_lists]), as_index=False)["count"].sum()
    return CaptureHistories.from_frame(merged, source=table.source)


def _lcmcr(random_state: int, **settings: Any) -> Estimator:
    from reckon.estimation.lcmcr import LCMCR

    return LCMCR(random_state=random_state, **settings)


def _loglinear(random_state: int) -> Estimator:
    from reckon.estimation.loglinear import LogLinear

    return LogLinear(criterion="bic")


def _dga(random_state: int) -> Estimator:
    from reckon.estimation.dga import DGA

    return DGA()


def _chapman_first_two(random_state: int) -> Estimator:
    from reckon.estimation.chapman import Chapman

    return FirstLists(Chapman(), n_lists=2)


def default_estimators(
    methods: Sequence[str] = ("lcmcr", "loglinear", "dga"),
    *,
    lcmcr_settings: Mapping[str, Any] | None = None,
) -> dict[str, Factory]:
    """Factories of the study's estimators, by name.

    Parameters
    ----------
    methods : sequence of str
        Any of ``"lcmcr"`` (with :data:`LCMCR_STUDY_SETTINGS`), ``"loglinear"`` (BIC-best
        hierarchical model), ``"dga"`` (defaults) and ``"chapman"`` (Chapman on the first two
        lists: the naive baseline).
    lcmcr_settings : mapping, optional
        Replaces :data:`LCMCR_STUDY_SETTINGS` for LCMCR.

    Returns
    -------
    dict
        ``{name: factory}``; a factory takes the repetition's estimator seed. The factories
        are module-level functions and partials, so they can be sent to worker processes.
    """
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValidationError(f"unknown methods {unknown}; choose from {list(METHODS)}")
    settings = dict(LCMCR_STUDY_SETTINGS if lcmcr_settings is None else lcmcr_settings)
    factories: dict[str, Factory] = {
        "lcmcr": partial(_lcmcr, **settings),
        "loglinear": _loglinear,
        "dga": _dga,
        "chapman": _chapman_first_two,
    }
    return {m: factories[m] for m in methods}


def _repetition(
    scenario: str,
    repetition: int,
    seed_sequence: np.random.SeedSequence,
    estimators: Mapping[str, Factory],
    people: int | None,
    lists: Any,
) -> list[dict[str, Any]]:
    from reckon.simulate import simulate

    simulation_seed, estimator_seed = (int(s) for s in seed_sequence.generate_state(2))
    simulation = simulate(scenario, people=people, lists=lists, seed=simulation_seed)
    table = simulation.capture_histories()
    true_n = int(simulation.true_n)
    rows = []
    for name, factory in estimators.items():
        row: dict[str, Any] = {
            "scenario": scenario,
            "repetition": repetition,
            "estimator": name,
            "simulation_seed": simulation_seed,
            "estimator_seed": estimator_seed,
            "true_n": true_n,
            "observed": table.observed,
            "n_lists": table.n_lists,
        }
        started = time.perf_counter()
        try:
            with warnings.catch_warnings():
                # The result keeps every warning's text; counting them is the point here.
                warnings.simplefilter("ignore", ReckonWarning)
                result = factory(estimator_seed).fit(table).result_
            score = score_estimate(result, true_n)
        except Exception as err:
            # A study of hundreds of fits reports a failure as a row with its message, so one
            # unusual population neither stops the run nor disappears from the summary.
            row.update(failed=True, error=f"{type(err).__name__}: {err}")
        else:
            row.update(
                failed=False,
                error=None,
                method=result.method,
                estimate=score["estimate"],
                lower=score["lower"],
                upper=score["upper"],
                level=score["level"],
                relative_error=score["relative_error"],
                covered=score["covered"],
                interval_width=score["interval_width"],
                n_warnings=score["n_warnings"],
                warnings=" | ".join(result.warnings),
            )
        row["seconds"] = time.perf_counter() - started
        rows.append(row)
    return rows


_COLUMNS = [
    "scenario",
    "repetition",
    "estimator",
    "simulation_seed",
    "estimator_seed",
    "true_n",
    "observed",
    "n_lists",
    "failed",
    "error",
    "method",
    "estimate",
    "lower",
    "upper",
    "level",
    "relative_error",
    "covered",
    "interval_width",
    "n_warnings",
    "warnings",
    "seconds",
]


def coverage_study(
    scenarios: Sequence[str],
    estimators: Mapping[str, Factory],
    repetitions: int,
    seed: int,
    people: int | None = None,
    lists: Any = 4,
    n_jobs: int = 1,
    first_repetition: int = 0,
) -> pd.DataFrame:
    """Simulate populations again and again, estimate their size, and score every estimate.

    Parameters
    ----------
    scenarios : sequence of str
        Scenario names or YAML paths accepted by :func:`reckon.simulate.simulate`.
    estimators : mapping of str to callable
        ``{name: factory}``; ``factory(seed)`` returns a fresh estimator (see
        :func:`default_estimators`). With ``n_jobs > 1`` the factories must be picklable
        (module-level functions or :func:`functools.partial` of them, not lambdas).
    repetitions : int
        Simulated populations per scenario.
    seed : int
        Root of every seed in the study (see the module's notes).
    people : int, optional
        Population size passed to the simulation (None: the scenario's own).
    lists : optional
        Lists passed to the simulation; 4 by default, because the log-linear search over
        every hierarchical model of 5 lists takes far longer than the other estimators.
        None uses the scenario's own.
    n_jobs : int
        Worker processes; results do not depend on it.
    first_repetition : int
        Number of the first repetition: a study run in batches (0–9, then 10–19, ...) gives
        the same rows as one run of all repetitions.

    Returns
    -------
    pandas.DataFrame
        One row per scenario × repetition × estimator: seeds, ``true_n``, ``observed``,
        ``failed`` and ``error``, and for fits that succeeded the ``method``, ``estimate``,
        ``lower``, ``upper``, ``relative_error``, ``covered``, ``interval_width``,
        ``n_warnings`` and the warnings' text; ``seconds`` is the fit's time.

    Raises
    ------
    ValidationError
        For no scenarios or estimators, or a repetition count, seed or ``n_jobs`` that is
        not a positive (seed: non-negative) integer.

    References
    ----------
    Morris, T. P., White, I. R. and Crowther, M. J. (2019). Using simulation studies to
    evaluate statistical methods. *Statistics in Medicine* 38(11), 2074–2102.
    """
    problems = []
    if not scenarios:
        problems.append("give at least one scenario")
    if not estimators:
        problems.append("give at least one estimator")
    for name, value, minimum in (
        ("repetitions", repetitions, 1),
        ("seed", seed, 0),
        ("first_repetition", first_repetition, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
            problems.append(f"{name} must be an integer >= {minimum}, got {value!r}")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        problems.append(f"n_jobs must be a positive integer, got {n_jobs!r}")
    if problems:
        raise ValidationError("cannot run the coverage study", problems)

    # SeedSequence(seed, spawn_key=(s, r)) is exactly SeedSequence(seed).spawn(...)[s]
    # .spawn(...)[r], built directly so that a later batch (first_repetition > 0) continues a
    # study with the seeds the full run would have used.
    tasks = [
        (str(scenario), r, np.random.SeedSequence(seed, spawn_key=(s, r)))
        for r in range(first_repetition, first_repetition + repetitions)
        for s, scenario in enumerate(scenarios)
    ]
    run = partial(_repetition, estimators=dict(estimators), people=people, lists=lists)
    if n_jobs == 1:
        batches = [run(*task) for task in tasks]
    else:
        # "spawn", not "fork": the parent may hold numba and BLAS threads, which fork copies
        # in an undefined state.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
            batches = list(pool.map(run, *zip(*tasks, strict=True)))
    frame = pd.DataFrame([row for batch in batches for row in batch])
    frame = frame.reindex(columns=_COLUMNS)
    order = {str(name): i for i, name in enumerate(scenarios)}
    frame["_order"] = frame["scenario"].map(order)
    frame = frame.sort_values(["_order", "repetition"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def wilson_interval(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : int
        Observed successes out of ``trials`` (NaN limits when ``trials`` is 0).
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(lower, upper)``.

    Notes
    -----
    With ``p = successes / trials`` and ``z`` the ``(1 + level) / 2`` normal quantile, the
    limits are ``(p + z²/2n ± z sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927); it
    keeps close to its nominal level for proportions near 0 or 1, where the Wald interval
    fails (Brown, Cai and DasGupta 2001).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association* 22(158), 209–212.

    Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a binomial
    proportion. *Statistical Science* 16(2), 101–133.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(95, 100)]
    [0.8882, 0.9785]
    """
    if trials == 0:
        return (float("nan"), float("nan"))
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = successes / trials
    denominator = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denominator
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    return (float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def summarise(results: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """One row per scenario × estimator of a :func:`coverage_study` result.

    Parameters
    ----------
    results : pandas.DataFrame
        What :func:`coverage_study` returned (or the same columns read back from CSV).
    level : float
        Level of the Wilson interval on the coverage.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``estimator``, ``repetitions``, ``failures``, ``mean_true_n``,
        ``mean_relative_bias`` (mean of (estimate − N) / N), ``median_abs_relative_error``,
        ``coverage`` (share of intervals containing N), ``coverage_lower`` and
        ``coverage_upper`` (Wilson interval), ``mean_interval_width``,
        ``mean_relative_width`` (width / N), ``warning_rate`` (share of fits with a warning)
        and ``mean_seconds``. Every statistic but ``failures`` is over the fits that
        succeeded.

    References
    ----------
    Morris, T. P., White, I. R. and Crowther, M. J. (2019). Using simulation studies to
    evaluate statistical methods. *Statistics in Medicine* 38(11), 2074–2102, section 5.
    """
    needed = {"scenario", "estimator", "failed", "relative_error", "covered", "true_n"}
    missing = sorted(needed - set(results.columns))
    if missing:
        raise ValidationError(f"these results lack the column(s) {missing}")
    rows = []
    groups = results.groupby(["scenario", "estimator"], sort=False)
    for (scenario, estimator), group in groups:
        failed = group["failed"].astype(bool)
        ok = group[~failed]
        covered = int(ok["covered"].astype(bool).sum())
        lower, upper = wilson_interval(covered, len(ok), level)
        relative = ok["relative_error"].astype(float)
        rows.append(
            {
                "scenario": scenario,
                "estimator": estimator,
                "repetitions": len(group),
                "failures": int(failed.sum()),
                "mean_true_n": float(group["true_n"].mean()),
                "mean_relative_bias": float(relative.mean()) if len(ok) else np.nan,
                "median_abs_relative_error": float(relative.abs().median()) if len(ok) else np.nan,
                "coverage": covered / len(ok) if len(ok) else np.nan,
                "coverage_lower": lower,
                "coverage_upper": upper,
                "mean_interval_width": float(ok["interval_width"].astype(float).mean())
                if len(ok)
                else np.nan,
                "mean_relative_width": float(
                    (ok["interval_width"].astype(float) / ok["true_n"]).mean()
                )
                if len(ok)
                else np.nan,
                "warning_rate": float((ok["n_warnings"].astype(float) > 0).mean())
                if len(ok)
                else np.nan,
                "mean_seconds": float(group["seconds"].astype(float).mean())
                if "seconds" in group
                else np.nan,
            }
        )
    return pd.DataFrame(rows)
