"""Clerical review: uncertain pairs go to a reviewer, whose decisions every later run respects.

A reviewer looks at two records side by side with the evidence for and against, and decides
*must-link* (the same person) or *cannot-link* (two people), with a reason. Decisions are only
ever added, with who and when; the latest decision on a pair is the one in force, earlier ones
stay as history. :func:`reckon.linkage.link.link` takes the decisions in force: must-linked
records always end in one cluster, cannot-linked records never do, whatever the model says.

Decisions live in a project's database (:class:`StoreDecisions`) or, for linking files without
a project, in a CSV file (:class:`DecisionFile`) with the columns :data:`DECISION_COLUMNS`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reckon.errors import IngestError, ValidationError

__all__ = [
    "DECISIONS",
    "DECISION_COLUMNS",
    "Decision",
    "DecisionFile",
    "StoreDecisions",
    "decisions_in_force",
    "review_queue",
]

DECISIONS = ("must_link", "cannot_link")
DECISION_COLUMNS = (
    "source_l",
    "record_id_l",
    "source_r",
    "record_id_r",
    "decision",
    "reason",
    "reviewer",
    "decided_at",
)
#: Pairs with a match probability in this range are uncertain enough to be reviewed.
REVIEW_RANGE = (0.2, 0.8)


@dataclass(frozen=True)
class Decision:
    """One reviewer decision on a pair of records (each named by its list and record id)."""

    source_l: str
    record_id_l: str
    source_r: str
    record_id_r: str
    decision: str
    reason: str
    reviewer: str
    decided_at: str = ""

    def __post_init__(self) -> None:
        problems = []
        if self.decision not in DECISIONS:
            problems.append(f"decision must be one of {list(DECISIONS)}, got {self.decision!r}")
        for name in ("source_l", "record_id_l", "source_r", "record_id_r", "reviewer"):
            if not str(getattr(self, name)).strip():
                problems.append(f"{name} is empty")
        if not self.reason.strip():
            problems.append("give a reason: later reviewers need to know why")
        if (self.source_l, self.record_id_l) == (self.source_r, self.record_id_r):
            problems.append("a decision needs two different records")
        if problems:
            raise ValidationError("not a valid review decision", problems)
        if not self.decided_at:
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            object.__setattr__(self, "decided_at", now)

    @property
    def pair(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """The two records, in a canonical order (a decision on (a, b) is one on (b, a))."""
        return _pair((self.source_l, self.record_id_l), (self.source_r, self.record_id_r))

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _pair(a: tuple[str, str], b: tuple[str, str]) -> tuple[tuple[str, str], tuple[str, str]]:
    return (a, b) if a <= b else (b, a)


def decisions_in_force(decisions: Iterable[Decision]) -> list[Decision]:
    """The latest decision on each pair, in the order the decisions were made."""
    latest: dict[Any, Decision] = {}
    for decision in decisions:
        latest.pop(decision.pair, None)
        latest[decision.pair] = decision
    return list(latest.values())


class DecisionFile:
    """Decisions kept in an append-only CSV file (for linking files without a project).

    Parameters
    ----------
    path : str or Path
        The CSV file; created with its header on the first decision.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> list[Decision]:
        """Every decision in the file, oldest first; a missing file holds none."""
        if not self.path.exists():
            return []
        try:
            with self.path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = set(DECISION_COLUMNS) - set(reader.fieldnames or ())
                if missing:
                    raise IngestError(
                        f"{self.path}: not a decisions file; columns {sorted(missing)} are "
                        f"missing (it needs {', '.join(DECISION_COLUMNS)})"
                    )
                decisions, problems = [], []
                for number, row in enumerate(reader, start=2):
                    try:
                        decisions.append(Decision(**{c: row[c] or "" for c in DECISION_COLUMNS}))
                    except ValidationError as err:
                        problems.append(f"{self.path}, row {number}: {err}")
        except (OSError, UnicodeDecodeError) as err:
            raise IngestError(f"cannot read the decisions file {self.path}: {err}") from err
        if problems:
            raise ValidationError("the decisions file has invalid rows; fix them", problems)
        return decisions

    def add(self, decision: Decision) -> Decision:
        """Append one decision."""
        new = not self.path.exists() or self.path.stat().st_size == 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=DECISION_COLUMNS, lineterminator="\n")
            if new:
                writer.writeheader()
            writer.writerow(decision.to_dict())
        return decision


class StoreDecisions:
    """Decisions kept in a project's database (table ``linkage_decisions``)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def load(self) -> list[Decision]:
        import sqlalchemy as sa

        from reckon.store.models import LinkageDecision

        with self.store.session() as session:
            rows = session.scalars(sa.select(LinkageDecision).order_by(LinkageDecision.id))
            return [
                Decision(
                    row.source_l,
                    row.record_id_l,
                    row.source_r,
                    row.record_id_r,
                    row.decision,
                    row.reason,
                    row.reviewer,
                    _timestamp(row.decided_at),
                )
                for row in rows
            ]

    def add(self, decision: Decision) -> Decision:
        from reckon.store.models import LinkageDecision

        values = decision.to_dict()
        values["decided_at"] = dt.datetime.fromisoformat(values["decided_at"])
        with self.store.session() as session:
            session.add(LinkageDecision(**values))
        return decision


def _timestamp(value: dt.datetime) -> str:
    if value.tzinfo is None:  # SQLite keeps no zone; reckon writes UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def review_queue(
    result: Any,
    records: pd.DataFrame | None = None,
    *,
    decisions: Sequence[Decision] = (),
    low: float = REVIEW_RANGE[0],
    high: float = REVIEW_RANGE[1],
    limit: int | None = None,
) -> pd.DataFrame:
    """The pairs a reviewer should look at, most uncertain first, undecided ones only.

    Parameters
    ----------
    result : reckon.linkage.link.LinkResult
        A linkage; its scored pairs carry the per-field match weights.
    records : pandas.DataFrame, optional
        The records linked (``source``, ``record_id`` and their fields), to show side by side
        as ``<field>_l`` / ``<field>_r``.
    decisions : sequence of Decision
        Pairs already decided are left out.
    low, high : float
        Match probabilities a pair must lie between.
    limit : int, optional
        At most this many pairs.

    Returns
    -------
    pandas.DataFrame
        ``source_l, record_id_l, source_r, record_id_r, match_probability, linked``, the
        ``mw_*`` evidence per field and, with ``records``, the fields of both records.
    """
    if not 0 <= low < high <= 1:
        raise ValidationError(f"the review range needs 0 <= low < high <= 1, got {low}, {high}")
    pairs = result.pairs
    queue = pairs[pairs["match_probability"].between(low, high)].copy()
    decided = {d.pair for d in decisions}
    if decided:
        keys = [
            _pair((sl, rl), (sr, rr))
            for sl, rl, sr, rr in zip(
                queue["source_l"], queue["record_id_l"], queue["source_r"], queue["record_id_r"],
                strict=True,
            )
        ]  # fmt: skip
        queue = queue[[key not in decided for key in keys]]
    queue["uncertainty"] = (queue["match_probability"] - 0.5).abs()
    queue = queue.sort_values(["uncertainty", "match_probability"], kind="stable")
    queue = queue.drop(columns="uncertainty").reset_index(drop=True)
    if limit is not None:
        queue = queue.head(limit)
    if records is None:
        return queue
    fields = records.astype({"source": str, "record_id": str})
    for side in ("l", "r"):
        renamed = fields.rename(columns={c: f"{c}_{side}" for c in fields.columns})
        queue = queue.merge(renamed, on=[f"source_{side}", f"record_id_{side}"], how="left")
    return queue
