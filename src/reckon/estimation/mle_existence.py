"""Does a log-linear model's maximum likelihood estimate exist on this table?

Zero cells can push the Poisson MLE of a log-linear model to infinity: the likelihood keeps
increasing as some parameters go to minus (or plus) infinity and some fitted cells go to
zero. A GLM fitter then stops at an arbitrary point far along that path and prints an
arbitrary, often enormous, estimate of N. Whether this happens depends only on which cells
are zero and on the design matrix, and is decided exactly by linear programming (Fienberg &
Rinaldo 2012): the MLE exists if and only if the sufficient statistics ``t = X'y`` lie in the
relative interior of the marginal cone, i.e. some strictly positive table ``mu`` has the same
sufficient statistics, ``X'mu = t``. SparseMSE's ``checkident`` solves that primal linear
program (Chan, Silverman & Vincent 2021); here its dual is solved, which asks for a direction
of recession of the likelihood (Geyer 2009) and yields the facial set in one program.

When the MLE does not exist, the *facial set* F is the set of cells that some non-negative
``mu`` with ``X'mu = t`` makes positive. The extended MLE fits the model on F and sets the
cells outside F to zero (Fienberg & Rinaldo 2012, Section 3). N is then still estimable if
the unobserved cell's design row lies in the row space of the design restricted to F;
otherwise N is not identified by the data under that model.

References
----------
Fienberg, S. E. and Rinaldo, A. (2012). Maximum likelihood estimation in log-linear models.
*Annals of Statistics* 40, 996–1023 (Theorem 3.3; the linear program of Section 4.2).

Geyer, C. J. (2009). Likelihood inference in exponential families and directions of
recession. *Electronic Journal of Statistics* 3, 259–289 (Theorems 1 and 3).

Chan, L., Silverman, B. W. and Vincent, K. (2021). Multiple systems estimation for sparse
capture data: inferential challenges when there are nonoverlapping lists. *Journal of the
American Statistical Association* 116, 1297–1306.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

__all__ = ["Existence", "check_existence", "column_basis", "is_estimable"]

#: Relative tolerance of the rank decisions.
_RANK_TOL = 1e-9


@dataclass(frozen=True)
class Existence:
    """Outcome of the existence check of one model on one table.

    Parameters
    ----------
    exists : bool
        The MLE exists (every cell is in the facial set).
    facial_set : numpy.ndarray
        Boolean mask over the observed cells: cells that the (extended) MLE fits as positive.
    estimable : bool
        The unobserved cell's expected count, hence N, is determined by the (extended) MLE.
    """

    exists: bool
    facial_set: np.ndarray
    estimable: bool


def _rank(matrix: np.ndarray) -> int:
    if matrix.size == 0:
        return 0
    singular = np.linalg.svd(matrix, compute_uv=False)
    return int(np.sum(singular > _RANK_TOL * max(singular[0], 1.0) * max(matrix.shape)))


def column_basis(design: np.ndarray) -> np.ndarray:
    """Indices of a maximal set of linearly independent columns, keeping earlier ones first.

    Like R's ``glm``, a column that is a combination of earlier columns is dropped, so the
    intercept (column 0) always stays.
    """
    # Gram-Schmidt in column order, orthogonalising twice for stability: a column whose
    # residual against the kept ones is negligible next to its own length is dropped.
    kept: list[int] = []
    basis = np.zeros((design.shape[0], 0))
    for j in range(design.shape[1]):
        column = design[:, j].astype(np.float64)
        norm = float(np.linalg.norm(column))
        if norm == 0.0:
            continue
        residual = column - basis @ (basis.T @ column)
        residual -= basis @ (basis.T @ residual)
        length = float(np.linalg.norm(residual))
        if length > 1e-9 * norm:
            kept.append(j)
            basis = np.column_stack([basis, residual / length])
    return np.asarray(kept, dtype=np.int64)


def is_estimable(design: np.ndarray, row: np.ndarray) -> bool:
    """Whether ``row @ beta`` is the same for every least-squares solution of ``design``.

    True when ``row`` lies in the row space of ``design``.
    """
    if design.shape[0] == 0:
        return False
    return _rank(np.vstack([design, row])) == _rank(design)


def _facial_set(design: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cells that the extended MLE fits as positive.

    A zero cell is outside the facial set when some direction ``d`` of the parameters keeps
    every positive cell's linear predictor fixed (``X_P d = 0``), lowers none of the zero cells'
    likelihood (``X_Z d <= 0``) and sends that cell's predictor down (``(X_Z d)_i < 0``): along
    ``d`` the likelihood never decreases and the cell's fitted count goes to zero (a direction
    of recession, Geyer 2009). Directions add up and scale freely, so one linear program finds
    every such cell: maximise ``sum(w)`` subject to ``X_P d = 0``, ``X_Z d <= 0`` and
    ``0 <= w_i <= min(1, -(X_Z d)_i)``; the cells with ``w_i = 1`` are outside the facial set.

    When ``X_P`` has full column rank, ``d = 0`` is the only such direction and the MLE exists
    without solving anything.
    """
    positive = counts > 0
    zero = np.flatnonzero(~positive)
    facial = np.ones(counts.size, dtype=bool)
    if zero.size == 0 or _rank(design[positive]) == design.shape[1]:
        return facial
    n_par, n_zero = design.shape[1], zero.size
    x_zero = design[zero]
    # variables: d (n_par, free) then w (n_zero, in [0, 1])
    objective = np.concatenate([np.zeros(n_par), -np.ones(n_zero)])
    a_eq = np.hstack([design[positive], np.zeros((int(positive.sum()), n_zero))])
    a_ub = np.vstack(
        [
            np.hstack([x_zero, np.zeros((n_zero, n_zero))]),  # X_Z d <= 0
            np.hstack([x_zero, np.eye(n_zero)]),  # w + X_Z d <= 0
        ]
    )
    solution = linprog(
        objective,
        A_ub=a_ub,
        b_ub=np.zeros(2 * n_zero),
        A_eq=a_eq if a_eq.shape[0] else None,
        b_eq=np.zeros(a_eq.shape[0]) if a_eq.shape[0] else None,
        bounds=[(None, None)] * n_par + [(0.0, 1.0)] * n_zero,
        method="highs",
    )
    if solution.status != 0:  # pragma: no cover - d = 0, w = 0 is always feasible and bounded
        raise RuntimeError(f"existence linear program failed: {solution.message}")
    facial[zero[solution.x[n_par:] > 0.5]] = False
    return facial


def check_existence(design: np.ndarray, counts: np.ndarray) -> Existence:
    """Check whether the Poisson MLE of a log-linear model exists, and whether N is estimable.

    Parameters
    ----------
    design : numpy.ndarray
        ``(n_cells, p)`` design matrix of the observed cells, intercept in column 0. The
        unobserved cell's design row is taken to be ``(1, 0, ..., 0)``.
    counts : numpy.ndarray
        Observed counts of the cells.

    Returns
    -------
    Existence

    References
    ----------
    Fienberg & Rinaldo (2012), Theorem 3.3 and Section 4.2; Geyer (2009), Theorem 3 (the
    dual, directions of recession); SparseMSE's ``checkident`` (Chan, Silverman & Vincent
    2021) solves the primal program.
    """
    design = np.asarray(design, dtype=np.float64)
    counts = np.asarray(counts, dtype=np.float64)
    facial = _facial_set(design, counts)
    exists = bool(facial.all())
    unobserved = np.zeros(design.shape[1])
    unobserved[0] = 1.0
    estimable = is_estimable(design[facial], unobserved)
    return Existence(exists=exists, facial_set=facial, estimable=estimable)
