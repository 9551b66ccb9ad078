"""Scenarios: every parameter of a simulation, read from YAML, checked, with named presets.

A scenario says how many victims there are, how they are distributed (sex, age, province,
violations, years), how visible each of them is to documenters (latent groups and covariates),
and, for each documentation list, how likely it is to record a person, whom it copies from or is
referred by, and how it writes names and fields (its styles and error rates).

YAML layout (every key optional except ``lists``; unknown keys are refused)::

    people: 20000            # true number of victims N
    seed: 20240601           # seed of the one numpy Generator behind everything
    population:
      female_share: 0.7              # NK_FACTS §4/§8: 70-80 % of arrivals are women
      one_syllable_given_share: 0.08 # given names of one syllable (철, 진)
      age_mean: 33                   # age at the (first) event, normal, clipped to 6..85
      age_sd: 12
      second_act_share: 0.25         # victims with a second act (another violation, later year)
      province_weights: {KP.NH: 0.45, ...}  # origin; NK_FACTS §4: >85 % Ryanggang/Hamgyong
      violation_weights: {VT.LIB.DETENTION: 3996, ...}  # NKDB 2009 counts (NK_FACTS §1)
      event_year_weights: {1997: 1043, ...}             # year -> weight
    heterogeneity:
      groups:                        # latent visibility classes: share and capture multiplier
        - {share: 0.25, visibility: 2.0}
        - {share: 0.75, visibility: 0.67}
      effects: {female: 1.1, kwanliso: 0.6}   # covariate multipliers of visibility
    lists:
      - name: testimony_db           # file <name>.csv; letters, digits, _ and -
        capture_rate: 0.3            # probability of recording a person of visibility 1
        heterogeneity_weight: 1.0    # p = min(1, capture_rate * visibility ** weight)
        copies_from: null            # another list: copies records of people it holds
        copy_rate: 0.0               # share of that list's people copied
        referred_by: null            # another list whose people refer others (same county)
        referral_rate: 0.0           # referrals per person of that list
        name_style: {hangul_south: 0.6, passport: 0.4}  # see NAME_STYLES
        field_style: ko               # ko | en | code: how province/violation/facility are written
        typo_rate: 0.02 ...           # see ERROR_RATES

Presets (``reckon/simulate/scenarios/<name>.yaml``): ``default`` (5 lists, 20,000 people, mixed
styles, moderate heterogeneity), ``independent`` (no heterogeneity, no dependence),
``heterogeneous``, ``dependent`` and ``small`` (300 people, 3 lists, for the demo).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from reckon.errors import ValidationError

__all__ = [
    "COVARIATE_EFFECTS",
    "ERROR_RATES",
    "FIELD_STYLES",
    "NAME_STYLES",
    "ListSpec",
    "Scenario",
    "load_scenario",
    "preset_names",
]

#: How a list can write a name (weights per list in ``name_style``).
NAME_STYLES: Mapping[str, str] = MappingProxyType(
    {
        "hangul_south": "Hangul in South spelling (이철호)",
        "hangul_north": "Hangul in North spelling, initial ㄹ/ㄴ kept (리철호, 류정민)",
        "rr": "Revised Romanization, hyphenated given name (I Cheol-ho)",
        "rr_nohyphen": "Revised Romanization, joined given name (I Cheolho)",
        "mr": "McCune-Reischauer with breves and apostrophes (Yi Ch'ŏl-ho)",
        "dprk": "DPRK system, syllables separate, breves dropped (Ri Chol Ho)",
        "passport": "passport/press spelling of the surname (Lee, Park, Choi, Jung) (Lee Chul-ho)",
        "western": "passport spelling in Western order (Chul-ho Lee)",
        "upper": "passport spelling in capitals, given name joined (LEE CHULHO)",
    }
)

#: How a list writes province, violation and facility.
FIELD_STYLES = ("ko", "en", "code")

#: Per-list error rates (probabilities per record) and what each does.
ERROR_RATES: Mapping[str, str] = MappingProxyType(
    {
        "typo_rate": "one character of the name mistyped (a jamo in Hangul, a letter in Latin)",
        "drop_syllable_rate": "one syllable of a two-syllable given name left out",
        "age_instead_of_birth_rate": "age at the event written instead of the birth year",
        "birth_error_rate": "birth year (or age) off by one",
        "province_missing_rate": "province left empty",
        "province_wrong_rate": "another province written",
        "county_missing_rate": "county left empty",
        "event_year_error_rate": "event year off by one",
        "sex_missing_rate": "sex left empty",
        "facility_missing_rate": "facility left empty",
        "other_act_rate": "the victim's second act reported instead of the first (if any)",
        "duplicate_rate": "the same person recorded twice in the list (a second, noisy record)",
    }
)

#: Covariates whose multipliers ``heterogeneity.effects`` may set.
COVARIATE_EFFECTS: Mapping[str, str] = MappingProxyType(
    {
        "female": "victim is a woman",
        "detained": "the act took place in a detention facility",
        "kwanliso": "the act took place in a political prison camp (few ever leave)",
        "executed": "the act is a killing (VT.LIFE.*): known only through witnesses",
        "recent": "the event year is 2012 or later (Kim Jong Un era, fewer arrivals)",
    }
)

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_PACKAGE = "reckon.simulate"
_PRESET_DIR = "scenarios"

# NKDB 2009 White Paper counts by act (NK_FACTS.md §1); labour 2.7 % of 11,206 cases ≈ 300.
DEFAULT_VIOLATIONS: dict[str, float] = {
    "VT.LIB.DETENTION": 3996,
    "VT.LIFE.EXEC_PUBLIC": 1116,
    "VT.INTEG.TORTURE": 792,
    "VT.MOV.REFOULEMENT": 772,
    "VT.LIFE.STARVATION": 416,
    "VT.MOV.FORCED_RELOC": 415,
    "VT.LIFE.DEATH_CUSTODY": 311,
    "VT.LAB.FORCED": 300,
    "VT.REPRO.FORCED_ABORTION": 74,
    "VT.TEX.RELIGION": 65,
    "VT.LIFE.EXEC_SECRET": 58,
    "VT.LIFE.EXEC_SUMMARY": 54,
    "VT.LIFE.INFANTICIDE": 24,
}

# Origin: "over 85 percent list their hometowns within Ryanggang and Hamgyong provinces" (MOU
# via NK_FACTS.md §4); the split of the rest is an assumption for synthetic data.
DEFAULT_PROVINCES: dict[str, float] = {
    "KP.NH": 0.50,
    "KP.RG": 0.27,
    "KP.SH": 0.09,
    "KP.SP": 0.03,
    "KP.NP": 0.03,
    "KP.PY": 0.02,
    "KP.CG": 0.015,
    "KP.KW": 0.015,
    "KP.NHW": 0.01,
    "KP.SHW": 0.01,
    "KP.RS": 0.005,
    "KP.NM": 0.0025,
    "KP.KS": 0.0025,
}

# Event years weighted by MOU arrivals two years later (NK_FACTS.md §4, revised totals): acts
# happen before flight, and arrivals are who testifies.
_ARRIVALS = {
    1999: 148, 2000: 312, 2001: 583, 2002: 1139, 2003: 1281, 2004: 1894, 2005: 1382,
    2006: 2018, 2007: 2553, 2008: 2804, 2009: 2914, 2010: 2401, 2011: 2706, 2012: 1502,
    2013: 1514, 2014: 1397, 2015: 1276, 2016: 1417, 2017: 1127, 2018: 1137, 2019: 1047,
    2020: 229, 2021: 63, 2022: 67, 2023: 196,
}  # fmt: skip
DEFAULT_EVENT_YEARS: dict[int, float] = {year - 2: float(n) for year, n in _ARRIVALS.items()}


def _problem_rate(problems: list[str], where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: {value!r} is not a number; write a probability in [0, 1]")
        return 0.0
    if not 0.0 <= float(value) <= 1.0:
        problems.append(f"{where}: {value!r} is outside [0, 1]; write a probability in [0, 1]")
        return 0.0
    return float(value)


def _problem_positive(problems: list[str], where: str, value: Any, *, zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: {value!r} is not a number")
        return 0.0
    if value < 0 or (not zero and value == 0):
        problems.append(f"{where}: {value!r} must be {'>= 0' if zero else '> 0'}")
        return 0.0
    return float(value)


def _unknown_keys(
    problems: list[str], where: str, data: Mapping[str, Any], known: tuple[str, ...]
) -> None:
    for key in data:
        if key not in known:
            problems.append(f"{where}: unknown key {key!r}; the keys are: {', '.join(known)}")


def _weights(problems: list[str], where: str, value: Any, allowed: Any = None) -> dict[Any, float]:
    if not isinstance(value, Mapping) or not value:
        problems.append(f"{where}: expected a non-empty mapping of name -> weight, got {value!r}")
        return {}
    out: dict[Any, float] = {}
    for key, weight in value.items():
        if allowed is not None and key not in allowed:
            problems.append(
                f"{where}: unknown entry {key!r}; choose from: {', '.join(map(str, allowed))}"
            )
            continue
        out[key] = _problem_positive(problems, f"{where}.{key}", weight)
    if out and sum(out.values()) <= 0:
        problems.append(f"{where}: the weights sum to 0; give at least one positive weight")
    return out


@dataclass(frozen=True)
class ListSpec:
    """One documentation list: how it captures people and how it writes them.

    Parameters
    ----------
    name : str
        The list's name (the ``source`` of its records and its file name).
    capture_rate : float
        Probability that the list records a person of visibility 1.
    heterogeneity_weight : float
        Exponent on the person's visibility: ``p = min(1, capture_rate * visibility ** w)``;
        0 makes this list blind to visibility.
    copies_from, copy_rate
        Another list whose people this list copies, and the share copied (list dependence).
    referred_by, referral_rate
        Another list whose people refer others from their county to this list, and how many
        referrals each makes on average (dependence through networks, as in snowball
        sampling).
    name_style : dict
        :data:`NAME_STYLES` key → weight.
    field_style : str
        One of :data:`FIELD_STYLES`.
    rates : dict
        :data:`ERROR_RATES` key → probability.
    """

    name: str
    capture_rate: float
    heterogeneity_weight: float = 1.0
    copies_from: str | None = None
    copy_rate: float = 0.0
    referred_by: str | None = None
    referral_rate: float = 0.0
    name_style: Mapping[str, float] = field(default_factory=lambda: {"hangul_south": 1.0})
    field_style: str = "ko"
    rates: Mapping[str, float] = field(default_factory=dict)

    def rate(self, key: str) -> float:
        """The list's probability for one of :data:`ERROR_RATES` (0 when not set)."""
        return float(self.rates.get(key, 0.0))

    def to_dict(self) -> dict[str, Any]:
        """Plain data, in the YAML layout."""
        out: dict[str, Any] = {
            "name": self.name,
            "capture_rate": self.capture_rate,
            "heterogeneity_weight": self.heterogeneity_weight,
            "copies_from": self.copies_from,
            "copy_rate": self.copy_rate,
            "referred_by": self.referred_by,
            "referral_rate": self.referral_rate,
            "name_style": dict(self.name_style),
            "field_style": self.field_style,
        }
        out.update({key: self.rate(key) for key in ERROR_RATES})
        return out


_LIST_KEYS = (
    "name",
    "capture_rate",
    "heterogeneity_weight",
    "copies_from",
    "copy_rate",
    "referred_by",
    "referral_rate",
    "name_style",
    "field_style",
    *ERROR_RATES,
)
_POPULATION_KEYS = (
    "female_share",
    "one_syllable_given_share",
    "age_mean",
    "age_sd",
    "second_act_share",
    "province_weights",
    "violation_weights",
    "event_year_weights",
)
_TOP_KEYS = ("name", "description", "people", "seed", "population", "heterogeneity", "lists")


@dataclass(frozen=True)
class Scenario:
    """Every parameter of one simulation (see the module docstring for the YAML layout).

    Build one with :meth:`from_dict`, :func:`load_scenario` or a preset; all checks happen
    there, and every problem is reported at once.
    """

    name: str
    description: str
    people: int
    seed: int
    lists: tuple[ListSpec, ...]
    female_share: float = 0.7
    one_syllable_given_share: float = 0.08
    age_mean: float = 33.0
    age_sd: float = 12.0
    second_act_share: float = 0.25
    province_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_PROVINCES)
    violation_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_VIOLATIONS)
    event_year_weights: Mapping[int, float] = field(default_factory=lambda: DEFAULT_EVENT_YEARS)
    groups: tuple[tuple[float, float], ...] = ((1.0, 1.0),)
    effects: Mapping[str, float] = field(default_factory=dict)

    @property
    def list_names(self) -> list[str]:
        """The lists' names in scenario order."""
        return [spec.name for spec in self.lists]

    def list_spec(self, name: str) -> ListSpec:
        """The :class:`ListSpec` called ``name``."""
        for spec in self.lists:
            if spec.name == name:
                return spec
        raise ValidationError(
            f"no list {name!r} in scenario {self.name!r}; its lists are: "
            f"{', '.join(self.list_names)}"
        )

    def capture_order(self) -> list[ListSpec]:
        """Lists ordered so that a list comes after the lists it copies or is referred by."""
        done: list[ListSpec] = []
        names: set[str] = set()
        pending = list(self.lists)
        while pending:
            for spec in pending:
                needs = {n for n in (spec.copies_from, spec.referred_by) if n}
                if needs <= names:
                    done.append(spec)
                    names.add(spec.name)
                    pending.remove(spec)
                    break
            else:  # pragma: no cover - from_dict refuses cycles
                raise ValidationError("the lists copy from each other in a cycle")
        return done

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the YAML layout; :meth:`from_dict` of it gives the same scenario."""
        return {
            "name": self.name,
            "description": self.description,
            "people": self.people,
            "seed": self.seed,
            "population": {
                "female_share": self.female_share,
                "one_syllable_given_share": self.one_syllable_given_share,
                "age_mean": self.age_mean,
                "age_sd": self.age_sd,
                "second_act_share": self.second_act_share,
                "province_weights": dict(self.province_weights),
                "violation_weights": dict(self.violation_weights),
                "event_year_weights": {int(k): v for k, v in self.event_year_weights.items()},
            },
            "heterogeneity": {
                "groups": [{"share": s, "visibility": v} for s, v in self.groups],
                "effects": dict(self.effects),
            },
            "lists": [spec.to_dict() for spec in self.lists],
        }

    def with_overrides(
        self, *, people: int | None = None, lists: int | None = None, seed: int | None = None
    ) -> Scenario:
        """A copy with another N, number of lists or seed.

        Fewer lists keep the first ``lists`` (a list copying from a dropped one stops
        copying); more lists add lists modelled on the existing ones in turn, named
        ``list_<k>``, independent of the others.
        """
        problems: list[str] = []
        if people is not None and (
            isinstance(people, bool) or not isinstance(people, int) or people < 1
        ):
            problems.append(f"people: {people!r} must be a whole number >= 1")
        if lists is not None and (
            isinstance(lists, bool) or not isinstance(lists, int) or lists < 2
        ):
            problems.append(f"lists: {lists!r} must be a whole number >= 2 (MSE needs two lists)")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
            problems.append(f"seed: {seed!r} must be a whole number >= 0")
        if problems:
            raise ValidationError("invalid simulation overrides", problems)
        specs = list(self.lists)
        if lists is not None:
            if lists <= len(specs):
                specs = specs[:lists]
                kept = {s.name for s in specs}
                specs = [
                    dataclasses.replace(
                        s,
                        copies_from=s.copies_from if s.copies_from in kept else None,
                        copy_rate=s.copy_rate if s.copies_from in kept else 0.0,
                        referred_by=s.referred_by if s.referred_by in kept else None,
                        referral_rate=s.referral_rate if s.referred_by in kept else 0.0,
                    )
                    for s in specs
                ]
            else:
                base = list(specs)
                names = {s.name for s in specs}
                k = len(specs)
                while len(specs) < lists:
                    k += 1
                    name = f"list_{k}"
                    while name in names:
                        name += "_"
                    template = base[(k - 1) % len(base)]
                    specs.append(
                        dataclasses.replace(
                            template,
                            name=name,
                            copies_from=None,
                            copy_rate=0.0,
                            referred_by=None,
                            referral_rate=0.0,
                        )
                    )
                    names.add(name)
        return dataclasses.replace(
            self,
            people=self.people if people is None else people,
            seed=self.seed if seed is None else seed,
            lists=tuple(specs),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "scenario") -> Scenario:
        """Check a scenario given as plain data (the YAML layout) and build it.

        Raises
        ------
        ValidationError
            Listing every problem: unknown keys, probabilities outside [0, 1], negative
            weights, unknown styles, provinces, violation codes or covariates, duplicate list
            names, a list copying from a list that does not exist or from itself, cycles.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(f"{where}: expected a mapping of settings, got {data!r}")
        problems: list[str] = []
        _unknown_keys(problems, where, data, _TOP_KEYS)
        people = data.get("people", 20000)
        if isinstance(people, bool) or not isinstance(people, int) or people < 1:
            problems.append(f"{where}.people: {people!r} must be a whole number >= 1")
            people = 1
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            problems.append(f"{where}.seed: {seed!r} must be a whole number >= 0")
            seed = 0

        pop = data.get("population") or {}
        kwargs: dict[str, Any] = {}
        if not isinstance(pop, Mapping):
            problems.append(f"{where}.population: expected a mapping, got {pop!r}")
            pop = {}
        _unknown_keys(problems, f"{where}.population", pop, _POPULATION_KEYS)
        for key in ("female_share", "one_syllable_given_share", "second_act_share"):
            if key in pop:
                kwargs[key] = _problem_rate(problems, f"{where}.population.{key}", pop[key])
        for key in ("age_mean", "age_sd"):
            if key in pop:
                kwargs[key] = _problem_positive(
                    problems, f"{where}.population.{key}", pop[key], zero=False
                )
        from reckon.records.vocabulary import load_vocabulary

        if "province_weights" in pop:
            codes = [t.code for t in load_vocabulary("provinces")]
            kwargs["province_weights"] = _weights(
                problems, f"{where}.population.province_weights", pop["province_weights"], codes
            )
        if "violation_weights" in pop:
            codes = [t.code for t in load_vocabulary("violation_types")]
            kwargs["violation_weights"] = _weights(
                problems, f"{where}.population.violation_weights", pop["violation_weights"], codes
            )
        if "event_year_weights" in pop:
            years = _weights(
                problems, f"{where}.population.event_year_weights", pop["event_year_weights"]
            )
            clean: dict[int, float] = {}
            for year, weight in years.items():
                try:
                    y = int(year)
                except (TypeError, ValueError):
                    y = 0
                if not 1945 <= y <= 2025:
                    problems.append(
                        f"{where}.population.event_year_weights: {year!r} is not a year "
                        "between 1945 and 2025"
                    )
                    continue
                clean[y] = weight
            kwargs["event_year_weights"] = clean

        het = data.get("heterogeneity") or {}
        if not isinstance(het, Mapping):
            problems.append(f"{where}.heterogeneity: expected a mapping, got {het!r}")
            het = {}
        _unknown_keys(problems, f"{where}.heterogeneity", het, ("groups", "effects"))
        if "groups" in het:
            groups = het["groups"]
            parsed: list[tuple[float, float]] = []
            if not isinstance(groups, list) or not groups:
                problems.append(
                    f"{where}.heterogeneity.groups: expected a list of {{share, visibility}}"
                )
            else:
                for i, group in enumerate(groups):
                    gw = f"{where}.heterogeneity.groups[{i}]"
                    if not isinstance(group, Mapping):
                        problems.append(f"{gw}: expected {{share, visibility}}, got {group!r}")
                        continue
                    _unknown_keys(problems, gw, group, ("share", "visibility"))
                    share = _problem_rate(problems, f"{gw}.share", group.get("share"))
                    vis = _problem_positive(problems, f"{gw}.visibility", group.get("visibility"))
                    parsed.append((share, vis))
                total = sum(s for s, _ in parsed)
                if parsed and abs(total - 1.0) > 1e-6:
                    problems.append(
                        f"{where}.heterogeneity.groups: the shares sum to {total:g}, not 1"
                    )
            kwargs["groups"] = tuple(parsed)
        if "effects" in het:
            effects = het["effects"] or {}
            if not isinstance(effects, Mapping):
                problems.append(f"{where}.heterogeneity.effects: expected a mapping")
                effects = {}
            _unknown_keys(
                problems, f"{where}.heterogeneity.effects", effects, tuple(COVARIATE_EFFECTS)
            )
            kwargs["effects"] = {
                k: _problem_positive(problems, f"{where}.heterogeneity.effects.{k}", v)
                for k, v in effects.items()
                if k in COVARIATE_EFFECTS
            }

        specs = _parse_lists(problems, where, data.get("lists"))
        if problems:
            raise ValidationError(f"{where} is not a valid simulation scenario", problems)
        return cls(
            name=str(data.get("name", "custom")),
            description=str(data.get("description", "")).strip(),
            people=people,
            seed=seed,
            lists=tuple(specs),
            **kwargs,
        )


def _parse_lists(problems: list[str], where: str, raw: Any) -> list[ListSpec]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.append(f"{where}.lists: expected a list of at least two lists, got {raw!r}")
        return []
    specs: list[ListSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        lw = f"{where}.lists[{i}]"
        if not isinstance(item, Mapping):
            problems.append(f"{lw}: expected a mapping, got {item!r}")
            continue
        _unknown_keys(problems, lw, item, _LIST_KEYS)
        name = item.get("name")
        if not isinstance(name, str) or not _NAME_RE.match(name):
            problems.append(
                f"{lw}.name: {name!r} must start with a letter and use only letters, digits, "
                "_ and - (it becomes a file name)"
            )
            name = f"list{i}"
        elif name in seen:
            problems.append(f"{lw}.name: {name!r} is used twice; give each list its own name")
        seen.add(name)
        lw = f"{where}.lists[{name}]"
        if "capture_rate" not in item:
            problems.append(f"{lw}: capture_rate is required (a probability in [0, 1])")
        capture = _problem_rate(problems, f"{lw}.capture_rate", item.get("capture_rate", 0.0))
        weight = _problem_positive(
            problems, f"{lw}.heterogeneity_weight", item.get("heterogeneity_weight", 1.0)
        )
        copy_rate = _problem_rate(problems, f"{lw}.copy_rate", item.get("copy_rate", 0.0))
        referral_rate = _problem_positive(
            problems, f"{lw}.referral_rate", item.get("referral_rate", 0.0)
        )
        styles = _weights(
            problems,
            f"{lw}.name_style",
            item.get("name_style", {"hangul_south": 1.0}),
            tuple(NAME_STYLES),
        )
        field_style = item.get("field_style", "ko")
        if field_style not in FIELD_STYLES:
            problems.append(
                f"{lw}.field_style: {field_style!r} is not one of {', '.join(FIELD_STYLES)}"
            )
        rates = {
            key: _problem_rate(problems, f"{lw}.{key}", item.get(key, 0.0)) for key in ERROR_RATES
        }
        specs.append(
            ListSpec(
                name=name,
                capture_rate=capture,
                heterogeneity_weight=weight,
                copies_from=item.get("copies_from"),
                copy_rate=copy_rate,
                referred_by=item.get("referred_by"),
                referral_rate=referral_rate,
                name_style=styles,
                field_style=field_style,
                rates=rates,
            )
        )
    names = {s.name for s in specs}
    for spec in specs:
        for key in ("copies_from", "referred_by"):
            other = getattr(spec, key)
            if other is None:
                continue
            if other == spec.name:
                problems.append(f"{where}.lists[{spec.name}].{key}: a list cannot name itself")
            elif other not in names:
                problems.append(
                    f"{where}.lists[{spec.name}].{key}: no list {other!r}; the lists are: "
                    f"{', '.join(sorted(names))}"
                )
    if not problems:
        _check_cycles(problems, where, specs)
    return specs


def _check_cycles(problems: list[str], where: str, specs: list[ListSpec]) -> None:
    edges = {s.name: {n for n in (s.copies_from, s.referred_by) if n} for s in specs}
    done: set[str] = set()
    while True:
        ready = [n for n, needs in edges.items() if n not in done and needs <= done]
        if not ready:
            break
        done.update(ready)
    stuck = sorted(set(edges) - done)
    if stuck:
        problems.append(
            f"{where}.lists: {', '.join(stuck)} copy from or are referred by each other in a "
            "cycle; a list can only take people from lists built before it"
        )


def preset_names() -> list[str]:
    """The names of the shipped presets, sorted."""
    folder = resources.files(_PACKAGE).joinpath(_PRESET_DIR)
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def _read_yaml(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ValidationError(f"{where} is not valid YAML: {err}") from err


def load_scenario(spec: Scenario | str | Path | None = None) -> Scenario:
    """A scenario from a :class:`Scenario`, a preset name or a YAML file.

    Parameters
    ----------
    spec : Scenario, str, Path or None
        ``None`` means the preset ``default``. A string that names no existing file and has no
        ``.yaml``/``.yml`` suffix is taken as a preset name.

    Returns
    -------
    Scenario

    Raises
    ------
    ValidationError
        For an unknown preset (naming the presets), an unreadable file or invalid settings.
    """
    if isinstance(spec, Scenario):
        return spec
    if spec is None:
        spec = "default"
    path = Path(spec)
    is_file = isinstance(spec, Path) or path.suffix in (".yaml", ".yml") or path.exists()
    if not is_file:
        name = str(spec)
        presets = preset_names()
        if name not in presets:
            raise ValidationError(
                f"unknown scenario preset {name!r}; the presets are: {', '.join(presets)} "
                "(or give the path of a YAML file)"
            )
        text = resources.files(_PACKAGE).joinpath(_PRESET_DIR, f"{name}.yaml").read_text("utf-8")
        data = _read_yaml(text, f"preset {name!r}")
        if isinstance(data, dict):
            data.setdefault("name", name)
        return Scenario.from_dict(data, where=f"preset {name!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ValidationError(f"cannot read scenario file {path}: {err.strerror}") from err
    data = _read_yaml(text, str(path))
    if isinstance(data, dict):
        data.setdefault("name", path.stem)
    return Scenario.from_dict(data, where=str(path))
