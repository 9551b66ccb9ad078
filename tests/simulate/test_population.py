"""The true population: names by census shares, South/North spellings, acts, visibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reckon.linkage.korean_names import south_spelling, split_name
from reckon.linkage.surnames import surnames
from reckon.records.vocabulary import load_vocabulary
from reckon.simulate.population import FACILITY_VIOLATIONS, generate_population
from reckon.simulate.scenario import load_scenario


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    scenario = load_scenario("default").with_overrides(people=20000)
    return generate_population(scenario, np.random.default_rng(123))


def test_surnames_follow_the_census_shares(population: pd.DataFrame) -> None:
    table = surnames()
    total = sum(s.population for s in table)
    observed = population["surname"].value_counts(normalize=True)
    n = len(population)
    for entry in table[:5]:  # 김 이 박 정 최
        expected = entry.population / total
        se = (expected * (1 - expected) / n) ** 0.5
        assert abs(observed[entry.hangul] - expected) < 5 * se, entry.hangul


def test_names_split_back_and_are_in_south_spelling(population: pd.DataFrame) -> None:
    for row in population.head(3000).itertuples():
        assert south_spelling(row.name_hangul) == row.name_hangul
        assert split_name(row.name_hangul) == (row.surname, row.given)
        assert row.name_hangul.startswith(row.surname)
    assert not population["name_hangul"].str.startswith("리").any()


def test_north_spelling_uses_the_north_surname(population: pd.DataFrame) -> None:
    lee = population[population["surname"] == "이"]
    assert len(lee) > 1000
    assert lee["name_north"].str.startswith("리").all()
    lim = population[population["surname"] == "임"]["name_north"].str[0]
    assert set(lim) == {"림", "임"}  # 林 and 任 are written differently in the North


def test_given_name_lengths_and_sex_follow_the_scenario(population: pd.DataFrame) -> None:
    one = (population["given"].str.len() == 1).mean()
    assert 0.05 < one < 0.11  # scenario: 0.08 (a few redraws for 황보-like names)
    female = (population["sex"] == "F").mean()
    assert abs(female - 0.7) < 0.02


def test_places_and_acts_are_vocabulary_codes(population: pd.DataFrame) -> None:
    provinces = {t.code for t in load_vocabulary("provinces")}
    violations = {t.code for t in load_vocabulary("violation_types")}
    facilities = {t.code for t in load_vocabulary("facilities")} | {
        t.code for t in load_vocabulary("facility_types")
    }
    assert set(population["province"]) <= provinces
    assert set(population["violation"]) <= violations
    assert set(population["facility"].dropna()) <= facilities
    has_facility = population["facility"].notna()
    in_facility = population["violation"].isin(list(FACILITY_VIOLATIONS))
    assert (has_facility == in_facility).all()
    # NK_FACTS §4: over 85 % from Ryanggang and the Hamgyong provinces
    assert population["province"].isin(["KP.NH", "KP.RG", "KP.SH"]).mean() > 0.8
    assert population["county"].notna().all()


def test_dates_are_consistent(population: pd.DataFrame) -> None:
    assert (population["birth_year"] + population["age_at_event"] == population["event_year"]).all()
    assert population["age_at_event"].between(6, 85).all()
    second = population["act2_violation"].notna()
    assert abs(second.mean() - 0.25) < 0.02
    assert (population.loc[second, "act2_event_year"] > population.loc[second, "event_year"]).all()
    assert population.loc[~second, "act2_event_year"].isna().all()


def test_visibility_is_group_times_covariate_effects(population: pd.DataFrame) -> None:
    scenario = load_scenario("default")
    base = np.array([v for _, v in scenario.groups])[population["visibility_group"]]
    expected = base.copy()
    expected[population["sex"] == "F"] *= scenario.effects["female"]
    kwanliso = population["facility"].fillna("").str.startswith("FAC.KWANLISO")
    expected[kwanliso.to_numpy()] *= scenario.effects["kwanliso"]
    executed = population["violation"].str.startswith("VT.LIFE.")
    expected[executed.to_numpy()] *= scenario.effects["executed"]
    np.testing.assert_allclose(population["visibility"], expected)


def test_same_generator_same_population() -> None:
    scenario = load_scenario("small")
    a = generate_population(scenario, np.random.default_rng(5))
    b = generate_population(scenario, np.random.default_rng(5))
    c = generate_population(scenario, np.random.default_rng(6))
    pd.testing.assert_frame_equal(a, b)
    assert not a["name_hangul"].equals(c["name_hangul"])
