"""What every MSE estimator shares: parameters, input checks, warnings, provenance.

Estimators follow scikit-learn's conventions: hyperparameters are keyword arguments stored
unchanged by ``__init__``; ``fit(table)`` validates, computes, sets attributes ending in ``_``
(at least ``result_``) and returns ``self``; ``get_params`` reads the ``__init__`` signature.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping
from typing import Any, Self

import numpy as np

from reckon.errors import EstimationWarning, ValidationError
from reckon.estimation.capture_histories import CaptureHistories
from reckon.estimation.results import EstimateResult, Provenance

__all__ = ["Estimator", "WarningCollector", "resolve_random_state"]


def resolve_random_state(random_state: int | np.integer | None) -> int:
    """The integer seed to use and record.

    ``None`` draws a fresh seed from the operating system's entropy, so that even an
    unseeded run records the seed that reproduces it.
    """
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint32)[0])
    if isinstance(random_state, bool) or not isinstance(random_state, int | np.integer):
        raise ValidationError(
            f"random_state must be a non-negative integer or None, got {random_state!r}"
        )
    if random_state < 0:
        raise ValidationError(f"random_state must be non-negative, got {random_state}")
    return int(random_state)


class WarningCollector:
    """Record warning texts for a result and emit them as Python warnings at the same time.

    Examples
    --------
    >>> from reckon.errors import SmallCellWarning
    >>> collector = WarningCollector()
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     collector.warn("cell 101 has 2 people", SmallCellWarning)
    >>> collector.messages
    ('cell 101 has 2 people',)
    """

    def __init__(self) -> None:
        self._messages: list[str] = []

    def warn(
        self, text: str, category: type[Warning] = EstimationWarning, *, stacklevel: int = 3
    ) -> None:
        """Record ``text`` and emit it with :func:`warnings.warn` as ``category``."""
        if text not in self._messages:
            self._messages.append(text)
        warnings.warn(text, category, stacklevel=stacklevel)

    def record(self, text: str) -> None:
        """Record ``text`` without emitting it (it was emitted elsewhere already)."""
        if text not in self._messages:
            self._messages.append(text)

    @property
    def messages(self) -> tuple[str, ...]:
        """Every recorded text, in order, without duplicates."""
        return tuple(self._messages)


class Estimator:
    """Base class of reckon's population-size estimators.

    Subclasses define ``__init__`` with keyword-only hyperparameters stored unchanged under
    the same names, and ``fit(table)`` which sets ``result_`` (an :class:`EstimateResult`)
    and returns ``self``.
    """

    #: Short method name used in results, e.g. ``"chapman"``.
    method: str = "estimator"

    result_: EstimateResult

    # ------------------------------------------------------------------ parameters

    @classmethod
    def _get_param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [
            name
            for name, p in signature.parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Hyperparameters as given to ``__init__`` (``deep`` is accepted for compatibility)."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set hyperparameters by name; unknown names raise :class:`ValidationError`."""
        valid = set(self._get_param_names())
        unknown = sorted(set(params) - valid)
        if unknown:
            raise ValidationError(
                f"{type(self).__name__} has no parameters {unknown}; valid: {sorted(valid)}"
            )
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
        shown = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if name not in defaults or not _same(defaults[name], value)
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    # ------------------------------------------------------------------ fitting

    def fit(self, table: CaptureHistories) -> Self:
        """Estimate the population size from ``table``; sets ``result_`` and returns self."""
        raise NotImplementedError(f"{type(self).__name__} does not implement fit()")

    @property
    def is_fitted(self) -> bool:
        """Whether :meth:`fit` has completed."""
        return hasattr(self, "result_")

    # ------------------------------------------------------------------ helpers

    def _check_table(
        self,
        table: CaptureHistories,
        *,
        min_lists: int = 2,
        max_lists: int | None = None,
    ) -> CaptureHistories:
        """Check that ``table`` can be given to this estimator and return it.

        Raises :class:`ValidationError` for a non-table, a stratified table (estimate each
        stratum with ``table.by_stratum()`` or use stratified estimation), an unsupported
        number of lists, or a table nobody was recorded in.
        """
        name = type(self).__name__
        if not isinstance(table, CaptureHistories):
            raise ValidationError(
                f"{name}.fit expects CaptureHistories, got {type(table).__name__}; build one "
                "with CaptureHistories.from_frame, from_csv or from_records"
            )
        problems: list[str] = []
        if table.strata is not None:
            problems.append(
                f"the table is stratified by {list(table.strata.columns)}; {name} estimates "
                "one population. Use stratified estimation, estimate each stratum from "
                "table.by_stratum(), or pass table.collapsed() to ignore the strata"
            )
        if table.n_lists < min_lists:
            problems.append(f"{name} needs at least {min_lists} lists, got {table.n_lists}")
        if max_lists is not None and table.n_lists > max_lists:
            problems.append(f"{name} handles at most {max_lists} lists, got {table.n_lists}")
        if table.observed <= 0:
            problems.append("nobody is recorded in the table (all counts are zero)")
        if problems:
            where = f" ({table.source})" if table.source else ""
            raise ValidationError(f"{name} cannot fit this table{where}", problems)
        return table

    def _provenance(
        self,
        table: CaptureHistories,
        random_state: int | None,
        settings: Mapping[str, Any] | None = None,
    ) -> Provenance:
        """Provenance for a result: now, this version, the table's digest, seed, settings.

        ``settings`` defaults to :meth:`get_params`.
        """
        return Provenance.now(
            table.digest(),
            random_state=random_state,
            settings=dict(settings) if settings is not None else self.get_params(),
        )

    @staticmethod
    def _warnings() -> WarningCollector:
        """A fresh collector: ``collector.warn(text, category)`` records and emits."""
        return WarningCollector()


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (ValueError, TypeError):
        return a is b
