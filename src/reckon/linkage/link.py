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
from reckon.linkage.clustering import (
    DEFAULT_THRESHOLD,
    cluster_records,
    connected_components,
    probability_to_weight,
)
from reckon.linkage.model import LinkageModel, build_model, refine_blocking
from reckon.linkage.prepare import ID_COLUMN, SOURCE_COLUMN, prepare_records
from reckon.linkage.review import Decision, decisions_in_force

__all__ = ["DEFAULT_THRESHOLD", "ENGINES", "LinkResult", "link", "records_from_store"]

ENGINES = ("duckdb", "spark")
CLUSTERING_METHODS = ("constrained", "connected_components")

#: Blocking recall below this triggers a LinkageQualityWarning (when the truth is known).
MIN_BLOCKING_RECALL = 0.9
#: Pairs kept in ``LinkResult.pairs`` (lower-scored pairs are counted, not kept).
PAIR_FLOOR_PROBABILITY = 0.01
#: Components up to this size get every internal pair scored before clustering.
COMPLETE_COMPONENTS_UP_TO = 60
_U_SAMPLE_PAIRS = 2e6
#: Comparisons of an act rather than of a person, and the least probability that two records
#: of the same person disagree on them: victims suffer several acts (NK_FACTS.md §1) and lists
#: report different ones, which EM inside blocks of near-identical records cannot see.
ACT_COMPARISON_DISAGREEMENT_FLOOR = {"act": 0.1, "violation": 0.15, "event_year": 0.02}


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


def records_from_store(store: Any, *, sources: Sequence[str] | None = None) -> pd.DataFrame:
    """The stored records as a table :func:`link` reads (one row per ingested record).

    Names come decrypted only into this in-memory table; nothing is written to disk.
    Partial dates keep their year (``birth_year``, ``event_year``), the finest a partial date
    always has.
    """
    from reckon.ingest.export import export_rows

    rows = list(export_rows(store, sources=list(sources) if sources else None))
    frame = pd.DataFrame(rows, columns=["source", "record_id", "name", "sex", "birth_date",
                                        "age_at_event", "province", "county", "event_date",
                                        "violation"])  # fmt: skip
    if frame.empty:
        raise LinkageError("the project holds no records to link; ingest lists first")
    for date, year in (("birth_date", "birth_year"), ("event_date", "event_year")):
        frame[year] = pd.to_numeric(
            frame.pop(date).astype("string").str.extract(r"^(\d{4})", expand=False),
            errors="coerce",
        )
    return frame


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
        model.deterministic_rules, recall=0.4
    )
    settings = linker._settings_obj  # Splink offers no public setter for the prior
    if settings._probability_two_random_records_match <= 0:
        # No pair met the near-certain rules (tiny lists): assume about one other record
        # of the same person per record, rather than a prior of 0 that forbids every link.
        settings._probability_two_random_records_match = 2.0 / max(n_records, 2)
    linker.training.estimate_u_using_random_sampling(max_pairs=_U_SAMPLE_PAIRS, seed=seed)
    proportion = 1.0 if n_records <= 100_000 else 100_000 / n_records
    for rule in model.training_rules:
        comparisons, prior = (
            list(settings.comparisons),
            settings._probability_two_random_records_match,
        )
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=proportion
            )
        except (ValueError, ZeroDivisionError) as err:
            # A failed pass leaves Splink's settings without the comparisons it had set aside
            # for the pass; put them back, or they would silently drop out of the model.
            settings.comparisons = comparisons
            settings._probability_two_random_records_match = prior
            # Too few pairs in the block to estimate from (small lists); the m probabilities
            # of this pass keep their starting values.
            warnings.warn(
                f"could not estimate the model from the pairs sharing "
                f"{rule.get_blocking_rule('duckdb').blocking_rule_sql}: {err}; "
                "with so few records the match probabilities are rough",
                LinkageQualityWarning,
                stacklevel=3,
            )
    _floor_act_disagreement(settings)


def _floor_act_disagreement(settings: Any) -> None:
    """Keep the "else" level of act comparisons at least at its floor, renormalising m."""
    for comparison in settings.comparisons:
        floor = ACT_COMPARISON_DISAGREEMENT_FLOOR.get(comparison.output_column_name)
        levels = [level for level in comparison.comparison_levels if not level.is_null_level]
        if floor is None or not levels or levels[-1].m_probability is None:
            continue
        rest = sum(level.m_probability or 0.0 for level in levels[:-1])
        if levels[-1].m_probability >= floor or rest <= 0:
            continue
        for level in levels[:-1]:
            level.m_probability = (level.m_probability or 0.0) * (1.0 - floor) / rest
        levels[-1].m_probability = floor


def _complete_components(
    db_api: Any,
    settings: dict[str, Any],
    prepared: pd.DataFrame,
    edges: pd.DataFrame,
    threshold: float,
    comparisons: list[str],
    engine: str = "duckdb",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the pairs blocking missed inside small components at the threshold."""
    from splink import Linker, block_on

    labels = connected_components(len(prepared), edges, threshold)
    sizes = np.bincount(labels)
    wanted = (sizes[labels] >= 3) & (sizes[labels] <= COMPLETE_COMPONENTS_UP_TO)
    if not wanted.any():
        return edges.iloc[:0], edges.iloc[:0]
    subset = prepared[wanted].copy()
    subset["component"] = labels[wanted]
    completion = dict(settings)
    completion["blocking_rules_to_generate_predictions"] = [block_on("component")]
    completion["linker_uid"] = None
    linker = Linker(db_api.register(_for_engine(subset, engine)), completion,
                    log_level=logging.ERROR)  # fmt: skip
    scored, detail = _read_predictions(
        linker, linker.inference.predict(warning_mode="never"), comparisons
    )
    known = pd.MultiIndex.from_frame(edges[["unique_id_l", "unique_id_r"]])

    def unseen(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~pd.MultiIndex.from_frame(frame[["unique_id_l", "unique_id_r"]]).isin(known)]

    return unseen(scored), unseen(detail)


def _decision_pairs(
    prepared: pd.DataFrame, decisions: Sequence[Decision]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Decisions as pairs of row numbers; decisions naming absent records are counted."""
    index = {
        (str(s), str(r)): i
        for i, (s, r) in enumerate(zip(prepared[SOURCE_COLUMN], prepared["record_id"], strict=True))
    }
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    unmatched = 0
    for decision in decisions:
        left = index.get((decision.source_l, decision.record_id_l))
        right = index.get((decision.source_r, decision.record_id_r))
        if left is None or right is None:
            unmatched += 1
            continue
        (must if decision.decision == "must_link" else cannot).append((left, right))
    return must, cannot, unmatched


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
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 0,
    record_id: str = "record_id",
    source: str = "source",
    columns: Mapping[str, str] | None = None,
    clustering: str = "constrained",
    min_mean_weight: float | None = None,
    max_per_source: int | None = 2,
    truth: pd.DataFrame | None = None,
    decisions: Sequence[Decision] = (),
) -> LinkResult:
    """Find which records, within and across lists, describe the same person.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record with a ``source`` column (see
        :func:`~reckon.linkage.prepare.prepare_records` for the recognised columns).
    engine : str
        SQL engine Splink runs on: ``"duckdb"`` (default) or ``"spark"`` (local Spark through
        pyspark and Java 17; see :func:`spark_session`). Same model, same clusters.
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
        Parameters of the constrained clustering (``min_mean_weight`` defaults to the match
        weight of ``threshold``). ``max_per_source`` applies only when the
        records come from more than one list (one list may hold a person many times).
    truth : pandas.DataFrame, optional
        ``record_id``, ``person_id`` (and ``source``) of known identities, used only to
        report the blocking recall; never used to train.
    decisions : sequence of reckon.linkage.review.Decision
        Reviewers' must-link and cannot-link decisions (the latest per pair is in force);
        always respected. Decisions on records not in ``frame`` are counted, not applied.

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
    model, narrowed = refine_blocking(build_model(prepared.columns, dialect=engine), prepared)
    try:
        edges, completed, detail, settings = _run_splink(
            prepared, model, threshold, int(seed), engine
        )
    except ReckonError:
        raise
    except Exception as err:  # Splink and DuckDB raise many types; translate at the boundary
        raise LinkageError(f"Splink could not link the records: {err}") from err
    scored = pd.concat([edges, completed], ignore_index=True)
    sources = prepared[SOURCE_COLUMN].to_numpy()
    must, cannot, unmatched = _decision_pairs(prepared, decisions_in_force(decisions))
    if min_mean_weight is None:
        min_mean_weight = probability_to_weight(threshold)
    if clustering == "constrained":
        labels = cluster_records(
            len(prepared),
            scored,
            threshold=threshold,
            sources=sources,
            min_mean_weight=min_mean_weight,
            max_per_source=max_per_source if len(set(sources)) > 1 else None,
            must_link=must,
            cannot_link=cannot,
        )
    elif len(cannot):
        raise ValidationError(
            "cannot-link decisions need constrained clustering: connected components would "
            "join the records through other links"
        )
    else:
        labels = connected_components(len(prepared), scored, threshold, must_link=must)
    clusters = pd.DataFrame(
        {
            "record_id": prepared["record_id"].to_numpy(),
            "source": sources,
            "cluster_id": labels,
        }
    )
    clusters["cluster_size"] = clusters.groupby("cluster_id")["cluster_id"].transform("size")

    left, right = detail["unique_id_l"].to_numpy(), detail["unique_id_r"].to_numpy()
    pairs = pd.DataFrame(
        {
            "record_id_l": prepared["record_id"].to_numpy()[left],
            "source_l": sources[left],
            "record_id_r": prepared["record_id"].to_numpy()[right],
            "source_r": sources[right],
            "match_probability": detail["match_probability"].to_numpy(),
            "match_weight": detail["match_weight"].to_numpy(),
            "linked": labels[left] == labels[right],
        }
    )
    pairs = pd.concat(
        [pairs, _mw_columns(detail, model.comparisons).reset_index(drop=True)], axis=1
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
        "blocking_narrowed": narrowed,
        "decisions_applied": len(must) + len(cannot),
        "decisions_not_applicable": unmatched,
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
    prepared: pd.DataFrame, model: LinkageModel, threshold: float, seed: int, engine: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Train, predict and complete components.

    Returns the blocked pairs and the completion pairs as slim tables (ids, weight,
    probability: every scored pair, which clustering and blocking recall need), the per-field
    weights of the pairs at or above :data:`PAIR_FLOOR_PROBABILITY` only, and the trained
    model. Keeping every column of every compared pair would cost several GB on 50,000
    records.
    """
    from splink import Linker

    db_api = _database_api(engine)
    table = _for_engine(prepared, engine)
    linker = Linker(db_api.register(table), model.settings, log_level=logging.ERROR)
    _train(linker, model, len(prepared), seed)
    predictions = linker.inference.predict()
    edges, detail = _read_predictions(linker, predictions, model.comparisons)
    settings = linker.misc.save_model_to_json()
    completed, completed_detail = _complete_components(
        db_api, settings, prepared, edges, threshold, model.comparisons, engine
    )
    return edges, completed, pd.concat([detail, completed_detail], ignore_index=True), settings


_SLIM = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


def _read_predictions(
    linker: Any, predictions: Any, comparisons: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every scored pair's ids and weight; per-field weights of the pairs worth showing."""
    name = predictions.physical_name
    available = {column.unquote().name for column in predictions.columns}
    fields = [
        column
        for c in comparisons
        for column in (f"mw_{c}", f"mw_tf_adj_{c}")
        if column in available
    ]
    slim = linker.misc.query_sql(f"SELECT {', '.join(_SLIM)} FROM {name}", output_type="pandas")
    detail = linker.misc.query_sql(
        f"SELECT {', '.join([*_SLIM, *fields])} FROM {name} "
        f"WHERE match_probability >= {PAIR_FLOOR_PROBABILITY}",
        output_type="pandas",
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    return slim, detail


def _database_api(engine: str) -> Any:
    if engine == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    from splink.backends.spark import SparkAPI

    # Lineage is broken in memory (persist), not by writing tables: names stay off disk.
    return SparkAPI(spark_session=spark_session(), break_lineage_method="persist")


def spark_session() -> Any:
    """A local Spark session on loopback with Splink's similarity functions.

    Raises
    ------
    LinkageError
        If pyspark or Java is missing, with how to install them.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise LinkageError(
            "the spark engine needs pyspark: pip install 'reckon[spark]' (and Java 17: "
            "apt-get install openjdk-17-jre-headless)"
        ) from err
    import os
    import shutil

    from splink.backends.spark import similarity_jar_location

    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        raise LinkageError(
            "the spark engine needs Java 17: apt-get install openjdk-17-jre-headless"
        )
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(os.environ.get("RECKON_SPARK_MASTER", "local[2]"))
        .appName("reckon-link")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.default.parallelism", "8")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _for_engine(prepared: pd.DataFrame, engine: str) -> Any:
    """The prepared table as the engine takes it (Spark: a typed Spark DataFrame)."""
    if engine == "duckdb":
        return prepared
    from pyspark.sql import types as T

    fields = []
    for column in prepared.columns:
        dtype = prepared[column].dtype
        if column in ("given_syllables", "alt_full_keys"):
            kind: Any = T.ArrayType(T.StringType())
        elif pd.api.types.is_integer_dtype(dtype):
            kind = T.LongType()
        elif pd.api.types.is_float_dtype(dtype):
            kind = T.DoubleType()
        else:
            kind = T.StringType()
        fields.append(T.StructField(column, kind, True))
    rows = [
        tuple(None if _missing(v) else (list(v) if isinstance(v, list | np.ndarray) else
              (int(v) if isinstance(v, np.integer) else v)) for v in row)
        for row in prepared.itertuples(index=False, name=None)
    ]  # fmt: skip
    return spark_session().createDataFrame(rows, T.StructType(fields))


def _missing(value: Any) -> bool:
    if isinstance(value, list | np.ndarray):
        return False
    return bool(pd.isna(value))
