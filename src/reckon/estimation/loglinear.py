"""Poisson log-linear multiple systems estimation (Rcapture's ``closedp`` and ``closedpMS``).

A log-linear model describes the expected counts of the ``2**J - 1`` observed cells of a
J-list capture-history table; extrapolated to the cell of people on no list, whose design
row is the intercept alone, it estimates the total ``N = n + exp(intercept)`` (Fienberg 1972;
Cormack 1989). :class:`LogLinear` fits one model, Rcapture's closed-population families
(M0, Mt, Mh, Mth), or every hierarchical model with all main effects, and picks one by BIC or
AIC, as Rcapture's ``closedpMS.t`` does (Baillargeon & Rivest 2007).

Before a model is trusted, a linear program checks that its maximum likelihood estimate
exists (:mod:`reckon.estimation.mle_existence`); zero cells can push it to infinity, where
a GLM fitter prints an arbitrary estimate.

References
----------
Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for capture-recapture
in R. *Journal of Statistical Software* 19(5), 1–31.

Cormack, R. M. (1989). Log-linear models for capture-recapture. *Biometrics* 45, 395–413.

Cormack, R. M. (1992). Interval estimation for mark-recapture studies of closed populations.
*Biometrics* 48, 567–576.

Fienberg, S. E. (1972). The multiple recapture census for closed populations and incomplete
2^k contingency tables. *Biometrika* 59, 591–603.

Fienberg, S. E. and Rinaldo, A. (2012). Maximum likelihood estimation in log-linear models.
*Annals of Statistics* 40, 996–1023.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln, xlogy
from scipy.stats import chi2

from reckon.errors import EstimationError, ValidationError
from reckon.estimation.base import Estimator, WarningCollector
from reckon.estimation.capture_histories import CaptureHistories
from reckon.estimation.loglinear_models import (
    CLOSEDP_MODELS,
    LoglinearModel,
    ModelFit,
    closedp_model,
    count_hierarchical_models,
    fit_loglinear_model,
    fit_removing_negative_etas,
    hierarchical_model,
    hierarchical_models,
    parse_model_name,
    poisson_deviance,
)
from reckon.estimation.mle_existence import check_existence
from reckon.estimation.results import EstimateResult

__all__ = ["LogLinear", "ProfileInterval", "profile_interval"]

#: A fitted N above this multiple of the observed count is reported as unstable.
_HUGE_RATIO = 1e3


# ---------------------------------------------------------------------------- profile interval


@dataclass(frozen=True)
class ProfileInterval:
    """Profile-likelihood interval for N and the maximiser of the profile likelihood."""

    lower: float
    upper: float
    maximiser: float
    upper_bounded: bool


def _profile_loglik_function(fit: ModelFit, counts: np.ndarray) -> Callable[[float], float]:
    """``N -> log L(N)``: the multinomial profile log-likelihood with Cormack's correction.

    For a fixed N the unobserved cell gets the count ``n0 = N - n`` and design row
    ``(1, 0, ..., 0)``; the Poisson deviance ``D(N)`` of the model fitted to the complete
    table gives the multinomial log-likelihood maximised over the model parameters, up to a
    constant, as ``-D(N)/2 + c(N)`` with ``c(N) = log(N! n0^n0 / (n0! N^N))`` (Cormack 1992).
    Chao models drop negative etas afresh at each N, as Rcapture's ``closedpCI.t`` does.
    """
    n = float(counts.sum())
    if fit.chao_from is not None:
        design, names = fit.model.design()
    else:
        design, names = fit.design, [f"x{j}" for j in range(fit.design.shape[1])]
    unobserved_row = np.zeros((1, design.shape[1]))
    unobserved_row[0, 0] = 1.0
    augmented = np.vstack([unobserved_row, design])
    # The facial set of the complete table is the same for every n0 > 0.
    face = check_existence(augmented, np.concatenate([[1.0], counts])).facial_set

    def loglik(total: float) -> float:
        n0 = max(total - n, 0.0)
        y = np.concatenate([[n0], counts])
        result = fit_removing_negative_etas(
            augmented, names, y, chao_from=fit.chao_from, facial_set=face
        )
        deviance = poisson_deviance(y, result.fitted)
        correction = gammaln(total + 1.0) - gammaln(n0 + 1.0) + xlogy(n0, n0) - xlogy(total, total)
        return -deviance / 2.0 + float(correction)

    return loglik


def profile_interval(
    fit: ModelFit,
    counts: np.ndarray,
    level: float = 0.95,
    *,
    max_factor: float = 100.0,
) -> ProfileInterval:
    """Profile-likelihood interval for N under one log-linear model (Rcapture ``closedpCI``).

    The interval is ``{N : 2 (log L(N_max) - log L(N)) <= chi2_1(level)}`` where ``L`` is the
    multinomial profile likelihood of :func:`_profile_loglik_function`, as in Rcapture's
    ``closedpCI.t`` (Baillargeon & Rivest 2007, Section 2.3). The maximiser ``N_max`` is
    sought in ``(n, 3 N_hat)`` like Rcapture; it is close to, but not the same as, the Poisson
    MLE ``N_hat = n + exp(intercept)`` that is reported as the estimate. The lower limit is
    ``n`` when the likelihood at ``N = n`` is inside the interval; the upper limit is searched
    up to ``max_factor * N_hat`` and is infinite beyond.

    Notes
    -----
    Cormack's correction uses the exact log-gamma form, where Rcapture uses Stirling's
    approximation above 100 people; the two differ by ``O(1 / n0)`` in the log-likelihood.

    References
    ----------
    Cormack, R. M. (1992). Interval estimation for mark-recapture studies of closed
    populations. *Biometrics* 48, 567–576.

    Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for
    capture-recapture in R. *Journal of Statistical Software* 19(5), Section 2.3.
    """
    counts = np.asarray(counts, dtype=np.float64)
    n = float(counts.sum())
    estimate = fit.estimate
    loglik = _profile_loglik_function(fit, counts)
    span = max(3.0 * estimate, n + 1.0)
    best = minimize_scalar(
        lambda total: -loglik(total),
        bounds=(n, span),
        method="bounded",
        options={"xatol": 1e-7 * span},
    )
    maximiser = float(best.x)
    threshold = -float(best.fun) - chi2.ppf(level, 1) / 2.0

    def excess(total: float) -> float:
        return loglik(total) - threshold

    lower = n if excess(n) >= 0 else brentq(excess, n, maximiser, xtol=1e-8 * n, rtol=1e-12)
    upper, bounded = float("inf"), False
    right = max(span, maximiser * 1.5)
    left = maximiser
    while right <= max_factor * max(estimate, n):
        if excess(right) < 0:
            upper = brentq(excess, left, right, xtol=1e-8 * right, rtol=1e-12)
            bounded = True
            break
        left, right = right, right * 2.0
    return ProfileInterval(
        lower=float(lower), upper=float(upper), maximiser=maximiser, upper_bounded=bounded
    )


# ---------------------------------------------------------------------------- estimator

_CRITERIA = ("bic", "aic")


class LogLinear(Estimator):
    """Poisson log-linear multiple systems estimation, with model search and existence checks.

    Parameters
    ----------
    model : str or sequence of terms
        Which model(s) to fit:

        - ``"best"`` (default): every hierarchical log-linear model with all main effects and
          interactions up to ``max_order``, as Rcapture's ``closedpMS.t``; the one with the
          smallest ``criterion`` among those whose MLE exists is reported.
        - ``"closedp"``: Rcapture's closed-population families (M0, Mt, Mh and Mth with the
          Chao, Poisson2, Darroch and Gamma3.5 heterogeneity forms), chosen by ``criterion``.
        - one of those families by name: ``"M0"``, ``"Mt"``, ``"Mh Chao"``,
          ``"Mth Poisson2"``...
        - a hierarchical model in Rcapture's notation, lists numbered from 1 in column order:
          ``"[123,14,34]"``; or as terms in list names, each ``"A:B"`` or a tuple
          ``("A", "B")``: ``["EXH:ABA:OSCE", "EXH:HRW", "OSCE:HRW"]``. Main effects are always
          included. ``"independence"`` is the main-effects model.
    criterion : {"bic", "aic"}
        Model-selection criterion, as Rcapture computes it (``bic = aic + (log(n) - 2) p``).
    max_order : int, optional
        Highest interaction order searched by ``model="best"`` (default J - 1).
    level : float
        Coverage of the profile-likelihood interval.
    max_models : int
        ``model="best"`` refuses to fit more models than this (6,893 for 5 lists; beyond,
        lower ``max_order`` or merge lists).

    Attributes
    ----------
    result_ : EstimateResult
        ``estimate`` is the Poisson MLE ``n + exp(intercept)`` of the chosen model (the
        convention of Rcapture's ``closedp``/``closedpMS`` and of the published Kosovo,
        UK and US figures); ``interval`` is the profile-likelihood interval; ``details``
        lists every model fitted with deviance, df, AIC, BIC, estimate and existence.
    model_ : LoglinearModel
        The chosen model.
    coef_ : dict
        Its coefficients (NaN for a parameter removed or not identified).
    fits_ : list of ModelFit
        Every model fitted, in enumeration order.

    Notes
    -----
    A model whose MLE does not exist (zero cells send it to infinity; checked by linear
    programming, Fienberg & Rinaldo 2012) is left out of the selection with a warning. One
    exception, as in SparseMSE (Chan, Silverman & Vincent 2021): when the only cause is a
    pair of lists that share nobody and whose interaction is in the model, the interaction is
    minus infinity, the cells holding both lists are structurally empty, and the extended MLE
    is used (a warning names the pair if the model is chosen). This reproduces every
    ``closedpMS`` best-BIC choice in the reference data, Netherlands 5 lists included. A single
    requested model whose MLE does not exist is reported through its extended MLE when N is
    still estimable, with a warning, and refused otherwise. Intervals are conditional on the
    chosen model and do not account for model selection (Silverman, Chan & Vincent 2024).

    References
    ----------
    Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for
    capture-recapture in R. *Journal of Statistical Software* 19(5), 1–31.

    Chan, L., Silverman, B. W. and Vincent, K. (2021). Multiple systems estimation for sparse
    capture data: inferential challenges when there are nonoverlapping lists. *Journal of the
    American Statistical Association* 116, 1297–1306.

    Cormack, R. M. (1989). Log-linear models for capture-recapture. *Biometrics* 45, 395–413.

    Fienberg, S. E. and Rinaldo, A. (2012). Maximum likelihood estimation in log-linear
    models. *Annals of Statistics* 40, 996–1023.

    Silverman, B. W., Chan, L. and Vincent, K. (2024). Bootstrapping multiple systems
    estimates to account for model selection. *Statistics and Computing* 34, 44.

    Examples
    --------
    >>> from reckon.estimation import CaptureHistories, LogLinear
    >>> table = CaptureHistories.from_csv("tests/data/mse/kosovo_1999.csv")
    >>> fitted = LogLinear().fit(table)  # doctest: +SKIP
    >>> round(fitted.result_.estimate, 1)  # doctest: +SKIP
    10356.5
    """

    method = "loglinear"

    def __init__(
        self,
        model: str | Sequence[str | Sequence[str]] = "best",
        *,
        criterion: str = "bic",
        max_order: int | None = None,
        level: float = 0.95,
        max_models: int = 10_000,
    ) -> None:
        self.model = model
        self.criterion = criterion
        self.max_order = max_order
        self.level = level
        self.max_models = max_models

    # ------------------------------------------------------------------ checks

    def _check_params(self) -> None:
        problems = []
        if not isinstance(self.criterion, str) or self.criterion.lower() not in _CRITERIA:
            problems.append(f"criterion must be 'bic' or 'aic', got {self.criterion!r}")
        if not isinstance(self.level, float | int) or not 0 < self.level < 1:
            problems.append(f"level must be between 0 and 1 (e.g. 0.95), got {self.level!r}")
        if not isinstance(self.max_models, int | np.integer) or self.max_models < 1:
            problems.append(f"max_models must be a positive integer, got {self.max_models!r}")
        if problems:
            raise ValidationError("invalid LogLinear settings", problems)

    def _resolve_models(self, lists: tuple[str, ...]) -> tuple[list[LoglinearModel], bool]:
        """The models to fit and whether one is to be chosen among them."""
        n_lists = len(lists)
        spec = self.model
        if isinstance(spec, str):
            key = spec.strip().lower()
            if self.max_order is not None and key != "best":
                raise ValidationError(
                    f"max_order only applies to model='best', not to model={spec!r}"
                )
            if key == "best":
                if n_lists > 9:
                    raise ValidationError(
                        f"model='best' handles at most 9 lists, the table has {n_lists}"
                    )
                count = count_hierarchical_models(n_lists, self.max_order, limit=self.max_models)
                if count > self.max_models:
                    raise ValidationError(
                        f"model='best' would fit more than {self.max_models:,} hierarchical "
                        f"models for {n_lists} lists; set max_order=2 (or lower), merge small "
                        "lists, raise max_models, or use LCMCR"
                    )
                return hierarchical_models(n_lists, self.max_order), True
            if key == "closedp":
                names = CLOSEDP_MODELS if n_lists >= 3 else CLOSEDP_MODELS[:2]
                return [closedp_model(name, n_lists) for name in names], True
            if key == "independence":
                return [hierarchical_model([], n_lists)], False
            if key.startswith("["):
                return [parse_model_name(spec, n_lists)], False
            return [closedp_model(spec, n_lists)], False
        if self.max_order is not None:
            raise ValidationError("max_order only applies to model='best'")
        if not isinstance(spec, Sequence):
            raise ValidationError(
                f"model must be a name or a sequence of terms, got {type(spec).__name__}"
            )
        generators, problems = [], []
        for term in spec:
            names = term.replace("*", ":").split(":") if isinstance(term, str) else list(term)
            unknown = [str(name) for name in names if str(name).strip() not in lists]
            if unknown:
                problems.append(f"term {term!r} names {unknown}, which are not lists {list(lists)}")
                continue
            generators.append([lists.index(str(name).strip()) for name in names])
        if problems:
            raise ValidationError("invalid log-linear model terms", problems)
        return [hierarchical_model(generators, n_lists)], False

    # ------------------------------------------------------------------ fitting

    def fit(self, table: CaptureHistories) -> Self:
        """Fit the model(s) to ``table``; sets ``result_``, ``model_``, ``coef_``, ``fits_``.

        Raises
        ------
        ValidationError
            For a stratified table, bad settings or an unknown model.
        EstimationError
            When no model has an estimable N (e.g. lists that never overlap).
        """
        table = self._check_table(table)
        self._check_params()
        criterion = self.criterion.lower()
        models, search = self._resolve_models(table.lists)
        counts = table.cell_counts()[1:].astype(np.float64)
        observed = table.observed
        collector = self._warnings()

        fits = [fit_loglinear_model(model, counts) for model in models]
        if search:
            missing = [f for f in fits if not (f.exists or f.only_empty_overlaps)]
            if missing:
                shown = ", ".join(f.model.name for f in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                collector.warn(
                    f"{len(missing)} of {len(fits)} models were left out of the selection "
                    f"because their maximum likelihood estimate does not exist (zero cells "
                    f"send it to infinity): {shown}{more}"
                )
            usable = [f for f in fits if f.usable]
            if not usable:
                raise EstimationError(
                    f"none of the {len(fits)} log-linear models has a maximum likelihood "
                    "estimate of N on this table (too many zero cells, or lists that never "
                    "overlap); merge lists or use LCMCR"
                )
            chosen = min(usable, key=lambda f: (getattr(f, criterion), fits.index(f)))
            best = getattr(chosen, criterion)
            tied = [
                f
                for f in usable
                if f is not chosen
                and abs(getattr(f, criterion) - best) <= 1e-7 * max(abs(best), 1.0)
                and abs(f.estimate - chosen.estimate) > 0.01 * chosen.estimate
            ]
            if tied:
                others = ", ".join(f"{f.model.name} {f.estimate:,.0f}" for f in tied[:5])
                collector.warn(
                    f"models fit the table equally well ({criterion.upper()} tied) but disagree "
                    f"on N: {chosen.model.name} {chosen.estimate:,.0f} (reported), {others}; "
                    "the data cannot choose between them"
                )
        else:
            chosen = fits[0]
            if not chosen.estimable or not math.isfinite(chosen.estimate):
                raise EstimationError(
                    f"N is not identifiable under model {chosen.model.name}: its maximum "
                    "likelihood estimate does not exist on this table and the extended MLE "
                    "leaves the number of unobserved people undetermined; use a smaller "
                    "model, merge lists, or use model='best'"
                )
            if not chosen.exists and not chosen.only_empty_overlaps:
                zero_cells = int((~chosen.facial_set).sum())
                collector.warn(
                    f"the maximum likelihood estimate of model {chosen.model.name} does not "
                    f"exist on this table; the extended MLE is reported, which fits "
                    f"{zero_cells} zero cell(s) as exactly 0"
                )
        if chosen.only_empty_overlaps:
            pairs = ", ".join(
                f"{table.lists[i]}–{table.lists[j]}" for i, j in chosen.empty_overlaps
            )
            collector.warn(
                f"lists {pairs} share nobody, so model {chosen.model.name} fits their "
                "interaction at minus infinity and the cells holding both lists as empty "
                "(the extended MLE, as SparseMSE does)"
            )
        self._warn_if_unstable(chosen, observed, collector)

        try:
            interval = profile_interval(chosen, counts, float(self.level))
            lower, upper, maximiser = interval.lower, interval.upper, interval.maximiser
            if not interval.upper_bounded:
                collector.warn(
                    f"the profile likelihood of model {chosen.model.name} stays within the "
                    f"{self.level:.0%} bound up to 100 times the estimate: the upper limit "
                    "is reported as infinite"
                )
        except (ValueError, FloatingPointError, np.linalg.LinAlgError) as err:
            lower = upper = maximiser = float("nan")
            collector.warn(f"the profile-likelihood interval could not be computed: {err}")

        self.fits_ = fits
        self.model_ = chosen.model
        self.coef_ = dict(chosen.coef)
        details = self._details(fits, chosen, table.lists, criterion)
        diagnostics: dict[str, Any] = {
            "model": chosen.model.name,
            "formula": chosen.model.formula(table.lists),
            "point": "Poisson MLE n + exp(intercept)",
            "interval": "profile likelihood (multinomial, Cormack 1992)",
            "criterion": criterion,
            "deviance": chosen.deviance,
            "df": chosen.df,
            "aic": chosen.aic,
            "bic": chosen.bic,
            "stderr": chosen.stderr,
            "profile_maximiser": maximiser,
            "asymptotic_bias": chosen.bias,
            "mle_exists": chosen.exists,
            "n_models": len(fits),
            "n_models_without_mle": sum(not (f.exists or f.only_empty_overlaps) for f in fits),
        }
        if chosen.removed:
            diagnostics["removed_parameters"] = list(chosen.removed)
        self.result_ = EstimateResult(
            method=f"loglinear {chosen.model.name}",
            observed=observed,
            estimate=chosen.estimate,
            interval=(lower, upper),
            level=float(self.level),
            diagnostics=diagnostics,
            warnings=collector.messages,
            provenance=self._provenance(table, None),
            details=details,
        )
        return self

    @staticmethod
    def _warn_if_unstable(chosen: ModelFit, observed: int, collector: WarningCollector) -> None:
        name = chosen.model.name
        if chosen.estimate > _HUGE_RATIO * observed:
            collector.warn(
                f"model {name} estimates {chosen.estimate:,.0f} people, more than "
                f"{_HUGE_RATIO:,.0f} times the {observed:,} observed: the fit is unstable"
            )
        if chosen.stderr > chosen.estimate:
            collector.warn(
                f"the standard error of N under model {name} ({chosen.stderr:,.0f}) exceeds the "
                "estimate itself: the fit is unstable"
            )
        if math.isfinite(chosen.bias) and abs(chosen.bias) > 0.1 * chosen.estimate:
            collector.warn(
                f"the asymptotic bias of N under model {name} ({chosen.bias:,.0f}) is more than "
                "10% of the estimate (Rcapture's 'asymptotic bias is large')"
            )
        if not chosen.converged:
            collector.warn(f"the fit of model {name} did not converge")

    @staticmethod
    def _details(
        fits: list[ModelFit], chosen: ModelFit, lists: tuple[str, ...], criterion: str
    ) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "model": [f.model.name for f in fits],
                "formula": [f.model.formula(lists) for f in fits],
                "deviance": [f.deviance for f in fits],
                "df": [f.df for f in fits],
                "AIC": [f.aic for f in fits],
                "BIC": [f.bic for f in fits],
                "estimate": [f.estimate for f in fits],
                "stderr": [f.stderr for f in fits],
                "mle_exists": [f.exists for f in fits],
                "empty_overlaps_only": [f.only_empty_overlaps for f in fits],
                "estimable": [f.estimable for f in fits],
                "converged": [f.converged for f in fits],
                "asymptotic_bias": [f.bias for f in fits],
                "selected": [f is chosen for f in fits],
            }
        )
        key = "BIC" if criterion == "bic" else "AIC"
        return frame.sort_values(key, kind="stable", na_position="last").reset_index(drop=True)
