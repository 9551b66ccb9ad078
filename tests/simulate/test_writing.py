"""How lists write names and fields, checked against KOREAN_NAMES.md and the scenario rates."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from reckon.records.vocabulary import load_vocabulary
from reckon.simulate import simulate
from reckon.simulate.scenario import Scenario
from reckon.simulate.writing import render_name, typo

# KOREAN_NAMES.md §4: listed spellings of 이 (Lee, Yi, Rhee ...), 박, 최, 정.
LEE = {"Lee", "Yi", "Rhee", "Ree", "Rey", "Rhie", "I", "Li", "Yie"}


def _render(surname: str, given: str, style: str, seed: int = 0, **kw: str) -> str:
    return render_name(surname, given, style, np.random.default_rng(seed), **kw)


def test_each_style_writes_the_documented_form() -> None:
    assert _render("이", "철호", "hangul_south") == "이철호"
    assert _render("이", "철호", "hangul_north", north_surname="리") == "리철호"
    assert _render("이", "철호", "rr") == "I Cheol-ho"
    assert _render("이", "철호", "rr_nohyphen") == "I Cheolho"
    assert _render("이", "철호", "mr") == "Yi Ch'ŏl-ho"
    assert _render("이", "철호", "dprk", north_surname="리") == "Ri Chol Ho"
    # KOREAN_NAMES.md §5: DPRK style writes every syllable separately (박동구 Pak Tong Gu)
    assert _render("박", "동구", "dprk") == "Pak Tong Gu"


def test_north_given_names_keep_initial_r_only_in_north_styles() -> None:
    assert _render("김", "룡철", "hangul_south") == "김용철"
    assert _render("김", "룡철", "hangul_north") == "김룡철"
    assert _render("김", "룡철", "dprk").startswith("Kim Ryong")


def test_passport_spellings_follow_the_passport_shares() -> None:
    rng = np.random.default_rng(1)
    lee = Counter(render_name("이", "철호", "passport", rng).split()[0] for _ in range(2000))
    assert set(lee) <= LEE
    assert lee["Lee"] / 2000 > 0.9  # 98.8 % of passports
    park = Counter(render_name("박", "정희", "passport", rng).split()[0] for _ in range(500))
    assert park.most_common(1)[0][0] == "Park"
    choi = Counter(render_name("최", "은희", "passport", rng).split()[0] for _ in range(500))
    assert choi.most_common(1)[0][0] == "Choi"
    jung = Counter(render_name("정", "수", "passport", rng).split()[0] for _ in range(500))
    assert {"Jung", "Jeong"} <= set(jung)
    assert "Kang" in {render_name("강", "민", "passport", rng).split()[0] for _ in range(50)}


def test_western_and_upper_case_orders() -> None:
    rng = np.random.default_rng(3)
    western = {render_name("이", "철호", "western", rng) for _ in range(50)}
    assert all(re.fullmatch(r"Chul-?ho \w+", w, flags=re.I) for w in western)
    upper = {render_name("이", "철호", "upper", rng) for _ in range(50)}
    assert "LEE CHULHO" in upper
    assert all(u == u.upper() for u in upper)


def test_a_hangul_typo_changes_one_vowel_and_never_the_surname() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        wrong = typo("이철호", rng, skip=1)
        assert wrong[0] == "이" and len(wrong) == 3
        assert sum(a != b for a, b in zip(wrong, "이철호", strict=True)) <= 1
    assert any(typo("이철호", rng, skip=1) != "이철호" for _ in range(10))


def test_a_latin_typo_is_one_edit_away() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        wrong = typo("Lee Chul-ho", rng)
        assert wrong != "Lee Chul-ho"
        assert abs(len(wrong) - len("Lee Chul-ho")) <= 1
        assert wrong[0] == "L"


@pytest.fixture(scope="module")
def sim():
    return simulate("default", seed=11, people=20000)


def test_ri_appears_only_in_north_spelling_lists(sim) -> None:
    north_lists = {s.name for s in sim.scenario.lists if s.name_style.get("hangul_north", 0) > 0}
    dprk_lists = {s.name for s in sim.scenario.lists if s.name_style.get("dprk", 0) > 0}
    assert north_lists and set(sim.list_names()) - north_lists
    records = sim.records.merge(sim.population[["person_id", "surname"]], on="person_id")
    hangul_ri = records["name"].str.startswith(("리", "림", "류", "량", "로"))
    assert set(records.loc[hangul_ri, "source"]) == north_lists
    # every 이 in a North-spelling list written in Hangul is 리
    lee = records[(records["surname"] == "이") & records["source"].isin(north_lists)]
    hangul = lee[lee["name"].str.match(r"[\uac00-\ud7a3]")]
    assert len(hangul) > 50 and hangul["name"].str.startswith("리").all()
    # the romanized Ri of 李 comes only from the DPRK style
    latin_ri = records["name"].str.match(r"(?i)ri ") & (records["surname"] == "이")
    assert set(records.loc[latin_ri, "source"]) <= dprk_lists


def test_passport_lists_write_lee_only_in_documented_spellings() -> None:
    scenario = Scenario.from_dict(
        {
            "people": 5000,
            "lists": [
                {"name": "a", "capture_rate": 1.0, "name_style": {"passport": 1, "upper": 1}},
                {"name": "b", "capture_rate": 0.1, "name_style": {"western": 1}},
            ],
        }
    )
    sim = simulate(scenario, seed=4)
    records = sim.records.merge(sim.population[["person_id", "surname"]], on="person_id")
    lee = records[records["surname"] == "이"]
    family = [
        n.split()[-1] if src == "b" else n.split()[0]
        for n, src in zip(lee["name"], lee["source"], strict=True)
    ]
    assert {f.title() for f in family} <= LEE
    assert Counter(f.title() for f in family).most_common(1)[0][0] == "Lee"


def _rates_scenario(**rates: float) -> Scenario:
    return Scenario.from_dict(
        {
            "people": 4000,
            "seed": 2,
            "lists": [
                {"name": "a", "capture_rate": 0.9, "field_style": "en", **rates},
                {"name": "b", "capture_rate": 0.1},
            ],
        }
    )


def _binomial_ok(share: float, rate: float, n: int) -> bool:
    return abs(share - rate) < 5 * (rate * (1 - rate) / n) ** 0.5 + 1e-9


def test_within_list_duplicates_appear_at_the_configured_rate() -> None:
    sim = simulate(_rates_scenario(duplicate_rate=0.2))
    counts = sim.counts()["a"]
    assert _binomial_ok(counts["duplicates"] / counts["people"], 0.2, counts["people"])
    per_person = sim.records[sim.records["source"] == "a"]["person_id"].value_counts()
    assert per_person.max() == 2
    assert sim.counts()["b"]["duplicates"] == 0


def test_field_errors_appear_at_their_rates_and_sizes() -> None:
    sim = simulate(
        _rates_scenario(
            age_instead_of_birth_rate=0.3,
            birth_error_rate=0.2,
            province_missing_rate=0.1,
            event_year_error_rate=0.25,
            sex_missing_rate=0.05,
        )
    )
    rec = sim.records[sim.records["source"] == "a"].merge(
        sim.population, on="person_id", suffixes=("", "_true")
    )
    n = len(rec)
    as_age = rec["birth_year"].isna()
    assert _binomial_ok(as_age.mean(), 0.3, n)
    assert (rec["age_at_event"].isna() == ~as_age).all()
    birth_diff = rec.loc[~as_age, "birth_year"].astype(int) - rec.loc[~as_age, "birth_year_true"]
    assert set(birth_diff) == {-1, 0, 1}
    assert _binomial_ok((birth_diff != 0).mean(), 0.2, len(birth_diff))
    assert _binomial_ok(rec["province"].isna().mean(), 0.1, n)
    assert _binomial_ok(rec["sex"].isna().mean(), 0.05, n)
    year_diff = rec["event_year"] - rec["event_year_true"]
    assert set(year_diff) <= {-1, 0, 1}
    assert _binomial_ok((year_diff != 0).mean(), 0.25, n)


def test_wrong_provinces_are_other_provinces_and_written_fields_look_up() -> None:
    sim = simulate(_rates_scenario(province_wrong_rate=0.3))
    provinces = load_vocabulary("provinces")
    violations = load_vocabulary("violation_types")
    rec = sim.records[sim.records["source"] == "a"].merge(
        sim.population, on="person_id", suffixes=("", "_true")
    )
    written = rec["province"].map(lambda v: provinces.lookup(v).code)
    wrong = written != rec["province_true"]
    assert _binomial_ok(wrong.mean(), 0.3, len(rec))
    assert (
        rec["violation"].map(lambda v: violations.lookup(v).code) == rec["violation_true"]
    ).all()


def test_dropped_syllables_shorten_the_given_name() -> None:
    scenario = Scenario.from_dict(
        {
            "people": 3000,
            "seed": 3,
            "population": {"one_syllable_given_share": 0.0},
            "lists": [
                {"name": "a", "capture_rate": 1.0, "drop_syllable_rate": 0.4},
                {"name": "b", "capture_rate": 0.1},
            ],
        }
    )
    sim = simulate(scenario)
    rec = sim.records[sim.records["source"] == "a"]
    short = rec["name"].str.len() < rec["person_id"].map(
        sim.population.set_index("person_id")["name_hangul"].str.len()
    )
    assert _binomial_ok(short.mean(), 0.4, len(rec))
    assert isinstance(rec, pd.DataFrame)
