"""Multiple systems estimation: how many people no list recorded.

Input is a :class:`CaptureHistories` table; every estimator follows scikit-learn's
conventions (``Estimator(**hyperparameters).fit(table).result_``) and returns an
:class:`EstimateResult` with provenance.

- :class:`Chapman`: two lists, Chapman's bias-corrected Lincoln–Petersen estimator.
- :class:`LogLinear`: Poisson log-linear models (Rcapture's ``closedp`` families and the
  ``closedpMS`` search over hierarchical models), with existence checks and
  profile-likelihood intervals.
- :class:`LCMCR`: the Bayesian non-parametric latent-class model (Manrique-Vallier 2016).
- :class:`DGA`: Bayesian model averaging over decomposable graphical models (Madigan & York
  1997).
- :class:`Stratified`: one estimate per stratum and a combined total.
"""

from importlib import import_module
from typing import Any

from reckon.estimation.base import Estimator, WarningCollector, resolve_random_state
from reckon.estimation.capture_histories import CaptureHistories
from reckon.estimation.chapman import Chapman
from reckon.estimation.loglinear import LogLinear
from reckon.estimation.results import EstimateResult, Provenance

# Imported on first use: LCMCR compiles its sampler with numba, which is slow to import.
_LAZY = {
    "DGA": "reckon.estimation.dga",
    "LCMCR": "reckon.estimation.lcmcr",
    "Stratified": "reckon.estimation.stratified",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reckon.estimation' has no attribute {name!r}")


__all__ = [
    "DGA",
    "LCMCR",
    "CaptureHistories",
    "Chapman",
    "EstimateResult",
    "Estimator",
    "LogLinear",
    "Provenance",
    "Stratified",
    "WarningCollector",
    "resolve_random_state",
]
