"""The true population: N fictional victims with names, origins, acts and visibility.

Every person is synthetic. Names are random combinations: the surname drawn by its share of the
2015 South Korean census (KOREAN_NAMES.md §2, table ``linkage/data/korean_surnames.tsv``), the
given name (one syllable with a small probability, else two) drawn syllable by syllable from the
project's given-name syllable weights (``linkage/data/korean_given_syllables.tsv``). No real
person's name is used on purpose; a coincidence with a real name is as likely as in any random
draw of common syllables.

Distributions follow the public aggregates of NK_FACTS.md §8: about 70 % women, origins mostly
in North Hamgyong and Ryanggang, violation types by the NKDB 2009 counts, detention facilities by
the NKDB split (political camps 28 %, police stations 33 %, kyohwaso 11 % of detention cases),
event years shaped like the arrivals in South Korea two years later.

Each person also carries a **visibility**: the multiplier on every list's capture probability.
It is the product of a latent group's visibility (``heterogeneity.groups``) and covariate
multipliers (``heterogeneity.effects``): women, detention, political prison camps, killings,
recent events.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from reckon.linkage.korean_names import south_spelling, split_name
from reckon.linkage.surnames import given_syllable_weights, surnames
from reckon.simulate.scenario import Scenario

__all__ = ["FACILITY_MIX", "FACILITY_VIOLATIONS", "counties", "generate_population"]

# NKDB 2009 detention split (NK_FACTS.md §1 and §8): political prison camps 1,101, police
# stations 1,309 (written as the facility type 구류장), kyohwaso 449, the rest of the 3,996
# detention cases (1,137) collection centres and labour training camps. Within a kind, camps are
# weighted by the reported sizes (NK_FACTS.md §5, thousands) and prisons equally.
_KWANLISO = {
    "FAC.KWANLISO.14": 50,
    "FAC.KWANLISO.15": 45,
    "FAC.KWANLISO.16": 20,
    "FAC.KWANLISO.17": 10,
    "FAC.KWANLISO.18": 10,
    "FAC.KWANLISO.22": 50,
    "FAC.KWANLISO.25": 5,
    "FAC.KWANLISO.PYONGSAN": 3,
    "FAC.KWANLISO.SUNGHO": 3,
}
_KYOHWASO = [
    "FAC.KYOHWASO.1",
    "FAC.KYOHWASO.12",
    "FAC.KYOHWASO.9",
    "FAC.KYOHWASO.11",
    "FAC.KYOHWASO.22",
    "FAC.KYOHWASO.4",
    "FAC.KYOHWASO.KAECHON",
    "FAC.KYOHWASO.SARIWON",
    "FAC.KYOHWASO.YONGDAM",
    "FAC.KYOHWASO.KANGGYE",
    "FAC.KYOHWASO.SINUIJU",
]
_JIPKYULSO = [
    "FAC.JIPKYULSO.MUSAN",
    "FAC.JIPKYULSO.SINUIJU",
    "FAC.JIPKYULSO.ONSONG",
    "FAC.JIPKYULSO.CHONGJIN_NONGPO",
    "FAC.JIPKYULSO.HYESAN",
]
_DANRYONDAE = ["FAC.DANRYONDAE.DONGRIM", "FAC.DANRYONDAE.ONSONG", "FAC.DANRYONDAE.SUNGHO_RI"]


def _mix() -> dict[str, float]:
    total = sum(_KWANLISO.values())
    out = {code: 1101 * w / total for code, w in _KWANLISO.items()}
    out["DF.GURYUJANG"] = 1309.0
    out.update({code: 449 / len(_KYOHWASO) for code in _KYOHWASO})
    rest = _JIPKYULSO + _DANRYONDAE
    out.update({code: 1137 / len(rest) for code in rest})
    return out


#: Facility (gazetteer code, or facility type for police-station cells) → weight for acts in
#: detention.
FACILITY_MIX: dict[str, float] = _mix()

#: Violations that happen in a facility, and where: ``"detention"`` draws from
#: :data:`FACILITY_MIX`, ``"jipkyulso"`` from the collection centres (repatriated people),
#: ``"kwanliso"`` from the political prison camps.
FACILITY_VIOLATIONS: dict[str, str] = {
    "VT.LIB.DETENTION": "detention",
    "VT.LIFE.DEATH_CUSTODY": "detention",
    "VT.INTEG.TORTURE": "detention",
    "VT.LAB.FORCED": "detention",
    "VT.MOV.REFOULEMENT": "jipkyulso",
    "VT.REPRO.FORCED_ABORTION": "jipkyulso",
    "VT.LIFE.INFANTICIDE": "jipkyulso",
    "VT.LIB.ED": "kwanliso",
    "VT.LIB.ENSLAVE": "kwanliso",
}

# Of the two North spellings of 林/任 (림/임), 柳劉/兪 (류/유) and 梁/楊 (량/양), how often the
# first (the ㄹ form) is drawn: the ㄹ hanja are the larger clans in the 2015 census (林 823,921
# of about a million 임). An assumption for synthetic data.
_FIRST_NORTH_FORM = 0.7
_MAX_EVENT_YEAR = 2023


@cache
def counties() -> pd.DataFrame:
    """The county seed table: province, ko, en, weight (``simulate/data/counties.tsv``)."""
    text = resources.files("reckon.simulate").joinpath("data", "counties.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    frame = pd.DataFrame(list(csv.DictReader(lines, delimiter="\t")))
    frame["weight"] = frame["weight"].astype(float)
    return frame


def _choice(rng: np.random.Generator, items: list, weights: list[float] | np.ndarray, n: int):
    p = np.asarray(weights, dtype=float)
    return np.asarray(items, dtype=object)[rng.choice(len(items), size=n, p=p / p.sum())]


def _names(
    rng: np.random.Generator, n: int, one_syllable_share: float
) -> tuple[list[str], list[str], list[str], list[str]]:
    table = surnames()
    p_surname = _normalised([s.population for s in table])
    s_index = rng.choice(len(table), size=n, p=p_surname)
    first_form = rng.random(n) < _FIRST_NORTH_FORM
    syllable_weights = given_syllable_weights()
    syllables = list(syllable_weights)
    p_syl = _normalised(list(syllable_weights.values()))
    one = rng.random(n) < one_syllable_share
    surname_out: list[tuple[int, str]] = []
    given_out: list[tuple[int, str]] = []
    south_out: list[tuple[int, str]] = []
    north_out: list[tuple[int, str]] = []
    pending = np.arange(n)
    while pending.size:
        draws = rng.choice(len(syllables), size=(pending.size, 2), p=p_syl)
        retry = []
        for row, i in enumerate(pending):
            entry = table[s_index[i]]
            given = syllables[draws[row, 0]]
            if not one[i]:
                given += syllables[draws[row, 1]]
            south = south_spelling(entry.hangul + given)
            s_surname, s_given = split_name(south)
            # A draw like 선 + 우진 reads as 선우 + 진: a name that does not split back into
            # what was drawn is drawn again (rejection sampling, so the shares hardly move).
            if s_surname != entry.hangul or len(s_given) != len(given):
                retry.append(i)
                continue
            north_forms = entry.north or (entry.hangul,)
            north_surname = (
                north_forms[0] if first_form[i] or len(north_forms) == 1 else (north_forms[1])
            )
            surname_out.append((i, entry.hangul))
            given_out.append((i, s_given))
            south_out.append((i, south))
            north_out.append((i, north_surname + given))
        pending = np.asarray(retry, dtype=int)
        if pending.size:
            # Redraw the whole name (surname and length too): 황보 + one syllable always reads
            # as 황 + two, so redrawing the given name alone could loop for ever.
            s_index[pending] = rng.choice(len(table), size=pending.size, p=p_surname)
            one[pending] = rng.random(pending.size) < one_syllable_share

    def ordered(pairs: list[tuple[int, str]]) -> list[str]:
        return [value for _, value in sorted(pairs)]

    return ordered(surname_out), ordered(given_out), ordered(south_out), ordered(north_out)


def _normalised(weights: list[float]) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return p / p.sum()


def _facilities(rng: np.random.Generator, violations: np.ndarray) -> np.ndarray:
    n = violations.size
    out = np.full(n, None, dtype=object)
    kinds = np.array([FACILITY_VIOLATIONS.get(v) for v in violations], dtype=object)
    pools = {
        "detention": FACILITY_MIX,
        "jipkyulso": {code: 1.0 for code in _JIPKYULSO},
        "kwanliso": {code: float(w) for code, w in _KWANLISO.items()},
    }
    for kind, pool in pools.items():
        mask = kinds == kind
        if mask.any():
            out[mask] = _choice(rng, list(pool), list(pool.values()), int(mask.sum()))
    return out


def generate_population(scenario: Scenario, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the true population of ``scenario.people`` victims.

    Parameters
    ----------
    scenario : Scenario
        Population and heterogeneity settings.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    pandas.DataFrame
        One row per victim: ``person_id`` (``P000001`` ...), ``name_hangul`` (South spelling),
        ``name_north`` (North spelling), ``surname``, ``given``, ``sex`` (M/F), ``birth_year``,
        ``age_at_event``, ``province`` and ``county`` (origin; province code, county in Hangul),
        ``county_en``, ``event_year``, ``violation`` (code), ``facility`` (code or None),
        ``act2_event_year``, ``act2_violation``, ``act2_facility`` (a second act, or missing),
        ``visibility_group`` and ``visibility`` (the capture multiplier), ``synthetic`` (True).
    """
    n = scenario.people
    surname, given, south, north = _names(rng, n, scenario.one_syllable_given_share)
    sex = np.where(rng.random(n) < scenario.female_share, "F", "M")

    years = sorted(scenario.event_year_weights)
    event_year = _choice(rng, years, [scenario.event_year_weights[y] for y in years], n).astype(int)
    ages = np.clip(np.rint(rng.normal(scenario.age_mean, scenario.age_sd, n)), 6, 85).astype(int)
    birth_year = event_year - ages

    provinces = list(scenario.province_weights)
    province = _choice(rng, provinces, list(scenario.province_weights.values()), n)
    table = counties()
    county = np.empty(n, dtype=object)
    county_en = np.empty(n, dtype=object)
    for code in provinces:
        mask = province == code
        rows = table[table["province"] == code]
        if not mask.any() or rows.empty:
            county[mask] = None
            county_en[mask] = None
            continue
        picks = rng.choice(len(rows), size=int(mask.sum()), p=_normalised(list(rows["weight"])))
        county[mask] = rows["ko"].to_numpy()[picks]
        county_en[mask] = rows["en"].to_numpy()[picks]

    codes = list(scenario.violation_weights)
    weights = list(scenario.violation_weights.values())
    violation = _choice(rng, codes, weights, n)
    facility = _facilities(rng, violation)

    second = rng.random(n) < scenario.second_act_share
    gap = rng.geometric(0.4, n)
    act2_year = np.minimum(event_year + gap, _MAX_EVENT_YEAR)
    act2_violation = _choice(rng, codes, weights, n)
    act2_facility = _facilities(rng, act2_violation)
    act2_violation = np.where(second, act2_violation, None)
    act2_facility = np.where(second, act2_facility, None)

    shares = [s for s, _ in scenario.groups]
    vis_values = np.array([v for _, v in scenario.groups], dtype=float)
    group = rng.choice(len(shares), size=n, p=_normalised(shares))
    visibility = vis_values[group]
    effects = scenario.effects
    fac = pd.Series(facility, dtype=object)
    covariates = {
        "female": sex == "F",
        "detained": fac.notna().to_numpy(),
        "kwanliso": fac.fillna("").str.startswith("FAC.KWANLISO").to_numpy(),
        "executed": pd.Series(violation).str.startswith("VT.LIFE.").to_numpy(),
        "recent": event_year >= 2012,
    }
    for key, multiplier in effects.items():
        visibility = np.where(covariates[key], visibility * multiplier, visibility)

    frame = pd.DataFrame(
        {
            "person_id": [f"P{i:06d}" for i in range(1, n + 1)],
            "name_hangul": south,
            "name_north": north,
            "surname": surname,
            "given": given,
            "sex": sex,
            "birth_year": birth_year,
            "age_at_event": ages,
            "province": province,
            "county": county,
            "county_en": county_en,
            "event_year": event_year,
            "violation": violation,
            "facility": facility,
            "act2_event_year": pd.Series(act2_year, dtype="Int64").where(second),
            "act2_violation": act2_violation,
            "act2_facility": act2_facility,
            "visibility_group": group,
            "visibility": visibility,
            "synthetic": True,
        }
    )
    # Object columns keep None for "no facility" and "no second act" (pandas would otherwise
    # infer a string dtype with NaN).
    for column in ("county", "county_en", "facility", "act2_violation", "act2_facility"):
        frame[column] = pd.Series(
            [None if v is None or v != v else v for v in frame[column]], dtype=object
        )
    return frame
