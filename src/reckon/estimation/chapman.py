"""Chapman's two-list estimator: the Lincoln–Petersen estimate, corrected for small overlaps.

With two lists of ``n1`` and ``n2`` people, ``m`` of them on both, the Lincoln–Petersen
estimate ``n1 n2 / m`` assumes the lists are independent and everyone equally likely to be
recorded; Chapman's modification ``(n1 + 1)(n2 + 1) / (m + 1) - 1`` removes most of its bias
and stays finite when the lists do not overlap. Both assumptions are strong for
documentation lists: with three or more lists use :class:`~reckon.estimation.LogLinear`
(which models list dependence) or LCMCR (which models heterogeneity).
"""

from __future__ import annotations

import math
from typing import Self

from scipy.stats import norm

from reckon.errors import ValidationError
from reckon.estimation.base import Estimator
from reckon.estimation.capture_histories import CaptureHistories
from reckon.estimation.results import EstimateResult

__all__ = ["Chapman", "chapman_estimate"]

#: Below this many people on both lists, Chapman's estimator is noticeably biased
#: (Robson & Regier 1964).
_MIN_OVERLAP = 7


def chapman_estimate(n1: int, n2: int, m: int, level: float = 0.95) -> dict[str, float]:
    """Chapman's estimate of N, its variance and the log-normal interval.

    Parameters
    ----------
    n1, n2 : int
        People on list 1 and on list 2.
    m : int
        People on both lists (``m <= min(n1, n2)``).
    level : float
        Coverage of the interval.

    Returns
    -------
    dict
        ``estimate`` ``(n1 + 1)(n2 + 1)/(m + 1) - 1`` (Chapman 1951); ``variance``
        ``(n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)^2 (m + 2))`` (Seber 1970; Wittes
        1972); ``lower`` and ``upper``, the log-normal interval of Chao (1987):
        with ``f0 = N - n`` the estimated number of people on neither list and
        ``C = exp(z sqrt(log(1 + var / f0^2)))``, the interval is ``[n + f0 / C, n + f0 C]``.

    Notes
    -----
    The log-normal interval is built on the unobserved count ``f0``, so its lower limit is
    never below the ``n = n1 + n2 - m`` people observed and it is skewed to the right like the
    sampling distribution of N; the symmetric Wald interval ``N ± z se`` can fall below the
    observed count and undercovers for small overlaps (Chao 1987; Sadinle 2009). Chapman's
    ``f0`` equals ``(n1 - m)(n2 - m) / (m + 1)``, so it is never negative.

    References
    ----------
    Chapman, D. G. (1951). Some properties of the hypergeometric distribution with
    applications to zoological sample censuses. *University of California Publications in
    Statistics* 1, 131–160.

    Seber, G. A. F. (1970). The effects of trap response on tag recapture estimates.
    *Biometrics* 26, 13–22.

    Wittes, J. T. (1972). On the bias and estimated variance of Chapman's two-sample
    capture-recapture population estimate. *Biometrics* 28, 592–597.

    Chao, A. (1987). Estimating the population size for capture-recapture data with unequal
    catchability. *Biometrics* 43, 783–791 (the log-transformed interval, Section 2).

    Sadinle, M. (2009). Transformed logit confidence intervals for small populations in
    single capture-recapture estimation. *Communications in Statistics – Simulation and
    Computation* 38, 1909–1924.
    """
    problems = []
    for name, value in (("n1", n1), ("n2", n2), ("m", m)):
        if not isinstance(value, int) or value < 0:
            problems.append(f"{name} must be a non-negative integer, got {value!r}")
    if not problems and m > min(n1, n2):
        problems.append(f"the overlap m={m} cannot exceed either list (n1={n1}, n2={n2})")
    if not 0 < level < 1:
        problems.append(f"level must be between 0 and 1, got {level!r}")
    if problems:
        raise ValidationError("invalid two-list counts", problems)
    observed = n1 + n2 - m
    unobserved = (n1 - m) * (n2 - m) / (m + 1)
    estimate = observed + unobserved
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    if unobserved > 0:
        z = norm.ppf(0.5 + level / 2.0)
        c = math.exp(z * math.sqrt(math.log1p(variance / unobserved**2)))
        lower, upper = observed + unobserved / c, observed + unobserved * c
    else:
        lower = upper = float(observed)
    return {
        "estimate": estimate,
        "variance": variance,
        "stderr": math.sqrt(variance),
        "lower": lower,
        "upper": upper,
        "observed": float(observed),
    }


class Chapman(Estimator):
    """Chapman's bias-corrected Lincoln–Petersen estimator for exactly two lists.

    Parameters
    ----------
    level : float
        Coverage of the log-normal interval (Chao 1987).

    Attributes
    ----------
    result_ : EstimateResult
        Estimate, interval and the counts ``n1``, ``n2``, ``m`` in ``diagnostics``.

    Notes
    -----
    Assumes the two lists record people independently and that everyone is equally likely
    to be on each list; neither can be checked with two lists. Positive dependence between
    the lists (the same victims reach both organisations) biases the estimate down.

    References
    ----------
    Chapman (1951); Seber (1970); Wittes (1972); Chao (1987): see :func:`chapman_estimate`.

    Examples
    --------
    >>> import pandas as pd
    >>> from reckon.estimation import CaptureHistories
    >>> table = CaptureHistories.from_frame(
    ...     pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 1], "count": [30, 70, 20]})
    ... )
    >>> round(Chapman().fit(table).result_.estimate, 1)
    165.2
    """

    method = "chapman"

    def __init__(self, level: float = 0.95) -> None:
        self.level = level

    def fit(self, table: CaptureHistories) -> Self:
        """Estimate N from a two-list table; sets ``result_`` and returns self.

        Raises
        ------
        ValidationError
            If the table does not have exactly two lists, is stratified, or is empty.
        """
        if isinstance(table, CaptureHistories) and table.n_lists != 2:
            raise ValidationError(
                f"Chapman's estimator needs exactly 2 lists, the table has {table.n_lists} "
                f"({', '.join(table.lists)}); use LogLinear (log-linear models) or LCMCR "
                "(latent classes) for three or more lists"
            )
        table = self._check_table(table, min_lists=2, max_lists=2)
        if not isinstance(self.level, float | int) or not 0 < self.level < 1:
            raise ValidationError(f"level must be between 0 and 1, got {self.level!r}")
        cells = table.cell_counts()
        n1 = int(cells[1] + cells[3])
        n2 = int(cells[2] + cells[3])
        m = int(cells[3])
        values = chapman_estimate(n1, n2, m, float(self.level))
        collector = self._warnings()
        if m == 0:
            collector.warn(
                f"lists {table.lists[0]} and {table.lists[1]} share nobody: the estimate "
                f"{values['estimate']:,.0f} rests on Chapman's +1 correction alone and "
                "says little about the population"
            )
        elif m < _MIN_OVERLAP:
            collector.warn(
                f"only {m} people are on both lists; with fewer than {_MIN_OVERLAP} Chapman's "
                "estimator is noticeably biased and its interval unreliable (Robson & Regier "
                "1964)"
            )
        self.result_ = EstimateResult(
            method="chapman",
            observed=table.observed,
            estimate=values["estimate"],
            interval=(values["lower"], values["upper"]),
            level=float(self.level),
            diagnostics={
                "n1": n1,
                "n2": n2,
                "m": m,
                "stderr": values["stderr"],
                "lincoln_petersen": n1 * n2 / m if m else float("inf"),
                "interval": "log-normal on the unobserved count (Chao 1987)",
            },
            warnings=collector.messages,
            provenance=self._provenance(table, None),
        )
        return self
