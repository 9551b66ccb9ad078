"""Scoring linkage and estimates against the truth a simulation (or a labelled set) knows.

:func:`score_linkage` compares predicted clusters of records with the true persons behind
them: pairwise precision, recall and F1 (every true pair counts, so a pair that blocking never
compared is a false negative), B-cubed precision, recall and F1, the number of entities found
against the true number, and the share of persons recovered exactly. Every number comes from
the contingency table of (cluster, person) counts, never from enumerating pairs, so a million
records take seconds.

:func:`score_estimate` compares a population estimate with the true population size: error,
relative error, whether the interval covers the truth, and the interval's width.

References
----------
Christen, P. (2012). *Data Matching: Concepts and Techniques for Record Linkage, Entity
Resolution, and Duplicate Detection*. Springer, chapter 7 (pairwise quality measures).

Bagga, A. and Baldwin, B. (1998). Algorithms for scoring coreference chains. *Proceedings of
the First International Conference on Language Resources and Evaluation Workshop on Linguistic
Coreference*, 563–566 (B-cubed).

Amigó, E., Gonzalo, J., Artiles, J. and Verdejo, F. (2009). A comparison of extrinsic
clustering evaluation metrics based on formal constraints. *Information Retrieval* 12(4),
461–486 (B-cubed precision and recall averaged over records, F as their harmonic mean).

Menestrina, D., Whang, S. E. and Garcia-Molina, H. (2010). Evaluating entity resolution
results. *Proceedings of the VLDB Endowment* 3(1), 208–219.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import ValidationError
from reckon.estimation.results import EstimateResult

__all__ = ["LinkageScores", "score_estimate", "score_linkage"]

#: How many offending record ids a message names before it only counts the rest.
_MAX_NAMED = 20


@dataclass(frozen=True)
class LinkageScores:
    """How well predicted clusters of records recover the true persons.

    Parameters
    ----------
    records : int
        Records scored (present in both the clusters and the truth).
    true_pairs, predicted_pairs, correct_pairs : int
        Pairs of records of the same true person; pairs in the same predicted cluster; pairs
        that are both.
    pairwise_precision, pairwise_recall, pairwise_f1 : float
        ``correct / predicted``, ``correct / true`` and their harmonic mean. With no predicted
        pairs precision is 1 (no link is wrong); with no true pairs recall is 1.
    bcubed_precision, bcubed_recall, bcubed_f1 : float
        Mean over records of the share of the record's cluster that is its person, and of the
        share of its person that is in its cluster; F1 is the harmonic mean of the two means.
    predicted_entities, true_entities : int
        Distinct predicted clusters and distinct true persons.
    entity_relative_error : float
        ``(predicted_entities - true_entities) / true_entities``: positive when linkage
        under-merges (too many people), negative when it over-merges.
    exact_entity_rate : float
        Share of true persons whose records form exactly one predicted cluster holding nothing
        else.
    """

    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    predicted_entities: int
    true_entities: int
    entity_relative_error: float
    exact_entity_rate: float

    def to_dict(self) -> dict[str, Any]:
        """Every score as a plain ``{name: number}`` dictionary (JSON-safe)."""
        return {k: (int(v) if isinstance(v, int) else float(v)) for k, v in asdict(self).items()}

    def __str__(self) -> str:
        return "\n".join(
            [
                f"linkage scores over {self.records:,} records",
                f"  pairwise   precision {self.pairwise_precision:.4f}  "
                f"recall {self.pairwise_recall:.4f}  F1 {self.pairwise_f1:.4f}  "
                f"({self.correct_pairs:,} of {self.predicted_pairs:,} predicted pairs correct, "
                f"{self.true_pairs:,} true pairs)",
                f"  B-cubed    precision {self.bcubed_precision:.4f}  "
                f"recall {self.bcubed_recall:.4f}  F1 {self.bcubed_f1:.4f}",
                f"  entities   {self.predicted_entities:,} found, {self.true_entities:,} true "
                f"({self.entity_relative_error:+.1%})",
                f"  exact      {self.exact_entity_rate:.1%} of true persons recovered exactly",
            ]
        )


def _harmonic(a: float, b: float) -> float:
    return 0.0 if a + b == 0 else 2.0 * a * b / (a + b)


def _pairs(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def _check_frame(
    frame: Any, name: str, columns: tuple[str, ...], problems: list[str]
) -> pd.DataFrame | None:
    if not isinstance(frame, pd.DataFrame):
        problems.append(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
        return None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(
            f"{name} lacks the column(s) {missing}; it has {list(map(str, frame.columns))}"
        )
        return None
    for column in columns:
        empty = frame[column].isna()
        if empty.any():
            rows = np.flatnonzero(empty.to_numpy())
            problems.append(
                f"{name} has {len(rows)} row(s) without {column}: rows "
                f"{rows[:_MAX_NAMED].tolist()}{' ...' if len(rows) > _MAX_NAMED else ''}"
            )
    return frame


def _named(keys: pd.Index) -> str:
    shown = ", ".join(map(str, keys[:_MAX_NAMED]))
    more = f" and {len(keys) - _MAX_NAMED:,} more" if len(keys) > _MAX_NAMED else ""
    return shown + more


def _keys(frame: pd.DataFrame, with_source: bool) -> pd.Index:
    # Ids are compared as text: a CSV read with inferred types gives 7 in one file and "7" in
    # another, and both mean the same record.
    record = frame["record_id"].astype(str)
    if with_source:
        return pd.Index(frame["source"].astype(str) + "/" + record)
    return pd.Index(record)


def score_linkage(clusters: pd.DataFrame, truth: pd.DataFrame) -> LinkageScores:
    """Score predicted clusters of records against the true persons.

    Parameters
    ----------
    clusters : pandas.DataFrame
        One row per record: ``record_id``, ``cluster_id`` and optionally ``source``.
    truth : pandas.DataFrame
        One row per record: ``record_id``, ``person_id`` and optionally ``source`` (as written
        by ``Simulation.truth()`` and ``reckon simulate``). When both tables have ``source``,
        a record is identified by ``(source, record_id)``, so record ids need only be unique
        within a list; otherwise by ``record_id`` alone. Ids are compared as text.

    Returns
    -------
    LinkageScores

    Raises
    ------
    ValidationError
        Listing every problem: a missing column, missing ids, a record listed twice in either
        table, and the records that appear in only one of the two tables.

    Notes
    -----
    Let ``n_cp`` be the number of records in predicted cluster c that belong to person p,
    ``a_c = sum_p n_cp`` and ``b_p = sum_c n_cp``, and ``C(x) = x (x - 1) / 2``. Then the
    correct pairs are ``sum C(n_cp)``, the predicted pairs ``sum C(a_c)`` and the true pairs
    ``sum C(b_p)`` (Christen 2012, section 7.2). B-cubed precision is
    ``sum_cp n_cp^2 / a_c / R`` and recall ``sum_cp n_cp^2 / b_p / R`` over R records (Bagga
    and Baldwin 1998; Amigó et al. 2009). Person p is recovered exactly when some cell has
    ``n_cp = a_c = b_p``.

    References
    ----------
    Christen, P. (2012). *Data Matching*. Springer, chapter 7.

    Bagga, A. and Baldwin, B. (1998). Algorithms for scoring coreference chains. *LREC
    Workshop on Linguistic Coreference*, 563–566.

    Amigó, E., Gonzalo, J., Artiles, J. and Verdejo, F. (2009). A comparison of extrinsic
    clustering evaluation metrics based on formal constraints. *Information Retrieval* 12(4),
    461–486.

    Examples
    --------
    >>> import pandas as pd
    >>> truth = pd.DataFrame({"record_id": [1, 2, 3, 4], "person_id": ["a", "a", "a", "b"]})
    >>> clusters = pd.DataFrame({"record_id": [1, 2, 3, 4], "cluster_id": [1, 1, 2, 2]})
    >>> scores = score_linkage(clusters, truth)
    >>> scores.pairwise_precision, round(scores.pairwise_recall, 4)
    (0.5, 0.3333)
    """
    problems: list[str] = []
    clusters = _check_frame(clusters, "clusters", ("record_id", "cluster_id"), problems)
    truth = _check_frame(truth, "truth", ("record_id", "person_id"), problems)
    if clusters is None or truth is None or problems:
        raise ValidationError("cannot score the linkage", problems)

    with_source = "source" in clusters.columns and "source" in truth.columns
    if with_source:
        for name, frame in (("clusters", clusters), ("truth", truth)):
            if frame["source"].isna().any():
                problems.append(f"{name} has rows without source")
    predicted_keys = _keys(clusters, with_source)
    true_keys = _keys(truth, with_source)
    what = "(source/record_id)" if with_source else "record_id"
    for name, keys in (("clusters", predicted_keys), ("truth", true_keys)):
        repeated = keys[keys.duplicated()].unique()
        if len(repeated):
            problems.append(
                f"{name} lists {len(repeated):,} record(s) more than once ({what}): "
                f"{_named(repeated)}; each record belongs to exactly one cluster/person"
            )
    only_predicted = predicted_keys.difference(true_keys)
    only_true = true_keys.difference(predicted_keys)
    if len(only_predicted):
        problems.append(
            f"{len(only_predicted):,} record(s) are in the clusters but not in the truth "
            f"({what}): {_named(only_predicted)}"
        )
    if len(only_true):
        problems.append(
            f"{len(only_true):,} record(s) are in the truth but not in the clusters "
            f"({what}): {_named(only_true)}; give every record a cluster (a singleton if "
            "nothing links to it)"
        )
    if len(predicted_keys) == 0:
        problems.append("there are no records to score")
    if problems:
        raise ValidationError("cannot score the linkage", problems)

    cluster_of = pd.Series(clusters["cluster_id"].to_numpy(), index=predicted_keys)
    person_of = pd.Series(truth["person_id"].to_numpy(), index=true_keys)
    person_of = person_of.reindex(predicted_keys)
    cluster_codes, cluster_labels = pd.factorize(cluster_of.to_numpy())
    person_codes, person_labels = pd.factorize(person_of.to_numpy())
    n_clusters, n_persons = len(cluster_labels), len(person_labels)

    cluster_sizes = np.bincount(cluster_codes, minlength=n_clusters).astype(np.int64)
    person_sizes = np.bincount(person_codes, minlength=n_persons).astype(np.int64)
    cells, cell_counts = np.unique(
        cluster_codes.astype(np.int64) * n_persons + person_codes.astype(np.int64),
        return_counts=True,
    )
    cell_cluster = cells // n_persons
    cell_person = cells % n_persons
    n_records = int(cluster_sizes.sum())

    correct = _pairs(cell_counts)
    predicted = _pairs(cluster_sizes)
    true = _pairs(person_sizes)
    precision = 1.0 if predicted == 0 else correct / predicted
    recall = 1.0 if true == 0 else correct / true

    squared = cell_counts.astype(float) ** 2
    b3_precision = float((squared / cluster_sizes[cell_cluster]).sum() / n_records)
    b3_recall = float((squared / person_sizes[cell_person]).sum() / n_records)

    exact = (cell_counts == cluster_sizes[cell_cluster]) & (
        cell_counts == person_sizes[cell_person]
    )
    return LinkageScores(
        records=n_records,
        true_pairs=true,
        predicted_pairs=predicted,
        correct_pairs=correct,
        pairwise_precision=float(precision),
        pairwise_recall=float(recall),
        pairwise_f1=_harmonic(precision, recall),
        bcubed_precision=b3_precision,
        bcubed_recall=b3_recall,
        bcubed_f1=_harmonic(b3_precision, b3_recall),
        predicted_entities=n_clusters,
        true_entities=n_persons,
        entity_relative_error=(n_clusters - n_persons) / n_persons,
        exact_entity_rate=int(exact.sum()) / n_persons,
    )


def score_estimate(result: EstimateResult | Mapping[str, Any], true_n: int) -> dict[str, Any]:
    """Compare a population estimate with the true population size.

    Parameters
    ----------
    result : EstimateResult or mapping
        A fitted estimator's ``result_``, or its ``to_dict()`` (what ``reckon estimate
        --format json`` prints): ``estimate``, ``interval`` and optionally ``method``,
        ``observed``, ``level`` and ``warnings`` are read.
    true_n : int
        The true population size N (recorded and unrecorded people).

    Returns
    -------
    dict
        ``method``, ``true_n``, ``observed``, ``estimate``, ``lower``, ``upper``, ``level``,
        ``error`` (estimate − N), ``relative_error`` (error / N), ``covered`` (lower ≤ N ≤
        upper; False when a limit is missing or not a number), ``interval_width`` (upper −
        lower) and ``n_warnings``.

    Raises
    ------
    ValidationError
        If ``true_n`` is not a positive integer, is below the number of people observed, or
        the result has no estimate or interval.

    References
    ----------
    Morris, T. P., White, I. R. and Crowther, M. J. (2019). Using simulation studies to
    evaluate statistical methods. *Statistics in Medicine* 38(11), 2074–2102 (bias, coverage
    and interval width as the performance measures of an estimator).
    """
    problems: list[str] = []
    if isinstance(true_n, bool) or not isinstance(true_n, int | np.integer) or true_n < 1:
        problems.append(f"true_n must be a positive integer, got {true_n!r}")
    if isinstance(result, EstimateResult):
        data: Mapping[str, Any] = {
            "method": result.method,
            "observed": result.observed,
            "estimate": result.estimate,
            "interval": result.interval,
            "level": result.level,
            "warnings": result.warnings,
        }
    elif isinstance(result, Mapping):
        data = result
    else:
        problems.append(
            f"result must be an EstimateResult or its to_dict(), got {type(result).__name__}"
        )
        data = {}
    estimate = data.get("estimate")
    interval = data.get("interval")
    if data and not isinstance(estimate, int | float | np.number):
        problems.append(f"the result has no numeric estimate (got {estimate!r})")
    if data and (not isinstance(interval, list | tuple) or len(interval) != 2):
        problems.append(f"the result's interval must be two numbers, got {interval!r}")
    observed = data.get("observed")
    if (
        not problems
        and observed is not None
        and isinstance(true_n, int | np.integer)
        and true_n < int(observed)
    ):
        problems.append(
            f"true_n {true_n} is below the {int(observed)} people observed; the true size "
            "counts every person, recorded or not"
        )
    if problems:
        raise ValidationError("cannot score the estimate", problems)

    true_n = int(true_n)
    lower, upper = (math.nan if v is None else float(v) for v in interval)  # type: ignore[union-attr]
    estimate = float(estimate)  # type: ignore[arg-type]
    covered = bool(lower <= true_n <= upper)  # NaN limits compare False
    return {
        "method": data.get("method"),
        "true_n": true_n,
        "observed": None if observed is None else int(observed),
        "estimate": estimate,
        "lower": lower,
        "upper": upper,
        "level": data.get("level"),
        "error": estimate - true_n,
        "relative_error": (estimate - true_n) / true_n,
        "covered": covered,
        "interval_width": upper - lower,
        "n_warnings": len(data.get("warnings") or ()),
    }
