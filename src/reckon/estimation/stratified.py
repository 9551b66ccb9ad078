"""Stratified estimation: one estimate per stratum and a combined total.

Stratifying by time, place or perpetrator makes capture probabilities more homogeneous
within each stratum, which is how HRDAG's analyses limit capture heterogeneity (Ball et al.
2003; Manrique-Vallier, Ball & Sulmont 2019). Strata are estimated independently and their
totals added; what "added" means depends on what each stratum's estimate carries:

``"draws"``
    Bayesian results with posterior draws (LCMCR): the total's posterior is sampled by
    adding the strata's draws draw by draw, as HRDAG does (``verdata::combine_estimates``).
    Independent posteriors may be paired in any order; pairing by index keeps chains
    aligned. If strata have different numbers of draws, each is thinned, evenly, to the
    smallest count, and a warning says so.
``"convolve"``
    Exact posteriors on a grid (DGA's :class:`~reckon.estimation.dga.GridPosterior`): the
    total's posterior is the convolution of the strata's, computed exactly (by FFT), with no
    sampling.
``"normal"``
    Point estimates with intervals (log-linear, Chapman): the total is the sum of the points;
    each stratum's standard error is read from its interval as ``(upper - lower) / (2 z)``,
    the variances of independent strata add, and the total's interval is the log-normal
    interval for the unobserved count of Chao (1987), ``n + f0 / C .. n + f0 * C`` with
    ``C = exp(z sqrt(log(1 + var / f0**2)))``, which keeps the interval above the observed
    count and right-skewed as MSE intervals are.

``"auto"`` picks ``"draws"`` when every stratum has draws, ``"convolve"`` when every stratum
has a grid posterior, ``"draws"`` (sampling the grid posteriors with the random state) when
every stratum has one or the other, and ``"normal"`` otherwise.

References
----------
.. [1] Ball, P., Asher, J., Sulmont, D. and Manrique, D. (2003). *How Many Peruvians Have
   Died?* AAAS/HRDAG report to the Peruvian Truth and Reconciliation Commission.
.. [2] Manrique-Vallier, D., Ball, P. and Sulmont, D. (2019). Estimating the number of
   fatal victims of the Peruvian internal armed conflict, 1980–2000. arXiv:1906.04763.
.. [3] Chao, A. (1987). Estimating the population size for capture-recapture data with
   unequal catchability. *Biometrics* 43(4), 783–791 (the log-normal interval, eq. 13).
.. [4] HRDAG, verdata R package 1.0.2, ``combine_estimates``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy.signal import convolve
from scipy.stats import norm

from reckon.errors import EstimationError, EstimationWarning, ReckonError, ValidationError
from reckon.estimation.base import Estimator, resolve_random_state
from reckon.estimation.capture_histories import CaptureHistories
from reckon.estimation.dga import GridPosterior
from reckon.estimation.results import EstimateResult

__all__ = ["COMBINE_RULES", "SAMPLED_DRAWS", "Combined", "Stratified", "combine_estimates"]

#: Ways of adding independent stratum estimates; see the module docstring.
COMBINE_RULES = ("auto", "draws", "convolve", "normal")
#: Draws taken from each grid posterior under ``"draws"`` when no stratum has draws to match.
SAMPLED_DRAWS = 10_000


@dataclass(frozen=True)
class Combined:
    """The total of independent stratum estimates, from :func:`combine_estimates`.

    Parameters
    ----------
    estimate : float
        Point estimate of the total: the posterior median for ``"draws"`` and
        ``"convolve"``, the sum of the points for ``"normal"``.
    interval : tuple of float
        Interval of probability ``level``.
    level : float
    rule : str
        The rule used: ``"draws"``, ``"convolve"`` or ``"normal"``.
    draws : numpy.ndarray or None
        Draws of the total (``"draws"``).
    posterior : GridPosterior or None
        Exact posterior of the total (``"convolve"``).
    standard_error : float or None
        Standard error of the total (``"normal"``).
    notes : tuple of str
        What was done that a reader should know (thinning, sampling).
    """

    estimate: float
    interval: tuple[float, float]
    level: float
    rule: str
    draws: np.ndarray | None = None
    posterior: GridPosterior | None = None
    standard_error: float | None = None
    notes: tuple[str, ...] = ()


def _grid_posterior(result: EstimateResult) -> GridPosterior | None:
    posterior = result.diagnostics.get("posterior_N")
    return posterior if isinstance(posterior, GridPosterior) else None


def _thin(draws: np.ndarray, size: int) -> np.ndarray:
    """``size`` evenly spaced draws (first and last kept), so every chain keeps its share."""
    if draws.size == size:
        return draws
    return draws[np.round(np.linspace(0, draws.size - 1, size)).astype(np.int64)]


def _z(level: float) -> float:
    return float(norm.ppf(0.5 + level / 2.0))


def combine_estimates(
    results: Sequence[EstimateResult],
    *,
    level: float = 0.95,
    rule: str = "auto",
    random_state: int | np.random.Generator | None = None,
    offset: int = 0,
) -> Combined:
    """Add the estimates of independent strata.

    Parameters
    ----------
    results : sequence of EstimateResult
        One result per stratum (they may come from different runs, e.g. a cache).
    level : float
        Probability of the total's interval.
    rule : {"auto", "draws", "convolve", "normal"}
        How to add them; see :mod:`reckon.estimation.stratified`.
    random_state : int, numpy.random.Generator or None
        Drives the sampling of grid posteriors when ``"draws"`` must mix them with draws.
    offset : int
        A known count added to the total without uncertainty (the observed count of strata
        that could not be estimated).

    Returns
    -------
    Combined

    Raises
    ------
    ValidationError
        For no results, an unknown rule, or a rule the results cannot support.

    References
    ----------
    .. [3] Chao, A. (1987). *Biometrics* 43(4), 783–791.
    .. [4] HRDAG, verdata 1.0.2, ``combine_estimates``.
    """
    if rule not in COMBINE_RULES:
        raise ValidationError(f"rule must be one of {COMBINE_RULES}, got {rule!r}")
    if not results:
        raise ValidationError("there are no stratum estimates to combine")
    if not 0 < level < 1:
        raise ValidationError(f"level must be strictly between 0 and 1, got {level!r}")
    has_draws = [r.draws is not None and np.size(r.draws) > 0 for r in results]
    grids = [_grid_posterior(r) for r in results]
    if rule == "auto":
        if all(has_draws):
            rule = "draws"
        elif all(g is not None for g in grids):
            rule = "convolve"
        elif all(d or g is not None for d, g in zip(has_draws, grids, strict=True)):
            rule = "draws"
        else:
            rule = "normal"
    tail = (1.0 - level) / 2.0

    if rule == "convolve":
        if any(g is None for g in grids):
            raise ValidationError("rule 'convolve' needs a grid posterior (DGA) for every stratum")
        pmf = np.ones(1)
        start = offset
        for g in grids:
            assert g is not None
            pmf = np.clip(convolve(pmf, g.pmf, method="auto"), 0.0, None)
            pmf /= pmf.sum()
            start += g.start
        posterior = GridPosterior(start=start, pmf=pmf)
        return Combined(
            estimate=posterior.median(),
            interval=posterior.interval(level),
            level=level,
            rule=rule,
            posterior=posterior,
        )

    if rule == "draws":
        if not all(d or g is not None for d, g in zip(has_draws, grids, strict=True)):
            raise ValidationError(
                "rule 'draws' needs posterior draws or a grid posterior for every stratum"
            )
        notes: list[str] = []
        sampled = [
            np.asarray(r.draws, dtype=np.float64)
            for r, d in zip(results, has_draws, strict=True)
            if d
        ]
        shapes = {a.shape for a in sampled}
        sizes = [a.size for a in sampled]
        size = min(sizes) if sizes else SAMPLED_DRAWS
        if len(set(sizes)) > 1:
            notes.append(
                f"strata have different numbers of draws ({min(sizes):,} to {max(sizes):,}); "
                f"each was thinned evenly to {size:,} before adding"
            )
        keep_shape = len(shapes) == 1 and all(has_draws)
        shape = next(iter(shapes)) if keep_shape else (size,)
        rng = (
            random_state
            if isinstance(random_state, np.random.Generator)
            else np.random.default_rng(random_state)
        )
        total = np.full(shape, float(offset))
        n_sampled = 0
        for r, d, g in zip(results, has_draws, grids, strict=True):
            if d:
                draws = np.asarray(r.draws, dtype=np.float64)
                total += draws if keep_shape else _thin(draws.reshape(-1), size)
            else:
                assert g is not None
                total += g.sample(size, rng)
                n_sampled += 1
        if n_sampled:
            notes.append(
                f"{n_sampled} exact grid posterior(s) were sampled ({size:,} draws each) and "
                "added draw by draw, so the total carries Monte Carlo error; "
                "combine='convolve' is exact when every stratum has a grid posterior"
            )
        flat = total.reshape(-1)
        lo, hi = np.quantile(flat, [tail, 1.0 - tail])
        return Combined(
            estimate=float(np.median(flat)),
            interval=(float(lo), float(hi)),
            level=level,
            rule=rule,
            draws=total,
            notes=tuple(notes),
        )

    # rule == "normal": variances of independent strata add.
    estimate = float(offset)
    observed = float(offset)
    variance = 0.0
    for r in results:
        estimate += r.estimate
        observed += r.observed
        lo, hi = r.interval
        if math.isfinite(lo) and math.isfinite(hi):
            variance += ((hi - lo) / (2.0 * _z(r.level))) ** 2
        else:
            variance = math.inf
    z = _z(level)
    unobserved = estimate - observed
    if not math.isfinite(variance):
        interval = (observed + max(unobserved, 0.0), math.inf)
    elif variance == 0.0:
        interval = (estimate, estimate)
    elif unobserved > 0:
        spread = math.exp(z * math.sqrt(math.log1p(variance / unobserved**2)))
        interval = (observed + unobserved / spread, observed + unobserved * spread)
    else:
        interval = (observed, observed + z * math.sqrt(variance))
    return Combined(
        estimate=estimate,
        interval=interval,
        level=level,
        rule="normal",
        standard_error=math.sqrt(variance),
    )


def _label(columns: Sequence[str], key: tuple[Any, ...]) -> str:
    return ", ".join(f"{c}={v}" for c, v in zip(columns, key, strict=True))


class Stratified(Estimator):
    """Estimate every stratum of a table with one estimator and add up the total.

    Parameters
    ----------
    estimator : Estimator
        An unfitted estimator used as a template: each stratum is fitted by a fresh copy with
        the same hyperparameters (``type(estimator)(**estimator.get_params())``).
    strata : str or sequence of str, optional
        Stratum column(s) to stratify by; the table is summed over the others. Default: all
        of the table's stratum columns.
    level : float
        Probability of the total's interval (each stratum keeps its estimator's level).
    random_state : int, optional
        Seed of everything random. Each stratum's estimator, if it takes a ``random_state``,
        gets its own seed spawned from this one (``numpy.random.SeedSequence.spawn``), so
        strata are independent and the run reproducible (the template's own
        ``random_state`` is replaced); a last spawned seed drives the
        sampling of grid posteriors under ``combine="draws"``. ``None`` draws a seed and
        records it.
    combine : {"auto", "draws", "convolve", "normal"}
        How stratum estimates are added; see :mod:`reckon.estimation.stratified`.
    stratum_params : callable, optional
        ``stratum_params(table) -> dict`` of hyperparameters that override the template's for
        one stratum, given that stratum's table: settings that depend on the stratum's size
        or lists, e.g. R LCMCR's cap on the unobserved count,
        ``lambda t: {"max_missing": 20 * t.observed}``, or HRDAG's ``K = min(2**J - 1, 15)``.
        The overrides used are recorded in ``details["params"]``.
    on_error : {"observed", "raise"}
        What to do when a stratum cannot be estimated (a :class:`ReckonError` from its fit).
        ``"observed"`` lists it as failed and adds its observed count to the total with no
        unobserved part (a lower bound, said in a warning); ``"raise"`` stops with an
        :class:`EstimationError` naming the stratum.

    Attributes
    ----------
    result_ : EstimateResult
        The total. ``method`` is ``"stratified <method>"``; ``draws`` the total's draws
        (``"draws"``); ``diagnostics["posterior_N"]`` the total's exact posterior
        (``"convolve"``); ``diagnostics["combine"]`` the rule used. ``details`` has one row
        per stratum, in sorted order, with one column per stratum variable, ``stratum``
        (``"sex=female, age_group=00-14"``), ``observed``, ``estimate``, ``lower``,
        ``upper``, ``status`` (``"ok"``, ``"warned"`` or ``"failed"``), ``warnings``,
        ``error``, ``params`` (the ``stratum_params`` overrides) and ``random_state``; and a
        last row, ``stratum == "total"``, for the total.
    stratum_results_ : dict
        Stratum key (tuple of labels) to its :class:`EstimateResult`, or None if it failed.

    Warns
    -----
    EstimationWarning
        Once for all strata whose fit warned, once for all strata that failed, and when
        draws had to be thinned or grid posteriors sampled. Each stratum's own warnings are
        recorded in ``result_.warnings`` prefixed with the stratum, and in ``details``.

    Notes
    -----
    Under ``"draws"`` and ``"convolve"`` the estimate is the posterior median of the total,
    which is not the sum of the strata's medians (medians do not add); under ``"normal"``
    it is the sum of the strata's points.

    References
    ----------
    .. [1] Ball, P., Asher, J., Sulmont, D. and Manrique, D. (2003). *How Many Peruvians Have
       Died?* AAAS/HRDAG.
    .. [2] Manrique-Vallier, D., Ball, P. and Sulmont, D. (2019). arXiv:1906.04763.
    .. [3] Chao, A. (1987). *Biometrics* 43(4), 783–791.

    Examples
    --------
    >>> import pandas as pd
    >>> from reckon.estimation.dga import DGA
    >>> frame = pd.DataFrame({
    ...     "A": [1, 0, 0, 1, 1, 0, 1] * 2, "B": [0, 1, 0, 1, 0, 1, 1] * 2,
    ...     "C": [0, 0, 1, 0, 1, 1, 1] * 2, "region": ["north"] * 7 + ["south"] * 7,
    ...     "count": [30, 25, 40, 8, 10, 9, 3, 12, 15, 20, 4, 5, 6, 2],
    ... })
    >>> table = CaptureHistories.from_frame(frame, lists=["A", "B", "C"], strata=["region"])
    >>> fitted = Stratified(DGA()).fit(table)
    >>> fitted.result_.diagnostics["combine"]
    'convolve'
    >>> fitted.result_.details["stratum"].tolist()
    ['region=north', 'region=south', 'total']
    """

    method = "stratified"

    def __init__(
        self,
        estimator: Estimator,
        *,
        strata: str | Sequence[str] | None = None,
        level: float = 0.95,
        random_state: int | None = None,
        combine: str = "auto",
        stratum_params: Callable[[CaptureHistories], Mapping[str, Any]] | None = None,
        on_error: str = "observed",
    ) -> None:
        self.estimator = estimator
        self.strata = strata
        self.level = level
        self.random_state = random_state
        self.combine = combine
        self.stratum_params = stratum_params
        self.on_error = on_error

    # ------------------------------------------------------------------ checks

    def _strata_columns(self) -> list[str]:
        """``strata`` as a list of column names (a single name is accepted)."""
        if self.strata is None:
            return []
        if isinstance(self.strata, str):
            return [self.strata]
        return [str(s) for s in self.strata]

    def _check(self, table: CaptureHistories) -> CaptureHistories:
        problems: list[str] = []
        if not isinstance(self.estimator, Estimator):
            kind = "class" if isinstance(self.estimator, type) else type(self.estimator).__name__
            problems.append(
                f"estimator must be an Estimator instance such as DGA(), got a {kind} "
                f"({self.estimator!r})"
            )
        if self.combine not in COMBINE_RULES:
            problems.append(f"combine must be one of {COMBINE_RULES}, got {self.combine!r}")
        if self.stratum_params is not None and not callable(self.stratum_params):
            problems.append(
                "stratum_params must be a function of the stratum's table returning a dict, "
                f"got {type(self.stratum_params).__name__}"
            )
        if self.on_error not in ("observed", "raise"):
            problems.append(f"on_error must be 'observed' or 'raise', got {self.on_error!r}")
        lv = self.level
        if isinstance(lv, bool) or not isinstance(lv, int | float) or not 0 < lv < 1:
            problems.append(f"level must be a probability strictly between 0 and 1, got {lv!r}")
        if not isinstance(table, CaptureHistories):
            problems.append(f"Stratified.fit expects CaptureHistories, got {type(table).__name__}")
        elif table.strata is None:
            problems.append(
                "the table has no stratum columns; build it with strata=[...] or fit the "
                "estimator directly"
            )
        elif self.strata is not None:
            wanted = self._strata_columns()
            unknown = [s for s in wanted if s not in table.strata.columns]
            if unknown or not wanted:
                problems.append(
                    f"strata {unknown or wanted} are not stratum columns of the table; "
                    f"they are {list(table.strata.columns)}"
                )
        if problems:
            raise ValidationError("Stratified cannot fit this table", problems)
        if self.strata is not None and self._strata_columns() != list(table.strata.columns):
            table = CaptureHistories(
                lists=table.lists,
                patterns=table.patterns,
                counts=table.counts,
                strata=table.strata[self._strata_columns()],
                source=table.source,
            )
        return table

    # ------------------------------------------------------------------ fit

    def fit(self, table: CaptureHistories) -> Self:
        """Estimate each stratum of ``table`` and the total; sets ``result_``.

        Parameters
        ----------
        table : CaptureHistories
            A stratified table.

        Returns
        -------
        Stratified
            ``self``.

        Raises
        ------
        ValidationError
            For a table without strata, unknown stratum columns or invalid settings.
        EstimationError
            When no stratum could be estimated, or a stratum failed under
            ``on_error="raise"``.
        """
        table = self._check(table)
        assert table.strata is not None
        columns = list(table.strata.columns)
        template = self.estimator
        params = template.get_params()
        seeded = "random_state" in params
        seed = resolve_random_state(self.random_state)
        strata = list(table.by_stratum())
        children = np.random.SeedSequence(seed).spawn(len(strata) + 1)
        child_seeds = [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]

        rows: list[dict[str, Any]] = []
        results: dict[tuple[Any, ...], EstimateResult | None] = {}
        collector = self._warnings()
        warned: list[str] = []
        failed: list[str] = []
        failed_observed = 0
        for (key, sub), child_seed in zip(strata, child_seeds, strict=False):
            label = _label(columns, key)
            stratum_params = dict(params)
            overrides = dict(self.stratum_params(sub)) if self.stratum_params else {}
            unknown = sorted(set(overrides) - set(params))
            if unknown:
                raise ValidationError(
                    f"stratum_params returned {unknown} for stratum {label}, which are not "
                    f"parameters of {type(template).__name__}: {sorted(params)}"
                )
            stratum_params.update(overrides)
            if seeded:
                stratum_params["random_state"] = child_seed
            row: dict[str, Any] = dict(zip(columns, key, strict=True))
            row.update(stratum=label, observed=sub.observed, params=overrides)
            error = ""
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    estimator = type(template)(**stratum_params)
                    result = estimator.fit(sub).result_
                except ReckonError as err:
                    if self.on_error == "raise":
                        raise EstimationError(
                            f"stratum {label} could not be estimated: {err}"
                        ) from err
                    result = None
                    error = str(err)
            texts = list(result.warnings) if result is not None else []
            texts += [str(w.message) for w in caught if str(w.message) not in texts]
            results[key] = result
            if result is None:
                failed.append(label)
                failed_observed += sub.observed
                row.update(
                    estimate=np.nan, lower=np.nan, upper=np.nan, status="failed", error=error
                )
            else:
                row.update(
                    estimate=result.estimate,
                    lower=result.interval[0],
                    upper=result.interval[1],
                    status="warned" if texts else "ok",
                    error="",
                )
                if texts:
                    warned.append(label)
            row.update(warnings=" | ".join(texts), random_state=child_seed if seeded else None)
            for text in texts:
                collector.record(f"stratum {label}: {text}")
            rows.append(row)

        ok = [r for r in results.values() if r is not None]
        if not ok:
            raise EstimationError(
                f"no stratum of the {len(strata)} could be estimated; first error: "
                f"{rows[0]['error'] if rows else 'no strata'}"
            )
        if warned:
            collector.warn(
                f"{len(warned)} of {len(strata)} strata raised warnings ({_shorten(warned)}); "
                "see result_.details and result_.warnings",
                EstimationWarning,
            )
        if failed:
            collector.warn(
                f"{len(failed)} of {len(strata)} strata could not be estimated "
                f"({_shorten(failed)}); their {failed_observed:,} observed people are added to "
                "the total with no unobserved count, so the total is biased low",
                EstimationWarning,
            )
        combined = combine_estimates(
            ok,
            level=float(self.level),
            rule=self.combine,
            random_state=child_seeds[-1],
            offset=failed_observed,
        )
        for note in combined.notes:
            collector.warn(note, EstimationWarning)
        used_randomness = seeded or (combined.rule == "draws" and any(r.draws is None for r in ok))

        total_row: dict[str, Any] = dict.fromkeys(columns)
        total_row.update(
            stratum="total",
            observed=table.observed,
            estimate=combined.estimate,
            lower=combined.interval[0],
            upper=combined.interval[1],
            status="total",
            error="",
            warnings=" | ".join(combined.notes),
            params={},
            random_state=seed if used_randomness else None,
        )
        rows.append(total_row)
        details = pd.DataFrame(rows)
        details = details[
            [
                *columns,
                "stratum",
                "observed",
                "estimate",
                "lower",
                "upper",
                "status",
                "warnings",
                "error",
                "params",
                "random_state",
            ]
        ]
        diagnostics: dict[str, Any] = {
            "combine": combined.rule,
            "strata": columns,
            "n_strata": len(strata),
            "n_warned": len(warned),
            "n_failed": len(failed),
            "failed_observed": failed_observed,
            "stratum_method": template.method,
        }
        if combined.posterior is not None:
            diagnostics["posterior_N"] = combined.posterior
            diagnostics["posterior_mean"] = combined.posterior.mean()
        if combined.standard_error is not None:
            diagnostics["standard_error"] = combined.standard_error
        if combined.draws is not None:
            diagnostics["n_draws"] = int(combined.draws.size)
            diagnostics["posterior_mean"] = float(np.mean(combined.draws))
        settings = {
            "estimator": repr(template),
            "estimator_params": params,
            "strata": columns,
            "level": self.level,
            "combine": self.combine,
            "stratum_params": None if self.stratum_params is None else repr(self.stratum_params),
            "on_error": self.on_error,
        }
        self.stratum_results_ = results
        self.result_ = EstimateResult(
            method=f"stratified {template.method}",
            observed=table.observed,
            estimate=combined.estimate,
            interval=combined.interval,
            level=float(self.level),
            diagnostics=diagnostics,
            warnings=collector.messages,
            provenance=self._provenance(table, seed if used_randomness else None, settings),
            draws=combined.draws,
            details=details,
        )
        return self


def _shorten(labels: Sequence[str], limit: int = 5) -> str:
    shown = "; ".join(labels[:limit])
    return shown + (f"; and {len(labels) - limit} more" if len(labels) > limit else "")
