"""Scenarios: presets, YAML files, validation messages and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reckon.errors import ValidationError
from reckon.simulate.scenario import Scenario, load_scenario, preset_names

MINIMAL = {
    "people": 100,
    "lists": [
        {"name": "a", "capture_rate": 0.3},
        {"name": "b", "capture_rate": 0.2},
    ],
}


def test_the_required_presets_are_shipped() -> None:
    assert {"default", "independent", "heterogeneous", "dependent", "small"} <= set(preset_names())


@pytest.mark.parametrize("name", ["default", "independent", "heterogeneous", "dependent", "small"])
def test_every_preset_is_valid_and_round_trips(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert Scenario.from_dict(scenario.to_dict()) == scenario


def test_default_and_small_presets_have_the_documented_sizes() -> None:
    default = load_scenario(None)
    assert (default.name, default.people, len(default.lists)) == ("default", 20000, 5)
    assert len({tuple(sorted(s.name_style)) for s in default.lists}) == 5  # mixed styles
    assert len(default.groups) > 1
    small = load_scenario("small")
    assert (small.people, len(small.lists)) == (300, 3)


def test_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(ValidationError) as err:
        load_scenario("defualt")
    message = str(err.value)
    assert "'defualt'" in message
    for name in preset_names():
        assert name in message


def test_a_yaml_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(MINIMAL), encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.name == "mine"
    assert scenario.list_names == ["a", "b"]
    assert load_scenario(str(path)) == scenario


def test_every_problem_is_reported_at_once() -> None:
    bad = {
        "people": 100,
        "colour": "red",
        "population": {"female_share": 1.5, "hight": 3},
        "heterogeneity": {"groups": [{"share": 0.5, "visibility": 1.0}], "effects": {"tall": 2}},
        "lists": [
            {"name": "a", "capture_rate": 1.2, "typo_rate": -0.1, "speed": 3},
            {"name": "b", "capture_rate": 0.2, "name_style": {"klingon": 1.0}},
            {"name": "c", "capture_rate": 0.2, "copies_from": "zzz", "field_style": "fr"},
        ],
    }
    with pytest.raises(ValidationError) as err:
        Scenario.from_dict(bad)
    problems = "\n".join(err.value.problems)
    for expected in (
        "unknown key 'colour'",
        "population.female_share: 1.5 is outside [0, 1]",
        "unknown key 'hight'",
        "the shares sum to 0.5",
        "unknown key 'tall'",
        "lists[a].capture_rate: 1.2 is outside [0, 1]",
        "lists[a].typo_rate: -0.1 is outside [0, 1]",
        "unknown key 'speed'",
        "unknown entry 'klingon'",
        "no list 'zzz'",
        "'fr' is not one of",
    ):
        assert expected in problems, expected
    assert len(err.value.problems) >= 11


def test_unknown_codes_and_names_are_refused() -> None:
    bad = dict(MINIMAL)
    bad["population"] = {"province_weights": {"KP.XX": 1}, "violation_weights": {"VT.NOPE": 1}}
    bad["lists"] = [{"name": "a", "capture_rate": 0.1}, {"name": "a", "capture_rate": 0.1}]
    with pytest.raises(ValidationError) as err:
        Scenario.from_dict(bad)
    problems = "\n".join(err.value.problems)
    assert "'KP.XX'" in problems and "'VT.NOPE'" in problems and "used twice" in problems


def test_copying_in_a_cycle_is_refused() -> None:
    cyclic = {
        "lists": [
            {"name": "a", "capture_rate": 0.1, "copies_from": "b", "copy_rate": 0.1},
            {"name": "b", "capture_rate": 0.1, "referred_by": "a", "referral_rate": 0.1},
        ]
    }
    with pytest.raises(ValidationError, match="cycle"):
        Scenario.from_dict(cyclic)


def test_a_single_list_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least two lists"):
        Scenario.from_dict({"lists": [{"name": "a", "capture_rate": 0.1}]})


def test_overrides_change_n_seed_and_lists() -> None:
    base = load_scenario("dependent")
    fewer = base.with_overrides(people=50, lists=2, seed=9)
    assert (fewer.people, fewer.seed, fewer.list_names) == (50, 9, base.list_names[:2])
    more = base.with_overrides(lists=6)
    assert len(more.lists) == 6 and more.list_names[:4] == base.list_names
    assert all(s.copies_from is None and s.referred_by is None for s in more.lists[4:])
    # a list copying from a dropped list stops copying
    three = base.with_overrides(lists=3)
    assert three.list_spec("press_reports").copies_from == "testimony_db"
    legal = load_scenario("dependent").list_spec("legal_submissions")
    assert legal.copies_from == "mapping_project"


@pytest.mark.parametrize("kwargs", [{"people": 0}, {"lists": 1}, {"seed": -1}, {"people": 2.5}])
def test_bad_overrides_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValidationError):
        load_scenario("small").with_overrides(**kwargs)


def test_capture_order_puts_sources_first() -> None:
    scenario = Scenario.from_dict(
        {
            "lists": [
                {"name": "copy", "capture_rate": 0.1, "copies_from": "orig", "copy_rate": 0.5},
                {"name": "orig", "capture_rate": 0.1},
            ]
        }
    )
    assert [s.name for s in scenario.capture_order()] == ["orig", "copy"]
