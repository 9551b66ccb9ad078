"""Log-linear models of the incomplete 2^J table: designs, names, enumeration and fitting.

Every model is a Poisson log-linear model for the ``2**J - 1`` observed cells of a J-list
capture-history table; the unobserved cell (recorded by no list) has the design row
``(1, 0, ..., 0)``, so its expected count is ``exp(intercept)`` and ``N = n + exp(intercept)``.

Two kinds of models:

- **Rcapture's closed-population families** (Baillargeon & Rivest 2007; Rivest & Baillargeon
  2014): M0, Mt, and the heterogeneity models Mh / Mth with the Chao lower-bound, Poisson2,
  Darroch and Gamma3.5 forms of heterogeneity.
- **Hierarchical log-linear models** with all main effects (Fienberg 1972; Cormack 1989),
  named as Rcapture's ``closedpMS.t`` names them: the generating class in brackets, lists
  numbered from 1 in column order, e.g. ``[123,14,34]`` for the model with the three-way
  interaction of lists 1, 2 and 3 (and everything below it) and the two-way interactions
  1×4 and 3×4.

Cells are indexed as in :meth:`CaptureHistories.cell_counts`: cell ``c`` (``1 <= c < 2**J``)
has list j in it when bit j of c is set; row ``c - 1`` of a design matrix is cell c.

:func:`fit_loglinear_model` fits one model: it checks that the MLE exists
(:mod:`reckon.estimation.mle_existence`), fits the (extended) MLE by damped Newton–Raphson
(:func:`fit_poisson`) and reports Rcapture's statistics (deviance, df, AIC, BIC, N, its
standard error and asymptotic bias).

References
----------
Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for capture-recapture
in R. *Journal of Statistical Software* 19(5), 1–31.

Chao, A. (1987). Estimating the population size for capture-recapture data with unequal
catchability. *Biometrics* 43, 783–791 (the lower bound behind the Chao/LB model).

Cormack, R. M. (1989). Log-linear models for capture-recapture. *Biometrics* 45, 395–413.

Darroch, J. N., Fienberg, S. E., Glonek, G. F. V. and Junker, B. W. (1993). A three-sample
multiple-recapture approach to census population estimation with heterogeneous
catchability. *Journal of the American Statistical Association* 88, 1137–1148.

Fienberg, S. E. (1972). The multiple recapture census for closed populations and incomplete
2^k contingency tables. *Biometrika* 59, 591–603.

Rivest, L.-P. and Lévesque, T. (2001). Improved log-linear model estimators of abundance in
capture-recapture experiments. *Canadian Journal of Statistics* 29, 555–572.

Rivest, L.-P. and Baillargeon, S. (2014). Rcapture: loglinear models for capture-recapture
experiments, R package version 1.4-4 (``closedp.t``, ``closedpMS.t``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import gammaln, xlogy

from reckon.errors import ValidationError
from reckon.estimation.mle_existence import check_existence, column_basis

__all__ = [
    "CLOSEDP_MODELS",
    "LoglinearModel",
    "ModelFit",
    "PoissonFit",
    "capture_patterns",
    "closedp_model",
    "count_hierarchical_models",
    "fit_loglinear_model",
    "fit_poisson",
    "fit_removing_negative_etas",
    "hierarchical_model",
    "hierarchical_models",
    "parse_model_name",
    "poisson_deviance",
]

Term = tuple[int, ...]

#: Rcapture ``closedp.t`` model names (Mb and Mbh are left out: a behavioural response needs
#: time-ordered occasions, which documentation lists are not).
CLOSEDP_MODELS: tuple[str, ...] = (
    "M0",
    "Mt",
    "Mh Chao (LB)",
    "Mh Poisson2",
    "Mh Darroch",
    "Mh Gamma3.5",
    "Mth Chao (LB)",
    "Mth Poisson2",
    "Mth Darroch",
    "Mth Gamma3.5",
)

_HETEROGENEITY = {"Chao (LB)": "chao", "Poisson2": "poisson2", "Darroch": "darroch"}
_HETEROGENEITY["Gamma3.5"] = "gamma3.5"


def capture_patterns(n_lists: int) -> np.ndarray:
    """The ``(2**J - 1, J)`` 0/1 matrix of observable patterns; row ``c - 1`` is cell c."""
    cells = np.arange(1, 2**n_lists, dtype=np.int64)
    return ((cells[:, None] >> np.arange(n_lists)) & 1).astype(np.float64)


@dataclass(frozen=True)
class LoglinearModel:
    """One log-linear model for a J-list table.

    Parameters
    ----------
    name : str
        Rcapture-style name: ``"Mt"``, ``"Mth Chao (LB)"``, ``"[123,14,34]"``.
    n_lists : int
        J.
    terms : tuple of tuple of int
        For hierarchical models (and M0/Mt/Mth, whose list effects are main effects): every
        term in the model apart from the intercept, as 0-based list indices, ordered by
        order and then lexicographically.
    family : str
        ``"hierarchical"``, ``"M0"``, ``"Mt"``, ``"Mh"`` or ``"Mth"``.
    heterogeneity : str or None
        ``"chao"``, ``"poisson2"``, ``"darroch"``, ``"gamma3.5"`` for Mh / Mth models.
    """

    name: str
    n_lists: int
    terms: tuple[Term, ...]
    family: str = "hierarchical"
    heterogeneity: str | None = None

    @property
    def generators(self) -> tuple[Term, ...]:
        """The maximal terms (the generating class) of a hierarchical model."""
        sets = [set(t) for t in self.terms]
        maximal = [t for t, s in zip(self.terms, sets, strict=True) if not any(s < o for o in sets)]
        return tuple(sorted(maximal, key=lambda t: (-len(t), t)))

    @property
    def max_order(self) -> int:
        """Highest order of interaction in the model (1 for list independence)."""
        return max((len(t) for t in self.terms), default=0)

    @property
    def n_heterogeneity_free(self) -> int:
        """Columns, intercept included, that do not model heterogeneity (Rcapture's ``nca``)."""
        return 1 + self._n_structural_columns()

    def _n_structural_columns(self) -> int:
        if self.family in ("M0", "Mh"):
            return 1
        return len(self.terms)

    def formula(self, lists: Sequence[str]) -> str:
        """The model in list names: generators joined by ``+``, interactions by ``:``.

        Closed-population families return their name.
        """
        if self.family != "hierarchical":
            return self.name
        return " + ".join(":".join(lists[j] for j in term) for term in self.generators)

    def design(self) -> tuple[np.ndarray, list[str]]:
        """Design matrix of the ``2**J - 1`` observed cells, intercept first, and column names.

        Heterogeneity columns are functions of the number of lists k a cell is on (Rivest &
        Baillargeon 2014, ``Xclosedp``): Chao lower bound ``max(k - j + 1, 0)`` for
        ``j = 3..J`` (Rivest & Lévesque 2001), Poisson2 ``2**k - 1``, Darroch ``k**2 / 2``
        (Darroch et al. 1993), Gamma3.5 ``-log(3.5 + k) + log(3.5)``.
        """
        patterns = capture_patterns(self.n_lists)
        k = patterns.sum(axis=1)
        columns = [np.ones(patterns.shape[0])]
        names = ["intercept"]
        if self.family in ("M0", "Mh"):
            columns.append(k)
            names.append("beta")
        else:
            for term in self.terms:
                columns.append(patterns[:, list(term)].prod(axis=1))
                names.append("x".join(str(j + 1) for j in term))
        het = self.heterogeneity
        if het == "chao":
            for j in range(3, self.n_lists + 1):
                columns.append(np.maximum(k - j + 1, 0.0))
                names.append(f"eta{j}")
        elif het == "poisson2":
            columns.append(2.0**k - 1.0)
            names.append("tau")
        elif het == "darroch":
            columns.append(k**2 / 2.0)
            names.append("tau")
        elif het == "gamma3.5":
            columns.append(-np.log(3.5 + k) + math.log(3.5))
            names.append("tau")
        return np.column_stack(columns), names


# ---------------------------------------------------------------------------- constructors


def _all_terms_below(generators: Iterable[Term]) -> list[Term]:
    terms: set[Term] = set()
    for gen in generators:
        for order in range(1, len(gen) + 1):
            terms.update(itertools.combinations(sorted(gen), order))
    return sorted(terms, key=lambda t: (len(t), t))


def _bracket_name(generators: Sequence[Term], n_lists: int) -> str:
    sep = "" if n_lists <= 9 else "."
    ordered = sorted(generators, key=lambda t: (-len(t), t))
    return "[" + ",".join(sep.join(str(j + 1) for j in g) for g in ordered) + "]"


def hierarchical_model(generators: Iterable[Sequence[int]], n_lists: int) -> LoglinearModel:
    """The hierarchical model generated by ``generators`` (0-based list indices).

    Every main effect is added, so ``hierarchical_model([], J)`` is list independence.

    Raises
    ------
    ValidationError
        If a term names a list outside ``0..J-1`` or is the J-way interaction, which the
        incomplete table cannot identify.
    """
    problems = []
    gens: list[Term] = []
    for raw in generators:
        term = tuple(sorted({int(j) for j in raw}))
        if any(j < 0 or j >= n_lists for j in term):
            problems.append(f"term {list(raw)} names a list outside 1..{n_lists}")
            continue
        if len(term) == n_lists and n_lists > 1:
            problems.append(
                f"the {n_lists}-way interaction cannot be estimated: the table has no cell for "
                "people on no list, so the highest-order interaction must be zero"
            )
            continue
        if term:
            gens.append(term)
    if problems:
        raise ValidationError("invalid log-linear model", problems)
    gens.extend((j,) for j in range(n_lists))
    terms = tuple(_all_terms_below(gens))
    sets = [set(t) for t in terms]
    maximal = [t for t, s in zip(terms, sets, strict=True) if not any(s < o for o in sets)]
    return LoglinearModel(
        name=_bracket_name(maximal, n_lists), n_lists=n_lists, terms=terms, family="hierarchical"
    )


def closedp_model(name: str, n_lists: int) -> LoglinearModel:
    """One of Rcapture's ``closedp.t`` models by name (see :data:`CLOSEDP_MODELS`).

    Names are matched without regard to case or spaces, and ``"Chao"``/``"LB"`` both mean the
    Chao lower-bound heterogeneity (``"Mh Chao"`` is ``"Mh Chao (LB)"``).
    """
    key = re.sub(r"[\s()]", "", name).lower()
    aliases = {re.sub(r"[\s()]", "", m).lower(): m for m in CLOSEDP_MODELS}
    for m in CLOSEDP_MODELS:
        if "Chao" in m:
            family = m.split()[0].lower()
            aliases[f"{family}chao"] = m
            aliases[f"{family}lb"] = m
    if key not in aliases:
        raise ValidationError(
            f"unknown log-linear model {name!r}; use one of {list(CLOSEDP_MODELS)}, 'best', "
            "'closedp', or a hierarchical model such as '[12,3]'"
        )
    canonical = aliases[key]
    family, _, het = canonical.partition(" ")
    if family in ("Mh", "Mth") and n_lists < 3:
        raise ValidationError(
            f"model {canonical!r} needs at least 3 lists, the table has {n_lists}"
        )
    mains = tuple((j,) for j in range(n_lists))
    return LoglinearModel(
        name=canonical,
        n_lists=n_lists,
        terms=() if family in ("M0", "Mh") else mains,
        family=family,
        heterogeneity=_HETEROGENEITY.get(het),
    )


def parse_model_name(name: str, n_lists: int) -> LoglinearModel:
    """Parse an Rcapture bracket name such as ``"[123,14,34]"`` (lists numbered from 1)."""
    text = name.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise ValidationError(f"a hierarchical model name looks like '[12,3]', got {name!r}")
    body = text[1:-1].strip()
    generators: list[list[int]] = []
    problems = []
    for part in filter(None, (p.strip() for p in body.split(","))):
        digits = part.split(".") if "." in part else list(part)
        try:
            generators.append([int(d) - 1 for d in digits])
        except ValueError:
            problems.append(f"{part!r} is not a term of list numbers")
    if problems:
        raise ValidationError(f"cannot parse model name {name!r}", problems)
    return hierarchical_model(generators, n_lists)


# ---------------------------------------------------------------------------- enumeration


def _hierarchical_families(n_lists: int, max_order: int) -> Iterator[list[Term]]:
    """Every down-closed set of interaction terms of order 2..max_order (backtracking)."""
    candidates = [
        t
        for order in range(2, max_order + 1)
        for t in itertools.combinations(range(n_lists), order)
    ]
    chosen: set[Term] = set()

    def allowed(term: Term) -> bool:
        if len(term) == 2:
            return True
        return all(sub in chosen for sub in itertools.combinations(term, len(term) - 1))

    def walk(i: int) -> Iterator[list[Term]]:
        if i == len(candidates):
            yield sorted(chosen, key=lambda t: (len(t), t))
            return
        term = candidates[i]
        if allowed(term):
            chosen.add(term)
            yield from walk(i + 1)
            chosen.remove(term)
        yield from walk(i + 1)

    yield from walk(0)


def _check_max_order(n_lists: int, max_order: int | None) -> int:
    if max_order is None:
        return max(n_lists - 1, 1)
    if not isinstance(max_order, int | np.integer) or not 1 <= max_order <= max(n_lists - 1, 1):
        raise ValidationError(
            f"max_order must be an integer from 1 to {max(n_lists - 1, 1)} (J - 1) for "
            f"{n_lists} lists, got {max_order!r}"
        )
    return int(max_order)


def count_hierarchical_models(n_lists: int, max_order: int | None = None, limit: int = 0) -> int:
    """Number of hierarchical models with all main effects and interactions up to max_order.

    Stops counting at ``limit + 1`` when ``limit`` is positive, so that a caller can refuse an
    enumeration that would be too long without paying for it. Rcapture's counts: 8 models
    for 3 lists, 113 for 4, 6,893 for 5 (``max_order = J - 1``).
    """
    max_order = _check_max_order(n_lists, max_order)
    count = 0
    for _ in _hierarchical_families(n_lists, max_order):
        count += 1
        if limit and count > limit:
            break
    return count


def hierarchical_models(n_lists: int, max_order: int | None = None) -> list[LoglinearModel]:
    """Every hierarchical model with all main effects and interactions up to ``max_order``.

    This is the model set of Rcapture's ``closedpMS.t(maxorder=max_order)`` with main effects
    forced; ``max_order`` defaults to J - 1, the largest order the incomplete table identifies.
    """
    max_order = _check_max_order(n_lists, max_order)
    models = []
    for family in _hierarchical_families(n_lists, max_order):
        mains = [(j,) for j in range(n_lists)]
        terms = tuple(mains + family)
        sets = [set(t) for t in terms]
        maximal = [t for t, s in zip(terms, sets, strict=True) if not any(s < o for o in sets)]
        models.append(
            LoglinearModel(
                name=_bracket_name(maximal, n_lists),
                n_lists=n_lists,
                terms=terms,
                family="hierarchical",
            )
        )
    return models


# ---------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class PoissonFit:
    """Maximum likelihood fit of a Poisson log-linear model with full-rank design.

    Parameters
    ----------
    coef : numpy.ndarray
        Coefficients, one per design column.
    fitted : numpy.ndarray
        Expected counts.
    cov : numpy.ndarray
        Inverse Fisher information (the asymptotic covariance of ``coef``).
    deviance : float
        ``2 * sum(y log(y / mu) - (y - mu))``.
    loglik : float
        Poisson log-likelihood, ``log y!`` included (R's ``logLik.glm``).
    converged : bool
    iterations : int
    """

    coef: np.ndarray
    fitted: np.ndarray
    cov: np.ndarray
    deviance: float
    loglik: float
    converged: bool
    iterations: int


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """Poisson deviance ``2 * sum(y log(y / mu) - (y - mu))``, with ``0 log 0 = 0``."""
    return float(2.0 * np.sum(xlogy(y, y) - xlogy(y, mu) - (y - mu)))


def fit_poisson(
    design: np.ndarray,
    counts: np.ndarray,
    *,
    start: np.ndarray | None = None,
    max_iter: int = 200,
    tol: float = 1e-12,
) -> PoissonFit:
    """Fit a Poisson GLM with log link by damped Newton–Raphson (IRLS with step halving).

    The first step is R's ``glm`` start (weighted least squares on ``log(y + 0.1)``); each
    Newton step is solved by least squares on the weighted design, and halved until the
    log-likelihood does not decrease, so the iteration cannot diverge on a concave
    likelihood. Once the Newton decrement ``score' I^-1 score`` falls below ``tol`` times
    ``1 + sum(y)``, a last full step is taken and the iteration stops.

    Parameters
    ----------
    design : numpy.ndarray
        ``(n_cells, p)`` design matrix of full column rank.
    counts : numpy.ndarray
        Observed counts (need not be whole numbers).
    start : numpy.ndarray, optional
        Starting coefficients (a warm start).

    Returns
    -------
    PoissonFit

    References
    ----------
    McCullagh, P. and Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed., Section 2.5
    (iteratively reweighted least squares).
    """
    x = np.asarray(design, dtype=np.float64)
    y = np.asarray(counts, dtype=np.float64)

    def loglik_core(eta: np.ndarray) -> float:
        return float(np.sum(y * eta - np.exp(eta)))

    if start is None:
        mu = y + 0.1
        eta = np.log(mu)
        z = eta + (y - mu) / mu
        w = np.sqrt(mu)
        beta, *_ = np.linalg.lstsq(x * w[:, None], z * w, rcond=None)
    else:
        beta = np.asarray(start, dtype=np.float64).copy()
    eta = np.clip(x @ beta, -700.0, 700.0)
    current = loglik_core(eta)
    converged = False
    iteration = 0
    scale = 1.0 + float(y.sum())
    for iteration in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        mu = np.exp(eta)
        w = np.sqrt(mu)
        step, *_ = np.linalg.lstsq(x * w[:, None], (y - mu) / np.where(w > 0, w, 1.0), rcond=None)
        decrement = float((x.T @ (y - mu)) @ step)
        if abs(decrement) < tol * scale:
            # Close enough for Newton's quadratic convergence: one last full step brings the
            # coefficients to machine precision.
            beta = beta + step
            eta = np.clip(x @ beta, -700.0, 700.0)
            converged = True
            break
        t = 1.0
        while True:
            trial = beta + t * step
            trial_eta = np.clip(x @ trial, -700.0, 700.0)
            value = loglik_core(trial_eta)
            if np.isfinite(value) and value >= current - 1e-12 * abs(current):
                break
            t /= 2.0
            if t < 1e-12:
                break
        if t < 1e-12:
            break
        beta, eta, current = trial, trial_eta, value
    mu = np.exp(eta)
    info = x.T @ (x * mu[:, None])
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.full_like(info, np.nan)
    loglik = float(np.sum(xlogy(y, mu) - mu - gammaln(y + 1.0)))
    return PoissonFit(
        coef=beta,
        fitted=mu,
        cov=cov,
        deviance=poisson_deviance(y, mu),
        loglik=loglik,
        converged=converged,
        iterations=iteration,
    )


@dataclass(frozen=True)
class ModelFit:
    """One log-linear model fitted to one table, with Rcapture's fit statistics.

    ``deviance``, ``df``, ``aic`` and ``bic`` follow R's ``glm`` and Rcapture: the
    log-likelihood includes ``log y!``, the number of parameters is the rank of the design
    over all observed cells, and ``bic = aic + (log(n) - 2) * rank`` with n the number of
    people observed. When the MLE does not exist these describe the extended MLE.
    """

    model: LoglinearModel
    estimate: float
    stderr: float
    deviance: float
    df: int
    aic: float
    bic: float
    exists: bool
    estimable: bool
    converged: bool
    bias: float
    coef: dict[str, float]
    design: np.ndarray = field(repr=False)
    facial_set: np.ndarray = field(repr=False)
    removed: tuple[str, ...] = ()
    chao_from: int | None = None
    empty_overlaps: tuple[tuple[int, int], ...] = ()
    zeros_are_structural: bool = False

    @property
    def only_empty_overlaps(self) -> bool:
        """The MLE fails to exist only because of lists that never overlap.

        True when the cells the extended MLE fits as 0 are exactly the cells holding a pair of
        lists that share nobody and whose interaction is in the model: that interaction is
        then minus infinity and those cells are structurally empty, the extended MLE that
        SparseMSE fits (Chan, Silverman & Vincent 2021, Section 3).
        """
        return not self.exists and bool(self.empty_overlaps) and self.zeros_are_structural

    @property
    def usable(self) -> bool:
        """Fit to trust in model selection.

        The MLE exists (or fails to exist only through never-overlapping lists), N is
        estimable and finite, and the fit converged.
        """
        return (
            (self.exists or self.only_empty_overlaps)
            and self.estimable
            and self.converged
            and math.isfinite(self.estimate)
        )


def _rcapture_bias(design: np.ndarray, fit: PoissonFit) -> float:
    """Asymptotic bias of ``exp(intercept)`` (Rcapture's ``closedp.fitone``).

    References
    ----------
    Rivest, L.-P. and Lévesque, T. (2001). Improved log-linear model estimators of abundance
    in capture-recapture experiments. *Canadian Journal of Statistics* 29, 555–572.
    """
    v = fit.cov
    if not np.isfinite(v).all():
        return float("nan")
    xi = -0.5 * np.einsum("ij,jk,ik->i", design, v, design)
    psi = -2.0 * design.T @ (fit.fitted * xi)
    psi[0] -= 1.0
    vec1 = -v @ psi
    return float(0.5 * math.exp(min(fit.coef[0], 700.0)) * vec1[0])


def _fit_on_face(
    design: np.ndarray, counts: np.ndarray, facial: np.ndarray
) -> tuple[PoissonFit, np.ndarray, np.ndarray]:
    """Fit on the facial cells with a full-rank column subset; returns fit, columns, mu."""
    on_face = design[facial]
    columns = column_basis(on_face)
    fit = fit_poisson(on_face[:, columns], counts[facial])
    mu = np.zeros(counts.shape[0])
    mu[facial] = fit.fitted
    return fit, columns, mu


@dataclass
class FaceFit:
    """A fit on the facial set: the final design (after eta removal) and what it gave."""

    design: np.ndarray
    names: list[str]
    facial_set: np.ndarray
    exists: bool
    estimable: bool
    fit: PoissonFit
    columns: np.ndarray
    fitted: np.ndarray
    coef: dict[str, float]
    removed: list[str]


def fit_removing_negative_etas(
    design: np.ndarray,
    names: list[str],
    counts: np.ndarray,
    *,
    chao_from: int | None,
    facial_set: np.ndarray | None = None,
) -> FaceFit:
    """Fit on the facial set; for Chao models drop the first negative eta and refit, repeatedly.

    ``chao_from`` is the index of the first eta column (Rcapture's ``nca``), or None for a
    model without Chao heterogeneity. An eta whose column is zero on every facial cell serves
    only cells fitted as 0, so its MLE is minus infinity: Rcapture's GLM drives it there and
    removes it as negative, and so is it here. ``facial_set`` skips the existence check when
    the caller already knows it (it cannot change unless a column is removed).
    """
    removed: list[str] = []
    while True:
        if facial_set is None or removed:
            existence = check_existence(design, counts)
            facial, exists, estimable = existence.facial_set, existence.exists, existence.estimable
        else:
            facial, exists, estimable = facial_set, bool(facial_set.all()), True
        fit, columns, mu = _fit_on_face(design, counts, facial)
        coef = dict.fromkeys(names, float("nan"))
        for j, value in zip(columns, fit.coef, strict=True):
            coef[names[j]] = float(value)
        if chao_from is None:
            break
        on_face = design[facial]
        negative = [
            j
            for j in range(chao_from, len(names))
            if (np.isfinite(coef[names[j]]) and coef[names[j]] < 0)
            or not np.any(on_face[:, j] != 0)
        ]
        if not negative:
            break
        drop = negative[0]
        removed.append(names[drop])
        design = np.delete(design, drop, axis=1)
        names = names[:drop] + names[drop + 1 :]
    return FaceFit(design, names, facial, exists, estimable, fit, columns, mu, coef, removed)


def fit_loglinear_model(model: LoglinearModel, counts: np.ndarray) -> ModelFit:
    """Fit ``model`` to the observed cells ``counts`` (length ``2**J - 1``, cell order).

    Checks existence of the MLE first; if it does not exist, fits the extended MLE on the
    facial set (cells outside it are fitted as 0) and reports N only if it is estimable. For
    the Chao lower-bound heterogeneity models, negative eta parameters are removed one at a
    time and the model refitted, as Rcapture does (Rivest & Lévesque 2001).

    References
    ----------
    Fienberg & Rinaldo (2012), Section 3 (extended MLE); Baillargeon & Rivest (2007),
    Section 2 (the models and N = n + exp(intercept)).
    """
    counts = np.asarray(counts, dtype=np.float64)
    n = float(counts.sum())
    full_design, full_names = model.design()
    chao_from = model.n_heterogeneity_free if model.heterogeneity == "chao" else None
    face = fit_removing_negative_etas(full_design, full_names, counts, chao_from=chao_from)
    design, fit, mu = face.design, face.fit, face.fitted
    rank = column_basis(design).size
    loglik = float(np.sum(xlogy(counts, mu) - mu - gammaln(counts + 1.0)))
    aic = -2.0 * loglik + 2.0 * rank
    bic = aic + (math.log(n) - 2.0) * rank if n > 0 else float("nan")
    if face.estimable:
        intercept = fit.coef[0]
        unobserved = math.exp(intercept) if intercept < 700 else float("inf")
        estimate = n + unobserved
        var0 = fit.cov[0, 0]
        stderr = math.sqrt(unobserved + unobserved**2 * var0) if var0 >= 0 else float("nan")
        bias = _rcapture_bias(design[face.facial_set][:, face.columns], fit)
    else:
        estimate = stderr = bias = float("nan")
    patterns = capture_patterns(model.n_lists).astype(bool)
    empty = tuple(
        (i, j)
        for term in model.terms
        if len(term) == 2
        for i, j in [term]
        if counts[patterns[:, i] & patterns[:, j]].sum() == 0
    )
    structural = np.zeros(counts.size, dtype=bool)
    for i, j in empty:
        structural |= patterns[:, i] & patterns[:, j]
    return ModelFit(
        model=model,
        estimate=estimate,
        stderr=stderr,
        deviance=max(poisson_deviance(counts, mu), 0.0),
        df=int(counts.size - rank),
        aic=aic,
        bic=bic,
        exists=face.exists,
        estimable=face.estimable,
        converged=fit.converged,
        bias=bias,
        coef=face.coef,
        design=design,
        facial_set=face.facial_set,
        removed=tuple(face.removed),
        chao_from=chao_from,
        empty_overlaps=empty,
        zeros_are_structural=bool(np.array_equal(~face.facial_set, structural)),
    )
