"""Convergence diagnostics of Markov chain Monte Carlo draws: R-hat and effective sample size.

Implements the rank-normalised split R-hat and the bulk and tail effective sample sizes of
Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021), which are what Stan and ArviZ report:

- :func:`rhat`: the larger of the split R-hat of the rank-normalised draws (location) and of the
  rank-normalised folded draws ``|x - median|`` (scale); above 1.01 the chains disagree;
- :func:`ess_bulk`: effective sample size of the rank-normalised split chains, for the centre
  of the distribution (medians, means);
- :func:`ess_tail`: the smaller effective sample size of the indicators ``x <= q05`` and
  ``x <= q95``, for interval limits;
- :func:`ess_basic` and :func:`rhat_basic`: the classical versions on the raw draws.

All functions take an array of shape ``(chains, draws)`` (a 1-d array is one chain) and return
``nan`` when a quantity is undefined (constant draws, fewer than four draws per chain).

References
----------
Vehtari, A., Gelman, A., Simpson, D., Carpenter, B. and Bürkner, P.-C. (2021). Rank-
normalization, folding, and localization: an improved R-hat for assessing convergence of MCMC.
*Bayesian Analysis* 16(2), 667–718. https://doi.org/10.1214/20-BA1221

Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari, A. and Rubin, D. B. (2013).
*Bayesian Data Analysis*, 3rd ed., section 11.4–11.5. CRC Press.

Geyer, C. J. (1992). Practical Markov chain Monte Carlo. *Statistical Science* 7(4), 473–483.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from reckon.errors import ValidationError

__all__ = [
    "ess_basic",
    "ess_bulk",
    "ess_tail",
    "rank_normalize",
    "rhat",
    "rhat_basic",
    "split_chains",
]


def _as_chains(draws: np.ndarray) -> np.ndarray:
    """Draws as a float ``(chains, draws)`` array; a 1-d array is one chain."""
    array = np.asarray(draws, dtype=float)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValidationError(f"draws must be a (chains, draws) array, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValidationError("draws must be finite numbers (found NaN or infinity)")
    return array


def split_chains(draws: np.ndarray) -> np.ndarray:
    """Split every chain into its first and second half: ``(m, n)`` to ``(2m, n // 2)``.

    With an odd number of draws the middle draw is dropped. Splitting lets R-hat detect a
    chain that is still drifting (its halves disagree) as well as chains that disagree.
    """
    array = _as_chains(draws)
    half = array.shape[1] // 2
    return np.concatenate([array[:, :half], array[:, array.shape[1] - half :]], axis=0)


def rank_normalize(draws: np.ndarray) -> np.ndarray:
    """Normal scores of the pooled ranks: ``Phi^-1((r - 3/8) / (S + 1/4))``.

    Ranks are taken over all chains together (ties get their average rank), as in Vehtari et
    al. (2021, eq. 14); the result has the shape of ``draws``.
    """
    array = _as_chains(draws)
    ranks = stats.rankdata(array, method="average").reshape(array.shape)
    return special.ndtri((ranks - 0.375) / (array.size + 0.25))


def rhat_basic(draws: np.ndarray) -> float:
    """Classical potential scale reduction factor on the chains as given (no split, no ranks).

    ``sqrt(var_plus / W)`` with ``W`` the mean within-chain variance and ``var_plus = (n - 1) / n
    W + B / n`` (Gelman et al. 2013, eq. 11.3–11.4).
    """
    array = _as_chains(draws)
    n_chains, n = array.shape
    if n < 2:
        return math.nan
    within = float(np.mean(np.var(array, axis=1, ddof=1)))
    if within <= 0.0:
        return math.nan
    between = n * float(np.var(np.mean(array, axis=1), ddof=1)) if n_chains > 1 else 0.0
    var_plus = (n - 1) / n * within + between / n
    return math.sqrt(var_plus / within)


def rhat(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) versions.

    Vehtari et al. (2021, section 4.2): split each chain in halves, rank-normalise, compute the
    classical R-hat; do the same for the folded draws ``|x - median(x)|``; report the maximum.
    Values above 1.01 mean the chains have not mixed.

    Returns ``nan`` for constant draws or fewer than four draws per chain.
    """
    array = _as_chains(draws)
    if array.shape[1] < 4 or np.ptp(array) == 0.0:
        return math.nan
    split = split_chains(array)
    bulk = rhat_basic(rank_normalize(split))
    folded = np.abs(split - np.median(split))
    tail = rhat_basic(rank_normalize(folded)) if np.ptp(folded) > 0.0 else math.nan
    values = [v for v in (bulk, tail) if not math.isnan(v)]
    return max(values) if values else math.nan


def _autocovariance(x: np.ndarray) -> np.ndarray:
    """Biased autocovariance of each row at lags ``0 .. n - 1``, by FFT."""
    n = x.shape[1]
    centred = x - x.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    acov = np.fft.irfft(spectrum * np.conjugate(spectrum), n=size, axis=1)[:, :n]
    return acov / n


def ess_basic(draws: np.ndarray) -> float:
    """Effective sample size of the draws as given (several chains combined).

    The autocorrelations are combined over chains through the multi-chain variance estimate,
    and their sum is truncated by Geyer's initial monotone sequence (Vehtari et al. 2021,
    section 3.2; Geyer 1992). Returns ``nan`` for constant draws or fewer than four draws.
    """
    array = _as_chains(draws)
    n_chains, n = array.shape
    if n < 4 or np.ptp(array) == 0.0:
        return math.nan
    acov = _autocovariance(array)
    mean_within = float(np.mean(acov[:, 0])) * n / (n - 1.0)  # mean within-chain variance W
    var_plus = mean_within * (n - 1.0) / n
    if n_chains > 1:
        var_plus += float(np.var(np.mean(array, axis=1), ddof=1))
    if var_plus <= 0.0:
        return math.nan
    # rho_t = 1 - (W - mean_m acov_{m,t}) / var_plus  (Vehtari et al. 2021, eq. 10)
    rho = 1.0 - (mean_within - np.mean(acov, axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer: sum pairs P_k = rho_2k + rho_2k+1 while positive, forcing them to be monotone.
    n_pairs = n // 2
    pairs = rho[: 2 * n_pairs].reshape(n_pairs, 2).sum(axis=1)
    negative = np.flatnonzero(pairs <= 0.0)
    n_keep = int(negative[0]) if negative.size else n_pairs
    kept = np.minimum.accumulate(pairs[:n_keep]) if n_keep else pairs[:0]
    tau = -1.0 + 2.0 * float(np.sum(kept))
    # An antithetic chain can give tau < 1; cap the ESS at S log10(S) as Stan does.
    total = n_chains * n
    tau = max(tau, 1.0 / math.log10(total))
    return total / tau


def ess_bulk(draws: np.ndarray) -> float:
    """Bulk effective sample size: :func:`ess_basic` of the rank-normalised split chains."""
    array = _as_chains(draws)
    if array.shape[1] < 4 or np.ptp(array) == 0.0:
        return math.nan
    return ess_basic(rank_normalize(split_chains(array)))


def ess_tail(draws: np.ndarray) -> float:
    """Tail effective sample size: the smaller ESS of the 5% and 95% quantile indicators.

    Vehtari et al. (2021, section 4.3): the ESS of ``I(x <= q)`` on split chains measures how
    well the chains pin down the quantile q; the minimum over q = 0.05 and 0.95 bounds the
    Monte Carlo error of a 90% interval.
    """
    array = _as_chains(draws)
    if array.shape[1] < 4 or np.ptp(array) == 0.0:
        return math.nan
    split = split_chains(array)
    values = []
    for prob in (0.05, 0.95):
        indicator = (split <= np.quantile(array, prob)).astype(float)
        values.append(ess_basic(indicator))
    finite = [v for v in values if not math.isnan(v)]
    return min(finite) if finite else math.nan
