"""The Fellegi–Sunter model of the linkage: blocking rules and comparisons, built for Splink.

:func:`build_settings` looks at the columns :func:`reckon.linkage.prepare.prepare_records`
produced and chooses, for each piece of evidence present, one comparison:

Korean records (a ``name`` column, keys from :mod:`reckon.linkage.korean_names`)
    ONE name comparison, so that surname, given name and script are not counted as separate
    evidence; its levels follow :data:`reckon.linkage.korean_names.COMPARISON_LEVELS`
    (KOREAN_NAMES.md §8): same written name > same sound-class key > same surname with half
    the given syllables, or another plausible reading agrees > same surname with a similar
    given key (typing errors) > same given name or half the syllables > else. The two top
    levels carry a term-frequency adjustment on ``full_key``: sharing 김영철 is weaker evidence
    than sharing a rare name.
Birth year as an interval (``birth_lo``..``birth_hi``)
    Same interval > intervals overlap > within 1 year > within 3 > within 10 > else, so that
    an age at an event and a birth year are compared fairly.
Sex, province/county, event year, violation
    Exact agreement levels (county within province), event year by absolute difference.
Records of other kinds (``first_name``/``surname``, ``dob``, ``birth_place``, ``postcode``,
``occupation``, ``address``, ``city``, ``state``, ``id_number``)
    Splink's generic library comparisons with term-frequency adjustments.

Blocking rules are the union of several equi-joins (Splink de-duplicates pairs across rules);
each exists to catch the true pairs another misses: a different spelling of the given name
(surname + birth year), a different surname reading (given name + birth year, alternative
readings), a name that could not be read at all (birth year + province + sex).

References
----------
.. [1] I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", Journal of the American
   Statistical Association 64 (1969) 1183-1210.
.. [2] R. Linacre et al., "Splink: Free software for probabilistic record linkage at scale",
   International Journal of Population Data Science 7(3) (2022).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from reckon.errors import LinkageError
from reckon.linkage.korean_names import COMPARISON_LEVELS
from reckon.linkage.prepare import ID_COLUMN

__all__ = [
    "NARROWING_KEYS",
    "Blocking",
    "LinkageModel",
    "birth_comparison",
    "build_model",
    "korean_name_comparison",
    "refine_blocking",
]

#: The SQL functions the Korean name comparison needs, per Splink engine.
SQL_FUNCTIONS = {
    "duckdb": {"size": "len", "intersect": "list_intersect", "jaro": "jaro_winkler_similarity"},
    "spark": {"size": "size", "intersect": "array_intersect", "jaro": "jaro_winkler"},
}


def _sql(dialect: str) -> dict[str, str]:
    try:
        return SQL_FUNCTIONS[dialect]
    except KeyError:
        raise LinkageError(
            f"no SQL for engine {dialect!r}; engines: {list(SQL_FUNCTIONS)}"
        ) from None


def _overlap_half(dialect: str) -> str:
    f = _sql(dialect)
    return (
        f"{f['size']}({f['intersect']}(given_syllables_l, given_syllables_r)) * 2 "
        f">= greatest({f['size']}(given_syllables_l), {f['size']}(given_syllables_r))"
    )


def korean_name_comparison(dialect: str = "duckdb") -> cl.CustomComparison:
    """One comparison of Korean names across scripts, from the keys of ``korean_names``.

    Parameters
    ----------
    dialect : str
        The Splink engine the SQL is written for (``duckdb`` or ``spark``).

    Returns
    -------
    splink.comparison_library.CustomComparison
        Output column ``name``; levels in the order of the module docstring.
    """
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="Korean name in any script (reckon.linkage.korean_names keys)",
        comparison_levels=_name_levels(dialect),
    )


def _name_levels(dialect: str) -> list[Any]:
    f, overlap_half = _sql(dialect), _overlap_half(dialect)
    return [
        cll.CustomLevel(
            "exact_key_l IS NULL OR exact_key_r IS NULL", "name missing or unreadable"
        ).configure(is_null_level=True),
        cll.CustomLevel("exact_key_l = exact_key_r", COMPARISON_LEVELS[4]).configure(
            tf_adjustment_column="full_key", tf_adjustment_weight=1.0
        ),
        cll.CustomLevel("full_key_l = full_key_r", COMPARISON_LEVELS[3]).configure(
            tf_adjustment_column="full_key", tf_adjustment_weight=1.0
        ),
        cll.CustomLevel(
            f"(surname_key_l = surname_key_r AND {overlap_half})"
            " OR (given_key_l = given_key_r"
            " AND (surname_key_l IS NULL OR surname_key_r IS NULL))"
            f" OR {f['size']}({f['intersect']}(alt_full_keys_l, alt_full_keys_r)) > 0",
            COMPARISON_LEVELS[2],
        ),
        cll.CustomLevel(
            f"surname_key_l = surname_key_r AND {f['jaro']}(given_key_l, given_key_r) >= 0.8",
            "same surname class, similar given-name key (Jaro-Winkler >= 0.8)",
        ),
        cll.CustomLevel(f"given_key_l = given_key_r OR {overlap_half}", COMPARISON_LEVELS[1]),
        cll.ElseLevel(),
    ]


def birth_comparison() -> cl.CustomComparison:
    """Birth-year intervals: equal, overlapping, or apart by at most 1, 3 or 10 years."""

    def within(years: int) -> str:
        return f"birth_lo_l <= birth_hi_r + {years} AND birth_lo_r <= birth_hi_l + {years}"

    return cl.CustomComparison(
        output_column_name="birth_year",
        comparison_description="Birth-year interval (from a birth year or an age at an event)",
        comparison_levels=[
            cll.CustomLevel(
                "birth_lo_l IS NULL OR birth_lo_r IS NULL", "birth year unknown"
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "birth_lo_l = birth_lo_r AND birth_hi_l = birth_hi_r", "same birth year(s)"
            ),
            cll.CustomLevel(within(0), "birth-year intervals overlap"),
            cll.CustomLevel(within(1), "within 1 year"),
            cll.CustomLevel(within(3), "within 3 years"),
            cll.CustomLevel(within(10), "within 10 years"),
            cll.ElseLevel(),
        ],
    )


def _place_comparison(has_county: bool) -> cl.CustomComparison:
    levels: list[Any] = [
        cll.CustomLevel("province_l IS NULL OR province_r IS NULL", "province unknown").configure(
            is_null_level=True
        ),
    ]
    if has_county:
        levels.append(
            cll.CustomLevel(
                "province_l = province_r AND county_l = county_r", "same province and county"
            )
        )
    levels += [cll.CustomLevel("province_l = province_r", "same province"), cll.ElseLevel()]
    return cl.CustomComparison(
        output_column_name="place", comparison_description="Province and county",
        comparison_levels=levels,
    )  # fmt: skip


def _event_years_within(years: int) -> str:
    return f"abs(event_year_l - event_year_r) <= {years}"


def _event_year_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="event_year",
        comparison_description="Year of the violation",
        comparison_levels=[
            cll.CustomLevel(
                "event_year_l IS NULL OR event_year_r IS NULL", "event year unknown"
            ).configure(is_null_level=True),
            cll.CustomLevel(_event_years_within(0), "same event year"),
            cll.CustomLevel(_event_years_within(2), "within 2 years"),
            cll.ElseLevel(),
        ],
    )


def act_comparison() -> cl.CustomComparison:
    """The reported act as ONE comparison: violation type and event year together.

    A victim may have suffered several acts and two lists may report different ones; then the
    type and the year differ together. Two separate comparisons would count that one fact twice
    as evidence against the match.
    """
    same = "violation_l = violation_r"
    year_known = "event_year_l IS NOT NULL AND event_year_r IS NOT NULL"
    return cl.CustomComparison(
        output_column_name="act",
        comparison_description="Reported act: violation type and event year",
        comparison_levels=[
            cll.CustomLevel(
                "(violation_l IS NULL OR violation_r IS NULL)"
                " AND (event_year_l IS NULL OR event_year_r IS NULL)",
                "act unknown",
            ).configure(is_null_level=True),
            cll.CustomLevel(
                f"{same} AND (NOT ({year_known}) OR {_event_years_within(1)})",
                "same violation, same year (within 1, or a year unknown)",
            ).configure(tf_adjustment_column="violation", tf_adjustment_weight=1.0),
            cll.CustomLevel(
                f"{same} AND {_event_years_within(3)}", "same violation within 3 years"
            ),
            cll.CustomLevel(
                f"{year_known} AND {_event_years_within(1)}",
                "another violation in the same year (within 1)",
            ),
            cll.CustomLevel(same, "same violation, years further apart"),
            cll.ElseLevel(),
        ],
    )


@dataclass(frozen=True, init=False, repr=False)
class Blocking:
    """One blocking rule: records are compared when they agree on every key.

    Keeps its keys (unlike Splink's rule objects) so that the number of pairs it generates can
    be counted before running it and the rule narrowed by a further key when that is too many
    (:func:`refine_blocking`).

    Parameters
    ----------
    *keys : str
        Columns of the prepared table.
    explode : tuple of str
        Array columns to explode: records agree when they share an element.
    """

    keys: tuple[str, ...]
    explode: tuple[str, ...] = ()

    def __init__(self, *keys: str, explode: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "keys", tuple(keys))
        object.__setattr__(self, "explode", tuple(explode))

    def __repr__(self) -> str:
        return f"Blocking({', '.join(self.keys)})"

    def rule(self) -> Any:
        """The Splink rule."""
        return block_on(*self.keys, arrays_to_explode=list(self.explode) or None)

    def narrowed(self, key: str) -> Blocking:
        """The same rule with one more key."""
        return Blocking(*self.keys, key, explode=self.explode)

    def count_pairs(self, prepared: pd.DataFrame) -> int:
        """Pairs the rule generates on ``prepared`` (an upper bound for exploded rules)."""
        keys = list(self.keys)
        frame = prepared[[ID_COLUMN, *keys]]
        for column in self.explode:
            frame = frame.explode(column)
        frame = frame.dropna(subset=keys)
        if self.explode:
            frame = frame.drop_duplicates()
        sizes = frame.groupby(keys, sort=False).size().to_numpy(dtype=np.int64)
        return int((sizes * (sizes - 1) // 2).sum())


@dataclass(frozen=True)
class LinkageModel:
    """What Splink needs to train and run the model, chosen from the available columns.

    Attributes
    ----------
    settings : splink.SettingsCreator
        Comparisons and the blocking rules that generate the compared pairs.
    training_rules : list
        Blocking rules for the expectation-maximisation passes: each fixes some comparisons
        (which are then not estimated in that pass) and lets the others be estimated.
    deterministic_rules : list
        Rules that almost only pair the same person, for estimating the prior match
        probability (Splink's ``estimate_probability_two_random_records_match``).
    kind : str
        ``"korean"`` or ``"generic"``.
    comparisons : list of str
        Output names of the comparisons, for explanations.
    blocking : list of Blocking
        The rules behind ``settings.blocking_rules_to_generate_predictions``.
    """

    settings: SettingsCreator
    training_rules: list[Any]
    deterministic_rules: list[Any]
    kind: str
    comparisons: list[str] = field(default_factory=list)
    blocking: list[Blocking] = field(default_factory=list)


def _korean(
    columns: Collection[str], dialect: str
) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    comparisons: list[Any] = [korean_name_comparison(dialect)]
    has_birth = "birth_lo" in columns
    if has_birth:
        comparisons.append(birth_comparison())
    if "sex" in columns:
        comparisons.append(cl.ExactMatch("sex"))
    if "province" in columns:
        comparisons.append(_place_comparison("county" in columns))
    if {"event_year", "violation"} <= set(columns):
        comparisons.append(act_comparison())
    elif "event_year" in columns:
        comparisons.append(_event_year_comparison())
    elif "violation" in columns:
        comparisons.append(cl.ExactMatch("violation").configure(term_frequency_adjustments=True))

    blocking = [Blocking("full_key"), Blocking("exact_key")]
    if has_birth:
        blocking += [Blocking("surname_key", "birth_mid"), Blocking("given_key", "birth_mid")]
    if "province" in columns:
        blocking.append(Blocking("given_key", "province"))
    blocking.append(Blocking("alt_full_keys", explode=("alt_full_keys",)))
    if "sex" in columns:
        # A dropped or mistyped given syllable: the same surname, one given syllable in common.
        blocking.append(
            Blocking("surname_key", "given_syllables", "sex", explode=("given_syllables",))
        )
    if has_birth and {"province", "sex"} <= set(columns):
        blocking.append(Blocking("birth_mid", "province", "sex", "given_initial"))

    training = [block_on("full_key")]
    others = [c for c in ("birth_lo", "birth_hi", "sex", "province", "county") if c in columns]
    if len(others) >= 2:
        training.append(block_on(*others))
    deterministic = [block_on("full_key", "birth_mid") if has_birth else block_on("exact_key")]
    return comparisons, blocking, training, deterministic


def _generic(columns: Collection[str]) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    has = set(columns).__contains__
    comparisons: list[Any] = []
    if has("first_name") and has("surname"):
        comparisons.append(cl.ForenameSurnameComparison("first_name", "surname"))
    elif has("full_name"):
        comparisons.append(cl.NameComparison("full_name"))
    if has("dob"):
        comparisons.append(
            cl.DateOfBirthComparison(
                "dob",
                input_is_string=True,
                datetime_thresholds=[1, 1, 10],
                datetime_metrics=["month", "year", "year"],
            )
        )
    elif has("birth_lo"):
        comparisons.append(birth_comparison())
    if has("birth_place"):
        comparisons.append(cl.LevenshteinAtThresholds("birth_place", 2).configure(
            term_frequency_adjustments=True))  # fmt: skip
    if has("postcode"):
        comparisons.append(cl.PostcodeComparison("postcode"))
    if has("sex"):
        comparisons.append(cl.ExactMatch("sex"))
    if has("occupation"):
        comparisons.append(cl.ExactMatch("occupation").configure(term_frequency_adjustments=True))
    if has("address"):
        comparisons.append(cl.JaroWinklerAtThresholds("address", [0.95, 0.8]))
    if has("city"):
        comparisons.append(cl.JaroWinklerAtThresholds("city", [0.92]).configure(
            term_frequency_adjustments=True))  # fmt: skip
    if has("state"):
        comparisons.append(cl.ExactMatch("state"))
    if has("id_number"):
        comparisons.append(cl.LevenshteinAtThresholds("id_number", [1, 2]))

    name_cols = [c for c in ("first_name", "surname") if has(c)]
    blocking: list[Blocking] = []
    if len(name_cols) == 2:
        blocking.append(Blocking("first_name", "surname"))
    for date in ("dob",) if has("dob") else ():
        blocking += [Blocking(c, date) for c in name_cols]
        if has("birth_place"):
            blocking.append(Blocking(date, "birth_place"))
        if has("postcode"):
            blocking.append(Blocking(date, "postcode_prefix"))
        if has("occupation"):
            blocking.append(Blocking(date, "occupation"))
    if has("postcode"):
        blocking += [Blocking("postcode", c) for c in name_cols]
    if has("birth_place"):
        blocking += [Blocking("birth_place", c) for c in name_cols]
    if has("occupation") and len(name_cols) == 2:
        blocking.append(Blocking("occupation", "surname", "first_initial"))
    # Coarser keys for the pairs that share no exact field pair (nicknames, typing errors,
    # shifted dates): on historical_50k they lift the share of true pairs compared from 68% to
    # about 90% for about three times the pairs.
    if has("postcode_area"):
        blocking.append(Blocking("postcode_area"))
    if has("first_initial") and has("surname_prefix"):
        blocking.append(Blocking("first_initial", "surname_prefix"))
    if has("surname"):
        blocking.append(Blocking("surname"))
    if has("first_initial"):
        if has("birth_mid"):
            blocking.append(Blocking("birth_mid", "first_initial"))
        if has("birth_place"):
            blocking.append(Blocking("birth_place", "first_initial"))
    if has("id_number"):
        blocking.append(Blocking("id_number"))
    if has("address"):
        blocking.append(Blocking("address"))
    if has("city") and has("first_initial"):
        blocking.append(Blocking("city", "first_initial"))
    if not blocking and has("full_name"):
        blocking.append(Blocking("full_name"))

    training: list[Any] = []
    if has("dob"):
        training.append(block_on("dob"))
    if len(name_cols) == 2:
        training.append(block_on("first_name", "surname"))
    deterministic = [blocking[0].rule()] if blocking else []
    if len(name_cols) == 2 and has("dob"):
        deterministic = [block_on("first_name", "surname", "dob")]
    return comparisons, blocking, training, deterministic


def build_model(columns: Collection[str], dialect: str = "duckdb") -> LinkageModel:
    """Choose comparisons and blocking rules for the columns a prepared table has.

    Parameters
    ----------
    columns : collection of str
        Columns of :func:`reckon.linkage.prepare.prepare_records`'s output.
    dialect : str
        The Splink engine: ``duckdb`` or ``spark``.

    Returns
    -------
    LinkageModel
        Korean comparisons when the name keys are present, generic ones otherwise.

    Raises
    ------
    LinkageError
        If fewer than two comparisons can be made or no blocking rule applies.
    """
    columns = set(columns)
    if "full_key" in columns:
        kind = "korean"
        comparisons, blocking, training, deterministic = _korean(columns, dialect)
    else:
        kind = "generic"
        comparisons, blocking, training, deterministic = _generic(columns)
    if len(comparisons) < 2 or not blocking:
        raise LinkageError(
            f"the records allow {len(comparisons)} comparison(s) and {len(blocking)} blocking "
            f"rule(s); linkage needs a name and at least one more field (birth year, sex, "
            f"place...). Columns present: {sorted(columns)}"
        )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID_COLUMN,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[rule.rule() for rule in blocking],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        max_iterations=20,
    )
    names = [c.create_output_column_name() or "" for c in comparisons]
    return LinkageModel(settings, training, deterministic, kind, names, blocking)


#: Keys a too-wide blocking rule is narrowed by, in this order, when the records have them.
NARROWING_KEYS = ("sex", "province", "birth_mid", "event_year", "first_initial", "postcode_area")
#: Pairs one blocking rule may generate per record before it is narrowed.
MAX_PAIRS_PER_RECORD = 100


def refine_blocking(
    model: LinkageModel, prepared: pd.DataFrame, max_pairs: int | None = None
) -> tuple[LinkageModel, list[str]]:
    """Narrow the blocking rules that would generate too many pairs.

    A rule on a common surname and a birth year pairs a few hundred records on 50,000 records
    but tens of thousands on a million: the pairs grow with the square of the block. Each rule
    generating more than ``max_pairs`` pairs gets further keys from :data:`NARROWING_KEYS`
    until it fits; the other rules still reach the pairs that differ on those keys. A rule
    that cannot be narrowed enough is kept as narrow as it got.

    Parameters
    ----------
    model : LinkageModel
        From :func:`build_model`.
    prepared : pandas.DataFrame
        The prepared records.
    max_pairs : int, optional
        Pairs allowed per rule; default :data:`MAX_PAIRS_PER_RECORD` times the records, and
        at least 5 million.

    Returns
    -------
    (LinkageModel, list of str)
        The model with the narrowed rules, and one line per narrowed rule saying what changed.
    """
    if max_pairs is None:
        max_pairs = max(5_000_000, MAX_PAIRS_PER_RECORD * len(prepared))
    rules: list[Blocking] = []
    changes: list[str] = []
    for rule in model.blocking:
        narrowed, pairs = rule, rule.count_pairs(prepared)
        before = pairs
        for key in NARROWING_KEYS:
            if pairs <= max_pairs:
                break
            if key in narrowed.keys or key not in prepared.columns:
                continue
            narrowed = narrowed.narrowed(key)
            pairs = narrowed.count_pairs(prepared)
        if narrowed != rule:
            changes.append(f"{rule!r}: {before:,} pairs -> {narrowed!r}: {pairs:,} pairs")
        rules.append(narrowed)
    if not changes:
        return model, changes
    settings = copy.copy(model.settings)
    settings.blocking_rules_to_generate_predictions = [rule.rule() for rule in rules]
    return dataclasses.replace(model, settings=settings, blocking=rules), changes
