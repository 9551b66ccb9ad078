"""Compiled Gibbs sampler of the latent-class capture–recapture model (LCMCR).

This module holds the numerical core of :class:`reckon.estimation.lcmcr.LCMCR`: one Numba
function that runs one whole chain (warm-up, burn-in and thinned sampling) on plain arrays, so
that a chain never returns to Python. It knows nothing about tables, warnings or results.

Model (Manrique-Vallier 2016): each person has a latent class ``z`` in ``1..K``; within a class
the J lists capture independently with probabilities ``lambda[j, k]``; class weights ``pi``
follow a stick-breaking prior truncated at K with concentration ``alpha``; ``alpha`` has a
Gamma(a, b) prior; ``lambda[j, k]`` has a Beta(1, 1) prior; the population size N has the
improper prior p(N) ∝ 1/N (or p(N) ∝ 1). The unobserved count ``n0 = N - n`` and the classes
of the unobserved people are imputed at every sweep (data augmentation).

Speed comes from four choices, all exact:

* people who share a capture pattern are exchangeable, so the class counts of a cell are drawn
  jointly (a multinomial: conditional binomials starting with the heaviest class, then one
  categorical draw per person once few remain) and the sweep never touches individuals;
* the log-weight of class k for a pattern is ``base[k] + sum(delta[j, k] for j on the
  pattern)``, with ``base[k] = log pi[k] + sum_j log(1 - lambda[j, k])`` (which is also the log
  probability of the unobserved cell within class k) and ``delta = log lambda - log(1 -
  lambda)``; both are computed once per sweep from the freshly drawn parameters;
* the sufficient statistics (how many members of class k are on list j) are accumulated while
  the class counts are drawn, skipping classes that receive nobody;
* random numbers come from an inlined xoshiro256** generator with fast exact samplers
  (Marsaglia-Tsang gamma, BTRS binomial, PTRS Poisson) instead of Numba's ``np.random``.

References
----------
Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process
mixtures. *Biometrics* 72(4), 1246–1254. https://doi.org/10.1111/biom.12502

Ishwaran, H. and James, L. F. (2001). Gibbs sampling methods for stick-breaking priors.
*Journal of the American Statistical Association* 96(453), 161–173.

Marsaglia, G. and Tsang, W. W. (2000). A simple method for generating gamma variables.
*ACM Transactions on Mathematical Software* 26(3), 363–372.

Marsaglia, G. and Bray, T. A. (1964). A convenient method for generating normal variables.
*SIAM Review* 6(3), 260–264.

Hörmann, W. (1993). The generation of binomial random variates. *Journal of Statistical
Computation and Simulation* 46(1–2), 101–110. (Algorithm BTRS.)

Hörmann, W. (1993). The transformed rejection method for generating Poisson random variables.
*Insurance: Mathematics and Economics* 12(1), 39–45. (Algorithm PTRS.)

Blackman, D. and Vigna, S. (2021). Scrambled linear pseudorandom number generators. *ACM
Transactions on Mathematical Software* 47(4), 36.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["NUMERIC_CEILING", "WARMUP_SWEEPS", "chain_state", "run_chain", "set_bits"]

#: Sweeps run before burn-in with alpha held at 0.3/K, after which classes are relabelled by
#: decreasing weight; the reference implementation does the same (``Initializes``).
WARMUP_SWEEPS = 500

#: Cells with at most this many people get one categorical draw per person instead of a
#: sequence of binomial draws; below this size the categorical draws are cheaper.
_CATEGORICAL_MAX = 12

#: Largest unobserved count the sampler represents. Reaching it means the full conditional of
#: n0 has essentially no finite mass (capture probabilities indistinguishable from zero); the
#: kernel counts every sweep that reaches it and the estimator warns.
NUMERIC_CEILING = 2**50

_TINY = 1e-300


# ---------------------------------------------------------------------- random numbers
#
# The sampler draws from its own xoshiro256** stream (Blackman & Vigna 2021) whose state is
# an explicit array, rather than from Numba's ``np.random``: a uniform costs about 1 ns instead
# of about 8 ns (Numba's Mersenne Twister sits behind a thread-local lookup), the stream of a
# chain does not depend on the thread that runs it, and chains can run in parallel threads.
# ``rs`` is the uint64[4] generator state; ``gs`` is a float64[2] cache for the second normal
# of each polar-method pair.

_U53 = 1.0 / 9007199254740992.0  # 2**-53


@numba.njit(cache=True, nogil=True, inline="always")
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@numba.njit(cache=True, nogil=True, inline="always")
def _next_u64(rs: np.ndarray) -> np.uint64:
    """Next output of xoshiro256** (Blackman & Vigna 2021)."""
    s0 = rs[0]
    s1 = rs[1]
    s2 = rs[2]
    s3 = rs[3]
    result = _rotl(s1 * np.uint64(5), 7) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    rs[0] = s0
    rs[1] = s1
    rs[2] = s2
    rs[3] = s3
    return result


@numba.njit(cache=True, nogil=True, inline="always")
def _uniform(rs: np.ndarray) -> float:
    """Uniform on [0, 1) with 53 random bits."""
    return float(_next_u64(rs) >> np.uint64(11)) * _U53


@numba.njit(cache=True, nogil=True)
def _normal(rs: np.ndarray, gs: np.ndarray) -> float:
    """Standard normal by Marsaglia's polar method, caching the second value of each pair."""
    if gs[0] != 0.0:
        gs[0] = 0.0
        return gs[1]
    while True:
        u = 2.0 * _uniform(rs) - 1.0
        v = 2.0 * _uniform(rs) - 1.0
        s = u * u + v * v
        if 0.0 < s < 1.0:
            break
    f = math.sqrt(-2.0 * math.log(s) / s)
    gs[0] = 1.0
    gs[1] = v * f
    return u * f


@numba.njit(cache=True, nogil=True, inline="always")
def _gamma_ge1(rs: np.ndarray, gs: np.ndarray, shape: float) -> float:
    """Gamma(shape, 1) draw for shape >= 1 (Marsaglia & Tsang 2000)."""
    if shape == 1.0:
        return -math.log(1.0 - _uniform(rs))
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = _normal(rs, gs)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = _uniform(rs)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v
        if u > 0.0 and math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v


@numba.njit(cache=True, nogil=True)
def _log_gamma(rs: np.ndarray, gs: np.ndarray, shape: float) -> float:
    """Logarithm of a Gamma(shape, 1) draw, accurate for any shape > 0.

    For shape < 1 a Gamma draw can underflow to zero; its logarithm is drawn instead as
    ``log G(shape + 1) + log(U) / shape`` (Marsaglia & Tsang 2000, section 6).
    """
    if shape >= 1.0:
        return math.log(max(_gamma_ge1(rs, gs, shape), _TINY))
    u = 1.0 - _uniform(rs)  # in (0, 1]
    return math.log(max(_gamma_ge1(rs, gs, shape + 1.0), _TINY)) + math.log(u) / shape


@numba.njit(cache=True, nogil=True)
def _log_add(a: float, b: float) -> float:
    """``log(exp(a) + exp(b))`` without overflow."""
    if a > b:
        return a + math.log1p(math.exp(b - a))
    return b + math.log1p(math.exp(a - b))


@numba.njit(cache=True, nogil=True)
def _binomial_inversion(rs: np.ndarray, n: int, r: float) -> int:
    """Binomial(n, r) by sequential search of the CDF; for n * r < 10, r <= 1/2."""
    q = 1.0 - r
    qn = math.exp(n * math.log1p(-r))
    ratio = r / q
    bound = min(float(n), n * r + 10.0 * math.sqrt(n * r * q + 1.0))
    x = 0
    px = qn
    u = _uniform(rs)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = _uniform(rs)
        else:
            u -= px
            px *= (n - x + 1) * ratio / x
    return x


_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


@numba.njit(cache=True, nogil=True)
def _stirling_tail(k: float) -> float:
    """``log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]``, the error of Stirling.

    Exact (through ``lgamma``) below 10, the first terms of the series above.
    """
    if k < 10.0:
        return math.lgamma(k + 1.0) - (k + 0.5) * math.log(k + 1.0) + (k + 1.0) - _HALF_LOG_2PI
    kp1_sq = (k + 1.0) * (k + 1.0)
    return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1_sq) / kp1_sq) / (k + 1.0)


@numba.njit(cache=True, nogil=True)
def _binomial_btrs(rs: np.ndarray, n: int, p: float) -> int:
    """Binomial(n, p) for p <= 1/2 and n * p >= 10 by transformed rejection (BTRS).

    Hörmann (1993), algorithm BTRS: a transformed uniform proposal accepted at once about four
    times in five, otherwise an exact test of the log ratio of the probability at the proposal
    to that at the mode, with Stirling corrections.
    """
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1.0 - p)
    alpha = (2.83 + 5.1 / b) * spq
    m = math.floor((n + 1.0) * p)
    log_h = math.nan  # needed only when the quick acceptance fails; computed then
    while True:
        u = _uniform(rs) - 0.5
        v = _uniform(rs)
        us = 0.5 - abs(u)
        if us <= 0.0:
            continue
        k = math.floor((2.0 * a / us + b) * u + c)
        if us >= 0.07 and v <= v_r:
            return int(k)
        if k < 0.0 or k > n or v <= 0.0:
            continue
        lv = math.log(v * alpha / (a / (us * us) + b))
        if math.isnan(log_h):
            log_h = (m + 0.5) * math.log((m + 1.0) / (r * (n - m + 1.0))) + (
                _stirling_tail(m) + _stirling_tail(n - m)
            )
        bound = (
            log_h
            + (n + 1.0) * math.log((n - m + 1.0) / (n - k + 1.0))
            + (k + 0.5) * math.log(r * (n - k + 1.0) / (k + 1.0))
            - _stirling_tail(k)
            - _stirling_tail(n - k)
        )
        if lv <= bound:
            return int(k)


@numba.njit(cache=True, nogil=True)
def _binomial(rs: np.ndarray, n: int, p: float) -> int:
    """Binomial(n, p) draw; ``p`` is clipped to [0, 1] (it comes from a ratio of sums)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        r = 1.0 - p
        if n * r < 10.0:
            return n - _binomial_inversion(rs, n, r)
        return n - _binomial_btrs(rs, n, r)
    if n * p < 10.0:
        return _binomial_inversion(rs, n, p)
    return _binomial_btrs(rs, n, p)


@numba.njit(cache=True, nogil=True)
def _poisson(rs: np.ndarray, lam: float) -> int:
    """Poisson(lam) draw: multiplication method below 10, PTRS (Hörmann 1993) above."""
    if lam <= 0.0:
        return 0
    if lam < 10.0:
        limit = math.exp(-lam)
        x = 0
        prod = _uniform(rs)
        while prod > limit:
            x += 1
            prod *= _uniform(rs)
        return x
    slam = math.sqrt(lam)
    log_lam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = _uniform(rs) - 0.5
        v = _uniform(rs)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43) if us > 0.0 else -1.0
        if us >= 0.07 and v <= v_r:
            return int(k)
        if k < 0.0 or (us < 0.013 and v > us):
            continue
        if v > 0.0 and (
            math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
            <= -lam + k * log_lam - math.lgamma(k + 1.0)
        ):
            return int(k)


@numba.njit(cache=True, nogil=True)
def _negbin(rs: np.ndarray, gs: np.ndarray, size: float, q: float) -> int:
    """Number of failures before ``size`` successes with success probability ``q``.

    Drawn as a Poisson–Gamma mixture. Returns ``NUMERIC_CEILING`` if the Poisson mean exceeds
    it (only possible when ``q`` is vanishingly small).
    """
    if q >= 1.0:
        return 0
    if q <= 0.0:
        return NUMERIC_CEILING
    log_lam = _log_gamma(rs, gs, size) + math.log1p(-q) - math.log(q)
    if not log_lam < math.log(NUMERIC_CEILING):
        return NUMERIC_CEILING
    return min(_poisson(rs, math.exp(log_lam)), NUMERIC_CEILING)


@numba.njit(cache=True, nogil=True)
def _negbin_below(rs: np.ndarray, size: float, q: float, upper: int) -> int:
    """Negative binomial draw conditioned on being at most ``upper``, by downward inversion.

    Used when rejection from the untruncated distribution keeps failing, i.e. when most of the
    mass lies above ``upper``. Walks the probability mass function down from ``upper`` with the
    ratio ``pmf(k - 1) / pmf(k) = k / ((size + k - 1)(1 - q))``.
    """
    p0 = 1.0 - q
    total = 0.0
    weight = 1.0
    k = upper
    while True:
        total += weight
        if k == 0 or weight < 1e-17 * total:
            break
        weight *= k / ((size + k - 1.0) * p0)
        k -= 1
    u = _uniform(rs) * total
    weight = 1.0
    k = upper
    while k > 0:
        if u < weight:
            return k
        u -= weight
        weight *= k / ((size + k - 1.0) * p0)
        if weight < 1e-17 * total:
            return k - 1
        k -= 1
    return 0


@numba.njit(cache=True, nogil=True)
def _draw_n0(rs: np.ndarray, gs: np.ndarray, size: float, q: float, max_missing: int) -> tuple:
    """Draw n0 from its full conditional, truncated to ``[0, max_missing]`` if that is >= 0.

    Returns the draw and whether the bound was active (an untruncated draw exceeded it).
    Truncation is exact: rejection, then inversion when rejection keeps failing.
    """
    if max_missing < 0:
        return _negbin(rs, gs, size, q), False
    for attempt in range(64):
        draw = _negbin(rs, gs, size, q)
        if draw <= max_missing:
            return draw, attempt > 0
    return _negbin_below(rs, size, q, max_missing), True


@numba.njit(cache=True, nogil=True)
def _allocate(
    rs: np.ndarray,
    n: int,
    weights: np.ndarray,
    mass: float,
    order: np.ndarray,
    out: np.ndarray,
    n_classes: int,
    categorical_max: int,
) -> None:
    """Multinomial(n, weights / mass) into ``out``, visiting classes in ``order``.

    Conditional binomials (a class gets Binomial(remaining, w / remaining mass)) while many
    people remain, then one categorical draw per remaining person over the remaining classes,
    which is cheaper once at most ``categorical_max`` people are left. Both steps are exact
    whatever the order; visiting heavy classes first leaves few people for the rest.
    """
    for k in range(n_classes):
        out[k] = 0
    remaining = n
    i = 0
    while remaining > categorical_max and i < n_classes - 1:
        k = order[i]
        x = _binomial(rs, remaining, weights[k] / mass) if mass > 0.0 else 0
        out[k] = x
        remaining -= x
        mass -= weights[k]
        i += 1
    if i == n_classes - 1:
        out[order[i]] += remaining
        return
    for _ in range(remaining):
        u = _uniform(rs) * mass
        c = i
        while c < n_classes - 1 and u >= weights[order[c]]:
            u -= weights[order[c]]
            c += 1
        out[order[c]] += 1


@numba.njit(cache=True, nogil=True)
def _heaviest_first(weights: np.ndarray, order: np.ndarray, n_classes: int) -> None:
    """Class indices with the heaviest class first and the others in label order.

    A full sort costs more than it saves; the heaviest class alone takes most people, and the
    stick-breaking prior keeps the other heavy classes at low labels.
    """
    best = 0
    for k in range(1, n_classes):
        if weights[k] > weights[best]:
            best = k
    order[0] = best
    i = 1
    for k in range(n_classes):
        if k != best:
            order[i] = k
            i += 1


@numba.njit(cache=True, nogil=True)
def _refresh_tables(
    log_lam: np.ndarray,
    log_1mlam: np.ndarray,
    log_pi: np.ndarray,
    base: np.ndarray,
    delta: np.ndarray,
    log_miss: np.ndarray,
    exp_base: np.ndarray,
    exp_delta: np.ndarray,
) -> None:
    """Recompute ``base``, ``delta``, their exponentials (``base`` shifted so that its maximum
    is 0) and the per-class log probability of no capture."""
    n_lists, n_classes = log_lam.shape
    top = -np.inf
    for k in range(n_classes):
        s = 0.0
        for j in range(n_lists):
            s += log_1mlam[j, k]
            d = log_lam[j, k] - log_1mlam[j, k]
            delta[j, k] = d
            exp_delta[j, k] = math.exp(d)
        log_miss[k] = s
        base[k] = log_pi[k] + s
        if base[k] > top:
            top = base[k]
    for k in range(n_classes):
        exp_base[k] = math.exp(base[k] - top)


@numba.njit(cache=True, nogil=True)
def run_chain(
    bits: np.ndarray,
    n_bits: np.ndarray,
    counts: np.ndarray,
    n_classes: int,
    a_alpha: float,
    b_alpha: float,
    burnin: int,
    samples: int,
    thinning: int,
    warmup: int,
    size_offset: float,
    max_missing: int,
    state: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run one chain of the LCMCR Gibbs sampler.

    Parameters
    ----------
    bits : numpy.ndarray
        ``(M, J)`` int64; row m lists, in its first ``n_bits[m]`` entries, the lists (0-based)
        that capture pattern m (see :func:`set_bits`).
    n_bits : numpy.ndarray
        ``(M,)`` int64, the number of lists capturing each pattern (at least 1).
    counts : numpy.ndarray
        ``(M,)`` int64, people observed with each pattern; their sum must be positive.
    n_classes : int
        Truncation level K of the stick-breaking prior.
    a_alpha, b_alpha : float
        Shape and rate of the Gamma prior on the stick-breaking concentration alpha.
    burnin, samples, thinning : int
        Sweeps discarded after warm-up, draws kept, and sweeps per kept draw.
    warmup : int
        Initial sweeps with alpha fixed at 0.3/K, followed by relabelling the classes in
        decreasing order of weight (the reference does 500).
    size_offset : float
        0 for the prior p(N) ∝ 1/N, 1 for p(N) ∝ 1: n0 is then negative binomial with size
        ``n + size_offset`` and success probability ``1 - p0``.
    max_missing : int
        Upper bound on n0 (a truncation of the prior on N), or -1 for none.
    state : numpy.ndarray
        uint64[4] xoshiro256** state of this chain (not all zero); it is not modified.

    Returns
    -------
    n_draws : numpy.ndarray
        ``(samples,)`` int64 draws of N = n + n0.
    alpha_draws : numpy.ndarray
        ``(samples,)`` float64 draws of alpha.
    occupied : numpy.ndarray
        ``(samples,)`` int64, classes holding at least one (observed or imputed) person.
    counters : numpy.ndarray
        ``(2,)`` int64 over burn-in and sampling sweeps: sweeps in which ``max_missing`` was
        active, and sweeps in which n0 reached :data:`NUMERIC_CEILING`.
    """
    rs = state.copy()
    gs = np.zeros(2)
    n_cells, n_lists = bits.shape
    K = n_classes
    n_obs = 0
    for m in range(n_cells):
        n_obs += counts[m]

    log_lam = np.empty((n_lists, K))
    log_1mlam = np.empty((n_lists, K))
    delta = np.empty((n_lists, K))
    exp_delta = np.empty((n_lists, K))
    exp_base = np.empty(K)
    log_pi = np.empty(K)
    base = np.empty(K)
    log_miss = np.empty(K)
    weights = np.empty(K)
    draw = np.zeros(K, dtype=np.int64)
    order = np.arange(K)
    on_list = np.zeros((n_lists, K), dtype=np.int64)
    n_class = np.zeros(K, dtype=np.int64)
    n_class0 = np.zeros(K, dtype=np.int64)
    totals = np.zeros(K, dtype=np.int64)

    n_draws = np.empty(samples, dtype=np.int64)
    alpha_draws = np.empty(samples)
    occupied = np.empty(samples, dtype=np.int64)
    counters = np.zeros(2, dtype=np.int64)

    # Initial state as in the reference (LCMCR 0.4.14, ``Initializes``): lambda at the marginal
    # capture frequency of each list in every class, class weights from stick-breaking with
    # Beta(1, 1) sticks (random, so chains start apart), alpha = 0.3 / K, nobody imputed.
    for j in range(n_lists):
        on = 0
        for m in range(n_cells):
            for b in range(n_bits[m]):
                if bits[m, b] == j:
                    on += counts[m]
        p = min(max(on / n_obs, 1e-6), 1.0 - 1e-6)
        for k in range(K):
            log_lam[j, k] = math.log(p)
            log_1mlam[j, k] = math.log1p(-p)
    log_rest = 0.0
    for k in range(K - 1):
        la = _log_gamma(rs, gs, 1.0)
        lb = _log_gamma(rs, gs, 1.0)
        ls = _log_add(la, lb)
        log_pi[k] = la - ls + log_rest
        log_rest += lb - ls
    log_pi[K - 1] = log_rest
    alpha = 0.3 / K
    n0 = 0
    n_occupied = 0
    _refresh_tables(log_lam, log_1mlam, log_pi, base, delta, log_miss, exp_base, exp_delta)

    total_sweeps = warmup + burnin + samples * thinning
    kept = 0
    for sweep in range(total_sweeps):
        # 1. Class counts of the observed cells, accumulating the sufficient statistics.
        for k in range(K):
            n_class[k] = 0
            for j in range(n_lists):
                on_list[j, k] = 0
        for m in range(n_cells):
            c = counts[m]
            if c == 0:
                continue
            nb = n_bits[m]
            # Weights as products of exponentials computed once per sweep; exact up to
            # rounding. If they leave the comfortable floating-point range, redo them on the
            # log scale with the maximum subtracted.
            mass = 0.0
            for k in range(K):
                w = exp_base[k]
                for b in range(nb):
                    w *= exp_delta[bits[m, b], k]
                weights[k] = w
                mass += w
            if not 1e-250 < mass < 1e250:
                top = -np.inf
                for k in range(K):
                    lw = base[k]
                    for b in range(nb):
                        lw += delta[bits[m, b], k]
                    weights[k] = lw
                    if lw > top:
                        top = lw
                mass = 0.0
                for k in range(K):
                    w = math.exp(weights[k] - top)
                    weights[k] = w
                    mass += w
            _heaviest_first(weights, order, K)
            _allocate(rs, c, weights, mass, order, draw, K, _CATEGORICAL_MAX)
            for k in range(K):
                x = draw[k]
                if x > 0:
                    n_class[k] += x
                    for b in range(nb):
                        on_list[bits[m, b], k] += x

        # 2. Capture probabilities: Beta(1 + on, 1 + off) as a ratio of Gamma draws, kept on
        # the log scale.
        for k in range(K):
            totals[k] = n_class[k] + n_class0[k]
        for k in range(K):
            if totals[k] == 0:
                # Nobody in the class: the Beta(1, 1) prior, i.e. a uniform.
                for j in range(n_lists):
                    u = 1.0 - _uniform(rs)  # in (0, 1]
                    log_lam[j, k] = math.log(u)
                    log_1mlam[j, k] = math.log1p(-u) if u < 1.0 else math.log(_TINY)
                continue
            for j in range(n_lists):
                on = on_list[j, k]
                g1 = max(_gamma_ge1(rs, gs, 1.0 + on), _TINY)
                g0 = max(_gamma_ge1(rs, gs, 1.0 + (totals[k] - on)), _TINY)
                log_sum = math.log(g1 + g0)
                log_lam[j, k] = math.log(g1) - log_sum
                log_1mlam[j, k] = math.log(g0) - log_sum

        # 3. Stick-breaking weights in log space: V_k ~ Beta(1 + n_k, alpha + n_{>k}).
        n_total = n_obs + n0
        cum = 0
        log_rest = 0.0
        for k in range(K - 1):
            cum += totals[k]
            la = _log_gamma(rs, gs, 1.0 + totals[k])
            lb = _log_gamma(rs, gs, alpha + (n_total - cum))
            ls = _log_add(la, lb)
            log_pi[k] = la - ls + log_rest
            log_rest += lb - ls
        log_pi[K - 1] = log_rest
        n_occupied = 0
        for k in range(K):
            if totals[k] > 0:
                n_occupied += 1

        # 4. Unobserved count from its full conditional (negative binomial), then its split
        # over the classes in proportion to pi_k * P(no capture | k).
        _refresh_tables(log_lam, log_1mlam, log_pi, base, delta, log_miss, exp_base, exp_delta)
        q = 0.0  # P(recorded by some list), summed without cancellation
        for k in range(K):
            q += math.exp(log_pi[k]) * -math.expm1(log_miss[k])
        n0, bound_active = _draw_n0(rs, gs, n_obs + size_offset, q, max_missing)
        if sweep >= warmup:
            if bound_active:
                counters[0] += 1
            if n0 >= NUMERIC_CEILING:
                counters[1] += 1
        mass = 0.0
        for k in range(K):
            mass += exp_base[k]  # pi_k * P(no capture | k), scaled so that the largest is 1
        _heaviest_first(exp_base, order, K)
        _allocate(rs, n0, exp_base, mass, order, n_class0, K, _CATEGORICAL_MAX)

        # 5. Concentration: alpha ~ Gamma(a + K - 1, rate b - log pi_K); fixed in warm-up.
        if sweep >= warmup:
            rate = b_alpha - log_pi[K - 1]
            alpha = max(math.exp(_log_gamma(rs, gs, a_alpha + K - 1.0)) / rate, _TINY)
        elif sweep == warmup - 1:
            # Relabel classes by decreasing weight once, as the reference does after warm-up.
            relabel = np.argsort(-log_pi)
            tmp_pi = log_pi.copy()
            tmp_lam = log_lam.copy()
            tmp_1mlam = log_1mlam.copy()
            tmp_c0 = n_class0.copy()
            for k in range(K):
                src = relabel[k]
                log_pi[k] = tmp_pi[src]
                n_class0[k] = tmp_c0[src]
                for j in range(n_lists):
                    log_lam[j, k] = tmp_lam[j, src]
                    log_1mlam[j, k] = tmp_1mlam[j, src]
            _refresh_tables(log_lam, log_1mlam, log_pi, base, delta, log_miss, exp_base, exp_delta)

        if sweep >= warmup + burnin and (sweep - warmup - burnin + 1) % thinning == 0:
            n_draws[kept] = n_obs + n0
            alpha_draws[kept] = alpha
            occupied[kept] = n_occupied
            kept += 1

    return n_draws, alpha_draws, occupied, counters


def set_bits(patterns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``bits`` and ``n_bits`` arrays :func:`run_chain` takes, from 0/1 patterns.

    Parameters
    ----------
    patterns : numpy.ndarray
        ``(M, J)`` array of 0/1.

    Returns
    -------
    bits : numpy.ndarray
        ``(M, J)`` int64; row m starts with the indices of the lists capturing pattern m, the
        rest is padding (-1).
    n_bits : numpy.ndarray
        ``(M,)`` int64 number of lists capturing each pattern.
    """
    patterns = np.asarray(patterns, dtype=np.int64)
    n_cells, n_lists = patterns.shape
    bits = np.full((n_cells, n_lists), -1, dtype=np.int64)
    n_bits = patterns.sum(axis=1).astype(np.int64)
    for m in range(n_cells):
        on = np.flatnonzero(patterns[m])
        bits[m, : on.size] = on
    return bits, n_bits


def chain_state(seed_sequence: np.random.SeedSequence) -> np.ndarray:
    """The uint64[4] generator state :func:`run_chain` takes, from a seed sequence."""
    state = seed_sequence.generate_state(4, dtype=np.uint64)
    if not state.any():  # xoshiro's one forbidden state; practically unreachable
        state[0] = np.uint64(0x9E3779B97F4A7C15)
    return state
