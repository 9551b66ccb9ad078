"""Estimate results: one frozen object per fitted estimator that explains itself.

Every estimator in :mod:`reckon.estimation` returns an :class:`EstimateResult` in its
``result_`` attribute, with the point estimate of the total population N (observed plus
unobserved), an interval, diagnostics, the warnings raised while fitting, and a
:class:`Provenance` record saying when, with which version, on which input and with which
settings and seed it was computed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["EstimateResult", "Provenance", "jsonable"]


def jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types.

    NumPy scalars and arrays become Python numbers and lists, mappings become dicts with
    string keys, tuples and sets become lists, and non-finite floats (NaN, ±inf) become
    ``None`` because JSON has no such numbers.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _frozen_mapping(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Provenance:
    """Where an estimate came from.

    Parameters
    ----------
    created : str
        ISO 8601 UTC time the estimate was computed.
    reckon_version : str
        Version of reckon that computed it.
    input_digest : str
        :meth:`CaptureHistories.digest` of the input table.
    random_state : int or None
        The seed that drove all randomness, or None for a deterministic method.
    settings : Mapping
        The estimator's hyperparameters and any other setting that shaped the result.
    """

    created: str
    reckon_version: str
    input_digest: str
    random_state: int | None
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", _frozen_mapping(self.settings))

    @classmethod
    def now(
        cls,
        input_digest: str,
        *,
        random_state: int | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Provenance:
        """Provenance stamped with the current time and the installed reckon version."""
        from reckon import __version__

        return cls(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            reckon_version=__version__,
            input_digest=input_digest,
            random_state=random_state,
            settings=settings or {},
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "created": self.created,
            "reckon_version": self.reckon_version,
            "input_digest": self.input_digest,
            "random_state": self.random_state,
            "settings": jsonable(self.settings),
        }


@dataclass(frozen=True)
class EstimateResult:
    """The estimate of a total population N with its interval, diagnostics and provenance.

    Parameters
    ----------
    method : str
        Name of the method and model, e.g. ``"loglinear [123,14,34]"``.
    observed : int
        People recorded by at least one list.
    estimate : float
        Point estimate of N (observed plus unobserved).
    interval : tuple of float
        Lower and upper limits of the interval for N.
    level : float
        Coverage of the interval, e.g. 0.95.
    diagnostics : Mapping
        Method-specific numbers (deviance, R-hat, ESS, selected model...).
    warnings : tuple of str
        Text of every warning raised while fitting.
    provenance : Provenance
    draws : numpy.ndarray, optional
        Posterior or bootstrap draws of N: ``(chains, draws)`` for MCMC, ``(n,)`` otherwise.
    details : pandas.DataFrame, optional
        A per-model, per-graph or per-stratum table.
    """

    method: str
    observed: int
    estimate: float
    interval: tuple[float, float]
    level: float
    diagnostics: Mapping[str, Any]
    warnings: tuple[str, ...]
    provenance: Provenance
    draws: np.ndarray | None = None
    details: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        lo, hi = self.interval
        object.__setattr__(self, "interval", (float(lo), float(hi)))
        object.__setattr__(self, "estimate", float(self.estimate))
        object.__setattr__(self, "observed", int(self.observed))
        object.__setattr__(self, "level", float(self.level))
        object.__setattr__(self, "warnings", tuple(str(w) for w in self.warnings))
        object.__setattr__(self, "diagnostics", _frozen_mapping(self.diagnostics))
        if self.draws is not None:
            draws = np.array(self.draws, copy=True)
            draws.setflags(write=False)
            object.__setattr__(self, "draws", draws)

    @property
    def unobserved(self) -> float:
        """Estimated number of people recorded by no list: ``estimate - observed``."""
        return self.estimate - self.observed

    def __str__(self) -> str:
        lo, hi = self.interval
        lines = [
            f"{self.method}",
            f"  observed:  {self.observed:,}",
            f"  estimate:  {_fmt(self.estimate)}  "
            f"({self.level:.0%} interval {_fmt(lo)} – {_fmt(hi)})",
        ]
        for key, value in self.diagnostics.items():
            if isinstance(value, Mapping | list | tuple | np.ndarray | pd.DataFrame):
                continue
            shown = _fmt(value) if isinstance(value, float | np.floating) else value
            lines.append(f"  {key}: {shown}")
        if self.draws is not None:
            lines.append(f"  draws: {'×'.join(str(s) for s in self.draws.shape)}")
        if self.details is not None:
            lines.append(f"  details: {len(self.details)} rows (see .details)")
        for text in self.warnings:
            lines.append(f"  warning: {text}")
        prov = self.provenance
        seed = f", seed {prov.random_state}" if prov.random_state is not None else ""
        lines.append(
            f"  computed {prov.created} by reckon {prov.reckon_version}{seed}, "
            f"input {prov.input_digest[:12]}"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary of everything but the draws.

        ``interval`` is a two-element list, ``details`` a list of records (or None).
        """
        return {
            "method": self.method,
            "observed": self.observed,
            "estimate": jsonable(self.estimate),
            "interval": [jsonable(self.interval[0]), jsonable(self.interval[1])],
            "level": self.level,
            "diagnostics": jsonable(self.diagnostics),
            "warnings": list(self.warnings),
            "provenance": self.provenance.to_dict(),
            "details": jsonable(self.details) if self.details is not None else None,
        }

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame: method, observed, estimate, lower, upper, level, warnings."""
        return pd.DataFrame(
            [
                {
                    "method": self.method,
                    "observed": self.observed,
                    "estimate": self.estimate,
                    "lower": self.interval[0],
                    "upper": self.interval[1],
                    "level": self.level,
                    "n_warnings": len(self.warnings),
                    "input_digest": self.provenance.input_digest,
                    "random_state": self.provenance.random_state,
                }
            ]
        )


def _fmt(value: float) -> str:
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.4g}"
