"""Link the records of several lists into people: prepare, train, score, cluster.

:func:`link` runs the whole stage on one table of records (one row per record, a ``source``
column naming its list):

1. :func:`reckon.linkage.prepare.prepare_records` derives the compared columns;
2. :func:`reckon.linkage.model.build_model` chooses comparisons and blocking rules for them;
3. Splink estimates the model without labels — the prior from near-certain rules, the u
   probabilities from random pairs (seeded), the m probabilities by expectation maximisation
   over two blocking passes — and scores every blocked pair;
4. inside each group of records joined by links above the threshold, the pairs that blocking
   did not generate are scored too, so that clustering sees the evidence against a merge;
5. :func:`reckon.linkage.clustering.cluster_records` clusters without chaining.

The result keeps the clusters, the scored pairs with per-comparison match weights (why two
records were linked), and the provenance needed to reproduce it.

References
----------
.. [1] R. Linacre et al., "Splink: Free software for probabilistic record linkage at scale",
   International Journal of Population Data Science 7(3) (2022).
.. [2] I. P. Fellegi and A. B. Sunter, "A Theory for Record Linkage", Journal of the American
   Statistical Association 64 (1969) 1183-1210.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from reckon.errors import LinkageError, LinkageQualityWarning, ReckonError, ValidationError
from reckon.linkage.clustering import cluster_records, connected_components
from reckon.linkage.model import LinkageModel, build_model
from reckon.linkage.prepare import ID_COLUMN, SOURCE_COLUMN, prepare_records

__all__ = ["ENGINES", "LinkResult", "link"]

ENGINES = ("duckdb",)
CLUSTERING_METHODS = ("constrained", "connected_components")

#: Blocking recall below this triggers a LinkageQualityWarning (when the truth is known).
MIN_BLOCKING_RECALL = 0.9
#: Pairs kept in ``LinkResult.pairs`` (lower-scored pairs are counted, not kept).
PAIR_FLOOR_PROBABILITY = 0.01
#: Components up to this size get every internal pair scored before clustering.
COMPLETE_COMPONENTS_UP_TO = 60
_U_SAMPLE_PAIRS = 2e6


@dataclass(frozen=True)
class LinkResult:
    """Linked records: who is who, why, and how it was computed.

    Attributes
    ----------
    clusters : pandas.DataFrame
        One row per input record, in input order: ``record_id``, ``source``, ``cluster_id``
        (one id per inferred person) and ``cluster_size``.
    pairs : pandas.DataFrame
        Scored pairs with match probability at least :data:`PAIR_FLOOR_PROBABILITY`:
        ``record_id_l``, ``source_l``, ``record_id_r``, ``source_r``, ``match_probability``,
        ``match_weight``, ``linked`` (same cluster) and ``mw_<comparison>`` per comparison
        (the log2 Bayes factor each piece of evidence contributed, term frequencies included).
    threshold : float
        Match probability a link needed.
    settings : dict
        The trained Splink model (comparisons, m and u probabilities, blocking rules).
    provenance : dict
        Time, reckon version, input digest, seed, engine, clustering and its parameters.
    blocking_recall : float or None
        Share of the true pairs the blocking rules compared (only when the truth was given).
    n_scored_pairs : int
        Pairs scored (blocked pairs plus completed pairs inside components).
    """

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    threshold: float
    settings: dict[str, Any] = field(repr=False)
    provenance: dict[str, Any]
    blocking_recall: float | None = None
    n_scored_pairs: int = 0

    @property
    def n_records(self) -> int:
        """Number of records linked."""
        return len(self.clusters)

    @property
    def n_entities(self) -> int:
        """Number of inferred people (clusters)."""
        return int(self.clusters["cluster_id"].nunique())

    def capture_histories(self, *, lists: Sequence[str] | None = None) -> Any:
        """Capture histories of the inferred people, for multiple systems estimation.

        Parameters
        ----------
        lists : sequence of str, optional
            The lists in column order (default: the sources, sorted).

        Returns
        -------
        reckon.estimation.CaptureHistories
        """
        from reckon.estimation import CaptureHistories

        return CaptureHistories.from_records(
            self.clusters, entity="cluster_id", source="source", lists=lists
        )

    def to_frame(self) -> pd.DataFrame:
        """The clusters table (a copy)."""
        return self.clusters.copy()

    def to_dict(self) -> dict[str, Any]:
        """Summary and provenance as plain values."""
        sizes = self.clusters.groupby("cluster_id").size()
        return {
            "records": self.n_records,
            "entities": self.n_entities,
            "largest_cluster": int(sizes.max()) if len(sizes) else 0,
            "scored_pairs": self.n_scored_pairs,
            "threshold": self.threshold,
            "blocking_recall": self.blocking_recall,
            **self.provenance,
        }

    def __str__(self) -> str:
        lines = [
            f"Linked {self.n_records:,} records from "
            f"{self.clusters['source'].nunique()} lists into {self.n_entities:,} people "
            f"(threshold {self.threshold}, {self.provenance['clustering']} clustering, "
            f"{self.provenance['model']} model)."
        ]
        if self.blocking_recall is not None:
            lines.append(f"Blocking compared {self.blocking_recall:.1%} of the true pairs.")
        lines.append(f"Scored {self.n_scored_pairs:,} pairs; seed {self.provenance['seed']}.")
        return "\n".join(lines)


def _digest(frame: pd.DataFrame) -> str:
    hashed = pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]


def _mw_columns(scored: pd.DataFrame, comparisons: list[str]) -> pd.DataFrame:
    """Per-comparison match weights (log2 Bayes factors), term-frequency adjustment included."""
    out = pd.DataFrame(index=scored.index)
    for name in comparisons:
        weight = scored.get(f"mw_{name}")
        if weight is None:
            continue
        weight = weight.astype(float)
        tf = scored.get(f"mw_tf_adj_{name}")
        if tf is not None:
            weight = weight + tf.astype(float).fillna(0.0)
        out[f"mw_{name}"] = weight
    return out


def _train(linker: Any, model: LinkageModel, n_records: int, seed: int) -> None:
    linker.training.estimate_probability_two_random_records_match(
        model.deterministic_rules, recall=0.7
    )
    settings = linker._settings_obj  # Splink offers no public setter for the prior
    if settings._probability_two_random_records_match <= 0:
        # No pair met the near-certain rules (tiny lists): assume about one other record
        # of the same person per record, rather than a prior of 0 that forbids every link.
        settings._probability_two_random_records_match = 2.0 / max(n_records, 2)
    linker.training.estimate_u_using_random_sampling(max_pairs=_U_SAMPLE_PAIRS, seed=seed)
    proportion = 1.0 if n_records <= 100_000 else 100_000 / n_records
    for rule in model.training_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=proportion
            )
        except (ValueError, ZeroDivisionError) as err:
            # Too few pairs in the block to estimate from (small lists); the m probabilities
            # of this pass keep their starting values.
            warnings.warn(
                f"could not estimate the model from the pairs sharing "
                f"{rule.get_blocking_rule('duckdb').blocking_rule_sql}: {err}; "
                "with so few records the match probabilities are rough",
                LinkageQualityWarning,
                stacklevel=3,
            )


def _complete_components(
    db_api: Any,
    settings: dict[str, Any],
    prepared: pd.DataFrame,
    edges: pd.DataFrame,
    threshold: float,
) -> pd.DataFrame:
    """Score the pairs blocking missed inside small components at the threshold."""
    from splink import Linker, block_on

    labels = connected_components(len(prepared), edges, threshold)
    sizes = np.bincount(labels)
    wanted = (sizes[labels] >= 3) & (sizes[labels] <= COMPLETE_COMPONENTS_UP_TO)
    if not wanted.any():
        return edges.iloc[:0]
    subset = prepared[wanted].copy()
    subset["component"] = labels[wanted]
    completion = dict(settings)
    completion["blocking_rules_to_generate_predictions"] = [block_on("component")]
    completion["linker_uid"] = None
    linker = Linker(db_api.register(subset), completion, log_level=logging.ERROR)
    scored = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    known = pd.MultiIndex.from_frame(edges[["unique_id_l", "unique_id_r"]])
    keys = pd.MultiIndex.from_frame(scored[["unique_id_l", "unique_id_r"]])
    return scored[~keys.isin(known)]


def _blocking_recall(prepared: pd.DataFrame, edges: pd.DataFrame, truth: pd.DataFrame) -> float:
    missing = {"record_id", "person_id"} - set(truth.columns)
    if missing:
        raise ValidationError(f"truth needs columns {sorted(missing)}; got {list(truth.columns)}")
    on = ["record_id", "source"] if "source" in truth.columns else ["record_id"]
    keyed = truth.assign(record_id=truth["record_id"].astype(str))
    if "source" in keyed.columns:
        keyed["source"] = keyed["source"].astype(str)
    base = prepared[[ID_COLUMN, "record_id", SOURCE_COLUMN]].astype({"record_id": str})
    person = base.merge(keyed[[*on, "person_id"]], on=on, how="left")["person_id"].to_numpy()
    sizes = pd.Series(person).value_counts().to_numpy()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    if true_pairs == 0:
        return 1.0
    left = person[edges["unique_id_l"].to_numpy()]
    right = person[edges["unique_id_r"].to_numpy()]
    found = int(np.sum((left == right) & pd.notna(left)))
    return found / true_pairs


def link(
    frame: pd.DataFrame,
    *,
    engine: str = "duckdb",
    threshold: float = 0.9,
    seed: int = 0,
    record_id: str = "record_id",
    source: str = "source",
    columns: Mapping[str, str] | None = None,
    clustering: str = "constrained",
    min_mean_weight: float = 0.0,
    max_per_source: int | None = 2,
    truth: pd.DataFrame | None = None,
) -> LinkResult:
    """Find which records, within and across lists, describe the same person.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record with a ``source`` column (see
        :func:`~reckon.linkage.prepare.prepare_records` for the recognised columns).
    engine : str
        SQL engine Splink runs on; ``"duckdb"``.
    threshold : float
        Match probability a link needs (0 < threshold < 1).
    seed : int
        Seed of the random pair sample the u probabilities are estimated from; with the same
        seed and input the result is the same.
    record_id, source : str
        Columns identifying a record within its list and naming the list.
    columns : mapping, optional
        Renames applied first, input column → recognised name.
    clustering : str
        ``"constrained"`` (:func:`~reckon.linkage.clustering.cluster_records`, default) or
        ``"connected_components"`` (Splink's default, which chains; for comparison).
    min_mean_weight, max_per_source
        Parameters of the constrained clustering.
    truth : pandas.DataFrame, optional
        ``record_id``, ``person_id`` (and ``source``) of known identities, used only to
        report the blocking recall; never used to train.

    Returns
    -------
    LinkResult

    Raises
    ------
    ValidationError
        For bad input or settings.
    LinkageError
        If Splink cannot run on the records (the underlying error is attached).

    Warns
    -----
    LinkageQualityWarning
        If blocking compared fewer than 90% of the true pairs, or a cluster holds more than
        ``max(20, 1%)`` of the records.
    """
    problems = []
    if engine not in ENGINES:
        problems.append(f"engine must be one of {list(ENGINES)}, got {engine!r}")
    if not isinstance(threshold, float | int) or not 0 < threshold < 1:
        problems.append(f"threshold must be a probability strictly between 0 and 1: {threshold!r}")
    if clustering not in CLUSTERING_METHODS:
        problems.append(f"clustering must be one of {list(CLUSTERING_METHODS)}: {clustering!r}")
    if not isinstance(seed, int | np.integer):
        problems.append(f"seed must be an integer, got {seed!r}")
    if problems:
        raise ValidationError("cannot link records", problems)
    started = time.perf_counter()
    prepared = prepare_records(frame, record_id=record_id, source=source, columns=columns)
    if len(prepared) < 2:
        raise LinkageError(f"linkage needs at least 2 records, got {len(prepared)}")
    model = build_model(prepared.columns)
    try:
        edges, completed, settings = _run_splink(prepared, model, threshold, int(seed))
    except ReckonError:
        raise
    except Exception as err:  # Splink and DuckDB raise many types; translate at the boundary
        raise LinkageError(f"Splink could not link the records: {err}") from err
    scored = pd.concat([edges, completed], ignore_index=True)
    sources = prepared[SOURCE_COLUMN].to_numpy()
    if clustering == "constrained":
        labels = cluster_records(
            len(prepared),
            scored,
            threshold=threshold,
            sources=sources,
            min_mean_weight=min_mean_weight,
            max_per_source=max_per_source,
        )
    else:
        labels = connected_components(len(prepared), scored, threshold)
    clusters = pd.DataFrame(
        {
            "record_id": prepared["record_id"].to_numpy(),
            "source": sources,
            "cluster_id": labels,
        }
    )
    clusters["cluster_size"] = clusters.groupby("cluster_id")["cluster_id"].transform("size")

    keep = scored[scored["match_probability"] >= PAIR_FLOOR_PROBABILITY]
    left, right = keep["unique_id_l"].to_numpy(), keep["unique_id_r"].to_numpy()
    pairs = pd.DataFrame(
        {
            "record_id_l": prepared["record_id"].to_numpy()[left],
            "source_l": sources[left],
            "record_id_r": prepared["record_id"].to_numpy()[right],
            "source_r": sources[right],
            "match_probability": keep["match_probability"].to_numpy(),
            "match_weight": keep["match_weight"].to_numpy(),
            "linked": labels[left] == labels[right],
        }
    )
    pairs = pd.concat(
        [pairs, _mw_columns(keep, model.comparisons).reset_index(drop=True)], axis=1
    ).sort_values("match_weight", ascending=False, ignore_index=True)

    recall = _blocking_recall(prepared, edges, truth) if truth is not None else None
    if recall is not None and recall < MIN_BLOCKING_RECALL:
        warnings.warn(
            f"blocking compared only {recall:.1%} of the true pairs; the rest cannot be linked. "
            "Add blocking rules on the fields the missed pairs share.",
            LinkageQualityWarning,
            stacklevel=2,
        )
    largest = int(clusters["cluster_size"].max())
    if largest > max(20, math.ceil(0.01 * len(prepared))):
        warnings.warn(
            f"one cluster holds {largest} records: records of different people may have been "
            "chained together; raise the threshold or use constrained clustering",
            LinkageQualityWarning,
            stacklevel=2,
        )
    from reckon import __version__

    provenance = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "reckon_version": __version__,
        "input_digest": _digest(frame),
        "seed": int(seed),
        "engine": engine,
        "model": model.kind,
        "clustering": clustering,
        "min_mean_weight": min_mean_weight,
        "max_per_source": max_per_source,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return LinkResult(
        clusters=clusters,
        pairs=pairs,
        threshold=float(threshold),
        settings=settings,
        provenance=provenance,
        blocking_recall=recall,
        n_scored_pairs=len(scored),
    )


def _run_splink(
    prepared: pd.DataFrame, model: LinkageModel, threshold: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI()
    linker = Linker(db_api.register(prepared), model.settings, log_level=logging.ERROR)
    _train(linker, model, len(prepared), seed)
    edges = linker.inference.predict().as_pandas_dataframe()
    settings = linker.misc.save_model_to_json()
    completed = _complete_components(db_api, settings, prepared, edges, threshold)
    columns = [c for c in edges.columns if c in completed.columns]
    return edges, completed[columns], settings
