"""Bayesian latent-class capture–recapture (LCMCR): the estimator behind HRDAG's estimates.

People differ in how likely each list is to record them. The model (Manrique-Vallier 2016)
lets a latent class carry that heterogeneity: within a class the lists record independently,
and a truncated Dirichlet-process (stick-breaking) prior lets the data decide how many classes
are used, up to ``K``. The people no list recorded are imputed at every step of a Gibbs
sampler, so the posterior of the total N comes out directly.

:class:`LCMCR` runs several chains of the sampler in :mod:`._lcmcr_kernel`, reports the
posterior median and an equal-tailed interval of N, keeps every draw, and checks convergence
with rank-normalised R-hat and bulk/tail effective sample sizes
(:mod:`reckon.estimation.diagnostics`).

Differences from the R package LCMCR 0.4.14, which this follows sweep for sweep:

- the unobserved count is drawn from its exact full conditional, with no hidden cap (the R
  package redraws until n0 <= 20n, which truncates N at 21n); a cap is available as
  ``max_missing`` and is reported whenever it binds;
- several chains by default, with diagnostics and warnings, and the chains run in parallel;
- the random numbers come from reckon's own generator, so draws cannot match R's one by one;
  posterior summaries agree within Monte Carlo error.

References
----------
Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process
mixtures. *Biometrics* 72(4), 1246–1254. https://doi.org/10.1111/biom.12502

Vehtari, A., Gelman, A., Simpson, D., Carpenter, B. and Bürkner, P.-C. (2021). Rank-
normalization, folding, and localization: an improved R-hat for assessing convergence of MCMC.
*Bayesian Analysis* 16(2), 667–718.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Self

import numpy as np
import pandas as pd

from reckon.errors import ConvergenceWarning, EstimationWarning, ValidationError
from reckon.estimation import _lcmcr_kernel as kernel
from reckon.estimation import diagnostics
from reckon.estimation.base import Estimator, resolve_random_state
from reckon.estimation.capture_histories import CaptureHistories
from reckon.estimation.results import EstimateResult

__all__ = ["LCMCR"]

#: Priors on N the sampler supports, with the offset added to n in the negative binomial size
#: of n0's full conditional: p(N) ∝ 1/N gives NegBin(n, 1 - p0), p(N) ∝ 1 gives NegBin(n + 1).
PRIORS_N = {"1/N": 0.0, "uniform": 1.0}

#: Split R-hat above this means the chains disagree (Vehtari et al. 2021, section 4.2).
RHAT_THRESHOLD = 1.01

#: Bulk and tail ESS below this make quantiles too noisy to report (Vehtari et al. 2021,
#: section 4.3 recommend at least 100 per chain; 400 for four chains).
ESS_THRESHOLD = 400.0

#: The R package redraws n0 until n0 <= 20 n, so its N never exceeds 21 n.
R_PACKAGE_CAP_FACTOR = 21


class LCMCR(Estimator):
    """Bayesian non-parametric latent-class capture–recapture estimator.

    Parameters
    ----------
    K : int
        Upper bound on the number of latent classes (truncation of the stick-breaking prior).
        Unused classes get negligible weight; HRDAG uses 10, the R package's default is 5.
    a_alpha, b_alpha : float
        Shape and rate of the Gamma prior on the stick-breaking concentration alpha.
    burnin : int
        Sweeps discarded after the 500 warm-up sweeps, in every chain.
    samples : int
        Posterior draws of N kept per chain (at least 4).
    thinning : int
        Sweeps between kept draws.
    chains : int
        Independent chains; their draws are pooled for the estimate and compared for the
        diagnostics. Seeds are derived from ``random_state`` with
        :class:`numpy.random.SeedSequence`.
    level : float
        Probability of the equal-tailed credible interval.
    prior_N : {"1/N", "uniform"}
        Prior on the population size: p(N) ∝ 1/N (the R package's) or p(N) ∝ 1.
    max_missing : int, optional
        Upper bound on the number of people no list recorded (the prior on N is truncated at
        ``observed + max_missing``). None (default) means no bound. When the bound binds, an
        :class:`~reckon.errors.EstimationWarning` says how often.
    random_state : int, optional
        Seed of all randomness; None draws one from the operating system and records it.
    n_jobs : int, optional
        Chains run at the same time in threads; None uses one per CPU, up to ``chains``.
        Results do not depend on it.

    Attributes
    ----------
    result_ : EstimateResult
        ``estimate`` is the posterior median of N, ``interval`` the equal-tailed ``level``
        interval, ``draws`` the ``(chains, samples)`` posterior draws of N, ``details`` one row
        per chain; ``diagnostics`` holds R-hat, bulk and tail ESS, per-chain medians, class
        occupancy, alpha, sampler speed and the settings.

    Notes
    -----
    Model (Manrique-Vallier 2016, section 2): person i has latent class z_i with
    P(z_i = k) = pi_k and capture pattern x_i with P(x_ij = 1 | z_i = k) = lambda_jk,
    independently over lists j. pi follows a stick-breaking prior truncated at K, pi_k = V_k
    prod_{l<k} (1 - V_l) with V_k ~ Beta(1, alpha), V_K = 1; alpha ~ Gamma(a_alpha, b_alpha);
    lambda_jk ~ Beta(1, 1); p(N) ∝ 1/N.

    Gibbs sweep (the order of the R package): class counts of each observed pattern
    (multinomial), lambda (Beta), stick weights (Beta), then the unobserved count n0 from its
    full conditional NegBin(n, 1 - p0) with p0 = sum_k pi_k prod_j (1 - lambda_jk), the
    classes of the unobserved (multinomial), and alpha ~ Gamma(a_alpha + K - 1,
    b_alpha - log pi_K).

    Convergence warnings (:class:`~reckon.errors.ConvergenceWarning`) are raised when the
    rank-normalised split R-hat of N exceeds 1.01, when its bulk or tail ESS is below 400, or
    when the per-chain medians spread over more than a quarter of the interval width. The last
    rule catches chains stuck in different modes even when R-hat is borderline: for chains that
    mix, a chain's median has Monte Carlo standard error of about 1.25 sd / sqrt(ESS per
    chain), under 0.13 sd at the ESS required, while a quarter of a 95% interval is about one
    posterior sd, so a spread that large is several standard errors beyond chance.

    References
    ----------
    Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process
    mixtures. *Biometrics* 72(4), 1246–1254.

    Ishwaran, H. and James, L. F. (2001). Gibbs sampling methods for stick-breaking priors.
    *Journal of the American Statistical Association* 96(453), 161–173.

    Vehtari, A., Gelman, A., Simpson, D., Carpenter, B. and Bürkner, P.-C. (2021). Rank-
    normalization, folding, and localization: an improved R-hat for assessing convergence of
    MCMC. *Bayesian Analysis* 16(2), 667–718.

    Examples
    --------
    >>> import numpy as np
    >>> from reckon.estimation import CaptureHistories
    >>> from reckon.estimation.lcmcr import LCMCR
    >>> table = CaptureHistories(
    ...     lists=("A", "B", "C"),
    ...     patterns=np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1],
    ...                        [0, 1, 1], [1, 1, 1]]),
    ...     counts=np.array([60, 50, 40, 20, 15, 12, 6]),
    ... )
    >>> fit = LCMCR(burnin=1000, samples=1000, thinning=2, chains=2, random_state=1).fit(table)
    >>> fit.result_.estimate >= table.observed
    True
    """

    method = "lcmcr"

    def __init__(
        self,
        *,
        K: int = 10,
        a_alpha: float = 0.25,
        b_alpha: float = 0.25,
        burnin: int = 10_000,
        samples: int = 10_000,
        thinning: int = 10,
        chains: int = 4,
        level: float = 0.95,
        prior_N: str = "1/N",
        max_missing: int | None = None,
        random_state: int | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.K = K
        self.a_alpha = a_alpha
        self.b_alpha = b_alpha
        self.burnin = burnin
        self.samples = samples
        self.thinning = thinning
        self.chains = chains
        self.level = level
        self.prior_N = prior_N
        self.max_missing = max_missing
        self.random_state = random_state
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ checks

    def _check_params(self) -> None:
        """Raise one :class:`ValidationError` listing every invalid hyperparameter."""
        problems: list[str] = []

        def integer(name: str, minimum: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                problems.append(f"{name} must be an integer >= {minimum}, got {value!r}")
            elif value < minimum:
                problems.append(f"{name} must be >= {minimum}, got {value}")

        integer("K", 1)
        integer("burnin", 0)
        integer("samples", 4)
        integer("thinning", 1)
        integer("chains", 1)
        for name in ("a_alpha", "b_alpha"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float | np.integer | np.floating)
                or not math.isfinite(value)
                or value <= 0
            ):
                problems.append(f"{name} must be a positive number, got {value!r}")
        level = self.level
        if (
            isinstance(level, bool)
            or not isinstance(level, int | float | np.floating)
            or not 0.0 < float(level) < 1.0
        ):
            problems.append(f"level must be between 0 and 1 (exclusive), got {level!r}")
        if self.prior_N not in PRIORS_N:
            problems.append(f"prior_N must be one of {sorted(PRIORS_N)}, got {self.prior_N!r}")
        if self.max_missing is not None:
            value = self.max_missing
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                problems.append(
                    f"max_missing must be None or a non-negative integer, got {value!r}"
                )
        if self.n_jobs is not None:
            value = self.n_jobs
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                problems.append(f"n_jobs must be None or an integer >= 1, got {value!r}")
        if self.random_state is not None:
            try:
                resolve_random_state(self.random_state)
            except ValidationError as err:
                problems.append(str(err))
        if problems:
            raise ValidationError("invalid LCMCR settings", problems)

    # ------------------------------------------------------------------ fitting

    def fit(self, table: CaptureHistories) -> Self:
        """Sample the posterior of N from ``table`` and set ``result_``.

        Parameters
        ----------
        table : CaptureHistories
            Unstratified capture histories with at least two lists (estimate strata
            separately, or collapse them with ``table.collapsed()``).

        Returns
        -------
        LCMCR
            ``self``, with ``result_`` set.

        Raises
        ------
        ValidationError
            For invalid settings, a stratified table, fewer than two lists, an empty table, or
            a list that recorded nobody.

        Warns
        -----
        ConvergenceWarning
            When the chains disagree or mix too slowly (see the class notes).
        EstimationWarning
            When ``max_missing`` binds, when the posterior of N is unbounded in practice, when
            much of it lies beyond the R package's 21n cap, or with only two lists.
        """
        self._check_params()
        table = self._check_table(table, min_lists=2)
        table = table.collapsed()
        on_list = table.counts @ table.patterns.astype(np.int64)
        empty_lists = [name for name, n in zip(table.lists, on_list, strict=True) if n == 0]
        if empty_lists:
            raise ValidationError(
                "LCMCR cannot fit this table",
                [
                    f"list {name!r} recorded nobody; drop it (it carries no information and "
                    "makes its capture probability unidentifiable)"
                    for name in empty_lists
                ],
            )
        seed = resolve_random_state(self.random_state)
        collector = self._warnings()

        keep = table.counts > 0
        bits, n_bits = kernel.set_bits(table.patterns[keep])
        counts = np.ascontiguousarray(table.counts[keep], dtype=np.int64)
        observed = int(counts.sum())
        n_chains = int(self.chains)
        children = np.random.SeedSequence(seed).spawn(n_chains)
        states = [kernel.chain_state(child) for child in children]
        max_missing = -1 if self.max_missing is None else int(self.max_missing)
        sweeps = kernel.WARMUP_SWEEPS + int(self.burnin) + int(self.samples) * int(self.thinning)

        def run(state: np.ndarray) -> tuple[Any, ...]:
            start = time.perf_counter()
            out = kernel.run_chain(
                bits,
                n_bits,
                counts,
                int(self.K),
                float(self.a_alpha),
                float(self.b_alpha),
                int(self.burnin),
                int(self.samples),
                int(self.thinning),
                kernel.WARMUP_SWEEPS,
                PRIORS_N[self.prior_N],
                max_missing,
                state,
            )
            return (*out, time.perf_counter() - start)

        workers = self.n_jobs or min(n_chains, os.cpu_count() or 1)
        workers = max(1, min(int(workers), n_chains))
        wall_start = time.perf_counter()
        if workers == 1:
            outputs = [run(state) for state in states]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                outputs = list(pool.map(run, states))
        wall_seconds = time.perf_counter() - wall_start

        draws = np.stack([out[0] for out in outputs])
        alphas = np.stack([out[1] for out in outputs])
        occupied = np.stack([out[2] for out in outputs])
        counters = np.stack([out[3] for out in outputs])
        seconds = np.array([out[4] for out in outputs])

        level = float(self.level)
        tail = (1.0 - level) / 2.0
        estimate = float(np.median(draws))
        lower, upper = (float(v) for v in np.quantile(draws, [tail, 1.0 - tail]))

        chain_medians = np.median(draws, axis=1)
        r_hat = diagnostics.rhat(draws)
        bulk = diagnostics.ess_bulk(draws)
        tail_ess = diagnostics.ess_tail(draws)
        width = upper - lower
        spread = float(np.ptp(chain_medians))
        sampled_sweeps = int(self.burnin) + int(self.samples) * int(self.thinning)
        bound_share = counters[:, 0].sum() / (n_chains * sampled_sweeps) if sampled_sweeps else 0.0
        ceiling_hits = int(counters[:, 1].sum())
        r_cap = R_PACKAGE_CAP_FACTOR * observed
        above_r_cap = float(np.mean(draws > r_cap))

        self._warn_convergence(collector, r_hat, bulk, tail_ess, spread, width, n_chains)
        if max_missing >= 0 and bound_share > 0:
            collector.warn(
                f"max_missing={max_missing} bound the unobserved count in {bound_share:.2%} of "
                f"sweeps: the posterior of N presses against N <= {observed + max_missing:,} "
                "and the estimate depends on that bound; raise max_missing or drop it",
                EstimationWarning,
            )
        if ceiling_hits:
            collector.warn(
                f"the unobserved count reached {kernel.NUMERIC_CEILING:,} in {ceiling_hits} "
                "sweeps: the data cannot rule out capture probabilities near zero, so the "
                "posterior of N is unbounded in practice; set max_missing or add lists",
                EstimationWarning,
            )
        if above_r_cap > tail:
            collector.warn(
                f"{above_r_cap:.1%} of the posterior draws of N exceed {r_cap:,} (21 × observed), "
                "where the R package LCMCR silently truncates N; its results for these data "
                "are cut off and not comparable with these",
                EstimationWarning,
            )
        if table.n_lists == 2:
            collector.warn(
                "with two lists the latent-class model is not identified; the estimate is "
                "driven by the priors",
                EstimationWarning,
            )

        details = pd.DataFrame(
            {
                "chain": np.arange(n_chains),
                "median": chain_medians,
                "lower": np.quantile(draws, tail, axis=1),
                "upper": np.quantile(draws, 1.0 - tail, axis=1),
                "mean": draws.mean(axis=1),
                "sd": draws.std(axis=1, ddof=1),
                "ess_bulk": [diagnostics.ess_bulk(row) for row in draws],
                "alpha_mean": alphas.mean(axis=1),
                "occupied_classes_mean": occupied.mean(axis=1),
                "occupied_classes_max": occupied.max(axis=1),
                "max_missing_active_share": counters[:, 0] / max(sampled_sweeps, 1),
                "sweeps_per_second": sweeps / seconds,
            }
        )
        diag: dict[str, Any] = {
            "rhat": r_hat,
            "ess_bulk": bulk,
            "ess_tail": tail_ess,
            "chain_medians": [float(v) for v in chain_medians],
            "chain_median_spread": spread,
            "posterior_mean": float(draws.mean()),
            "posterior_sd": float(draws.std(ddof=1)),
            "max_draw": int(draws.max()),
            "occupied_classes_mean": float(occupied.mean()),
            "occupied_classes_max": int(occupied.max()),
            "alpha_mean": float(alphas.mean()),
            "max_missing_active_share": float(bound_share),
            "numeric_ceiling_hits": ceiling_hits,
            "share_above_r_package_cap": above_r_cap,
            "sweeps_per_chain": sweeps,
            "iterations_per_second": float(np.mean(sweeps / seconds)),
            "wall_seconds": wall_seconds,
            "settings": {
                **self.get_params(),
                "random_state": seed,
                "warmup": kernel.WARMUP_SWEEPS,
                "n_jobs": workers,
            },
        }
        settings = {**self.get_params(), "random_state": seed, "warmup": kernel.WARMUP_SWEEPS}
        self.result_ = EstimateResult(
            method=f"lcmcr (K={int(self.K)})",
            observed=table.observed,
            estimate=estimate,
            interval=(lower, upper),
            level=level,
            diagnostics=diag,
            warnings=collector.messages,
            provenance=self._provenance(table, seed, settings),
            draws=draws,
            details=details,
        )
        return self

    @staticmethod
    def _warn_convergence(
        collector: Any,
        r_hat: float,
        bulk: float,
        tail_ess: float,
        spread: float,
        width: float,
        n_chains: int,
    ) -> None:
        """Emit a :class:`ConvergenceWarning` for every convergence rule that fails."""
        fix = "run longer chains (burnin, samples, thinning) or check for multiple modes"
        if r_hat > RHAT_THRESHOLD:
            collector.warn(
                f"R-hat of N is {r_hat:.3f} (> {RHAT_THRESHOLD}): the chains have not mixed; {fix}",
                ConvergenceWarning,
            )
        if min(bulk, tail_ess) < ESS_THRESHOLD:
            collector.warn(
                f"effective sample size of N is too small (bulk {bulk:.0f}, tail "
                f"{tail_ess:.0f}; need {ESS_THRESHOLD:.0f}): the estimate and interval carry "
                f"large Monte Carlo error; {fix}",
                ConvergenceWarning,
            )
        if n_chains > 1 and width > 0 and spread > width / 4.0:
            collector.warn(
                f"the chains' medians of N differ by {spread:,.0f}, more than a quarter of the "
                f"interval width ({width:,.0f}): the chains found different answers; {fix}",
                ConvergenceWarning,
            )
