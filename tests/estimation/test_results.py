"""EstimateResult / Provenance and the Estimator base class that produces them."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from reckon import __version__
from reckon.errors import EstimationWarning, SmallCellWarning, ValidationError
from reckon.estimation import (
    CaptureHistories,
    EstimateResult,
    Estimator,
    Provenance,
    WarningCollector,
    resolve_random_state,
)


def _result(**changes: object) -> EstimateResult:
    values: dict[str, object] = {
        "method": "demo",
        "observed": 100,
        "estimate": 150.25,
        "interval": (120, 200.5),
        "level": 0.95,
        "diagnostics": {"rhat": np.float64(1.01), "n_models": np.int64(8), "nested": {"a": 1}},
        "warnings": ["first", "second"],
        "provenance": Provenance.now("ab" * 32, random_state=7, settings={"K": 10}),
        "draws": np.arange(12.0).reshape(3, 4),
        "details": pd.DataFrame({"model": ["x", "y"], "BIC": [1.5, np.nan]}),
    }
    values.update(changes)
    return EstimateResult(**values)  # type: ignore[arg-type]


def test_to_dict_is_json_safe_and_leaves_out_draws() -> None:
    result = _result()
    data = result.to_dict()
    text = json.dumps(data)  # raises if anything is not JSON-safe
    assert "draws" not in data
    assert data["interval"] == [120.0, 200.5]
    assert data["diagnostics"]["n_models"] == 8
    assert data["details"] == [{"model": "x", "BIC": 1.5}, {"model": "y", "BIC": None}]
    assert data["provenance"]["random_state"] == 7
    assert data["provenance"]["settings"] == {"K": 10}
    assert data["warnings"] == ["first", "second"]
    assert json.loads(text)["estimate"] == 150.25


def test_non_finite_numbers_become_null() -> None:
    data = _result(interval=(120, float("inf"))).to_dict()
    assert data["interval"] == [120.0, None]


def test_to_frame_is_one_row() -> None:
    frame = _result().to_frame()
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["estimate"], row["lower"], row["upper"]) == (150.25, 120.0, 200.5)
    assert row["random_state"] == 7


def test_str_explains_the_estimate() -> None:
    text = str(_result())
    lines = text.splitlines()
    assert len(lines) >= 5
    assert "150" in text and "95% interval" in text and "120" in text
    assert "warning: first" in text
    assert "seed 7" in text
    assert f"reckon {__version__}" in text
    assert "draws: 3×4" in text


def test_result_is_frozen_and_its_parts_read_only() -> None:
    result = _result()
    with pytest.raises(AttributeError):
        result.estimate = 3.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.diagnostics["rhat"] = 2.0  # type: ignore[index]
    assert result.draws is not None
    with pytest.raises(ValueError):
        result.draws[0, 0] = 1.0
    assert result.unobserved == pytest.approx(50.25)


def test_provenance_now_stamps_time_and_version() -> None:
    prov = Provenance.now("digest", settings={"level": 0.9})
    assert prov.reckon_version == __version__
    assert prov.created.endswith("+00:00")
    assert prov.random_state is None
    assert prov.to_dict()["settings"] == {"level": 0.9}


def test_warning_collector_records_and_emits() -> None:
    collector = WarningCollector()
    with pytest.warns(SmallCellWarning, match="cell 3"):
        collector.warn("cell 3 is small", SmallCellWarning)
    with pytest.warns(EstimationWarning):
        collector.warn("cell 3 is small")  # recorded once only
    collector.record("silent")
    assert collector.messages == ("cell 3 is small", "silent")


def test_resolve_random_state() -> None:
    assert resolve_random_state(5) == 5
    drawn = resolve_random_state(None)
    assert isinstance(drawn, int) and drawn >= 0
    with pytest.raises(ValidationError):
        resolve_random_state(-1)
    with pytest.raises(ValidationError):
        resolve_random_state(1.5)  # type: ignore[arg-type]


class _Toy(Estimator):
    method = "toy"

    def __init__(self, scale: float = 1.0, *, label: str = "x") -> None:
        self.scale = scale
        self.label = label

    def fit(self, table: CaptureHistories) -> _Toy:
        table = self._check_table(table, max_lists=3)
        collector = self._warnings()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collector.warn("toy warning")
        self.result_ = EstimateResult(
            method="toy",
            observed=table.observed,
            estimate=table.observed * self.scale,
            interval=(table.observed, table.observed * self.scale),
            level=0.9,
            diagnostics={},
            warnings=collector.messages,
            provenance=self._provenance(table, None),
        )
        return self


def _table(strata: bool = False, n_lists: int = 2) -> CaptureHistories:
    frame = pd.DataFrame({f"L{j}": [1, 0, 1, 1] for j in range(n_lists)})
    frame["L0"] = [1, 0, 1, 0]
    frame["L1"] = [0, 1, 1, 1]
    frame["region"] = ["n", "n", "s", "s"]
    frame["count"] = [5, 6, 7, 8]
    if strata:
        return CaptureHistories.from_frame(frame, strata=["region"])
    return CaptureHistories.from_frame(frame.drop(columns="region"))


def test_estimator_params_follow_scikit_learn() -> None:
    toy = _Toy(2.0, label="y")
    assert toy.get_params() == {"scale": 2.0, "label": "y"}
    assert toy.set_params(scale=3.0) is toy and toy.scale == 3.0
    with pytest.raises(ValidationError, match="no parameters"):
        toy.set_params(bogus=1)
    assert repr(_Toy()) == "_Toy()"
    assert repr(_Toy(label="z")) == "_Toy(label='z')"
    assert not toy.is_fitted


def test_fit_records_provenance_with_settings_and_digest() -> None:
    table = _table()
    toy = _Toy(2.0).fit(table)
    assert toy.is_fitted
    assert toy.result_.provenance.input_digest == table.digest()
    assert dict(toy.result_.provenance.settings) == {"scale": 2.0, "label": "x"}
    assert toy.result_.warnings == ("toy warning",)


def test_check_table_refuses_strata_too_many_lists_and_wrong_types() -> None:
    with pytest.raises(ValidationError, match="stratified"):
        _Toy().fit(_table(strata=True))
    with pytest.raises(ValidationError, match="at most 3 lists"):
        _Toy().fit(_table(n_lists=4))
    with pytest.raises(ValidationError, match="expects CaptureHistories"):
        _Toy().fit(pd.DataFrame())  # type: ignore[arg-type]
