"""Choosing comparisons and blocking rules from the available columns."""

from __future__ import annotations

import pandas as pd
import pytest
from splink import DuckDBAPI, Linker

from reckon.errors import LinkageError
from reckon.linkage.korean_names import compare_names
from reckon.linkage.model import Blocking, build_model, refine_blocking
from reckon.linkage.prepare import prepare_records

NAMES = ["리철호", "Ri Chol Ho", "Kim Chol Ho", "김철수", "박영희", "Cheol-ho Lee", "이철우"]


def _prepared() -> pd.DataFrame:
    n = len(NAMES)
    return prepare_records(
        pd.DataFrame(
            {
                "record_id": [str(i) for i in range(n)],
                "source": ["a", "b"] * (n // 2) + ["a"] * (n % 2),
                "name": NAMES,
                "birth_year": [1962] * n,
                "sex": ["M"] * n,
                "province": ["North Hamgyong"] * n,
            }
        )
    )


def _name_levels(prepared: pd.DataFrame) -> dict[tuple[int, int], int]:
    """The Splink name level of every pair (exhaustive blocking, untrained model)."""
    model = build_model(prepared.columns)
    settings = model.settings
    settings.blocking_rules_to_generate_predictions = ["1=1"]
    settings.retain_matching_columns = True  # reckon's runs keep only weights, not levels
    linker = Linker(DuckDBAPI().register(prepared), settings)
    pairs = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    return {(int(r.unique_id_l), int(r.unique_id_r)): int(r.gamma_name) for r in pairs.itertuples()}


def test_korean_model_has_one_name_comparison_and_the_other_fields() -> None:
    model = build_model(_prepared().columns)
    assert model.kind == "korean"
    assert model.comparisons == ["name", "birth_year", "sex", "place"]


def test_name_comparison_levels_agree_with_compare_names() -> None:
    # Splink's SQL levels (5 down to 0, with the extra Jaro-Winkler level at 2) must order
    # pairs as korean_names.compare_names does.
    levels = _name_levels(_prepared())
    to_reckon = {5: 4, 4: 3, 3: 2, 2: 1, 1: 1, 0: 0}
    for (i, j), gamma in levels.items():
        expected = compare_names(NAMES[i], NAMES[j])
        if gamma == 2:  # same surname, similar given key: compare_names has no such level
            assert expected <= 2, (NAMES[i], NAMES[j])
        else:
            assert to_reckon[gamma] == expected, (NAMES[i], NAMES[j], gamma)


def test_hangul_and_romanized_same_name_reach_a_top_level() -> None:
    levels = _name_levels(_prepared())
    assert levels[(0, 1)] >= 4  # 리철호 / Ri Chol Ho
    assert levels[(0, 5)] >= 4  # 리철호 / Cheol-ho Lee (Western order)


def test_generic_model_chosen_without_korean_keys() -> None:
    prepared = prepare_records(
        pd.DataFrame({"record_id": ["1", "2"], "source": ["a", "a"],
                      "first_name": ["robert", "rob"], "surname": ["allen", "alan"],
                      "dob": ["1971-06-24", "1971-05-24"], "postcode": ["AB1 2CD", None]})
    )  # fmt: skip
    model = build_model(prepared.columns)
    assert model.kind == "generic"
    assert model.comparisons[:2] == ["first_name_surname", "dob"]


def test_model_needs_a_second_field() -> None:
    prepared = prepare_records(
        pd.DataFrame({"record_id": ["1", "2"], "source": ["a", "b"], "name": ["김철호", "이철호"]})
    )
    with pytest.raises(LinkageError, match="at least one more field"):
        build_model(prepared.columns)


def test_blocking_counts_pairs_per_block_and_explodes_arrays() -> None:
    prepared = pd.DataFrame(
        {
            "unique_id": range(5),
            "surname_key": ["k", "k", "k", "i", None],
            "syllables": [["a", "b"], ["a"], ["b"], ["a"], ["a"]],
        }
    )
    assert Blocking("surname_key").count_pairs(prepared) == 3
    # k: a -> {0, 1}, b -> {0, 2}; i: a -> {3}; the record without a surname is not paired
    assert Blocking("surname_key", "syllables", explode=("syllables",)).count_pairs(prepared) == 2


def test_refine_blocking_narrows_only_the_rules_over_budget() -> None:
    prepared = prepare_records(
        pd.DataFrame(
            {
                "record_id": [str(i) for i in range(40)],
                "source": ["a"] * 40,
                "name": ["김철호", "김영수"] * 20,
                "birth_year": [1960] * 40,
                "sex": ["M", "F"] * 20,
                "province": ["North Hamgyong"] * 20 + ["Ryanggang"] * 20,
            }
        )
    )
    model = build_model(prepared.columns)
    wide = Blocking("surname_key", "birth_mid")
    assert wide in model.blocking and wide.count_pairs(prepared) == 780
    refined, changes = refine_blocking(model, prepared, max_pairs=200)
    narrowed = [rule for rule in refined.blocking if rule.keys[:2] == wide.keys]
    assert narrowed == [Blocking("surname_key", "birth_mid", "sex", "province")]
    assert narrowed[0].count_pairs(prepared) <= 200
    for before, after in zip(model.blocking, refined.blocking, strict=True):
        assert after.keys[: len(before.keys)] == before.keys
        assert (after == before) == (before.count_pairs(prepared) <= 200)
    assert any("surname_key, birth_mid)" in change for change in changes)
    assert len(refined.settings.blocking_rules_to_generate_predictions) == len(model.blocking)
    unchanged, none = refine_blocking(model, prepared, max_pairs=10_000)
    assert unchanged is model and none == []
