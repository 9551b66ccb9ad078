"""A tamper-evident audit trail: every entry carries the hash of the one before (SR-15..SR-18).

Each :class:`AuditEntry` records who did what to which record, when, and nothing of the data
itself: targets are record references and counts, never names or text. Its ``digest`` is an
HMAC-SHA-256 (keyed by a key derived from the vault key, so that someone who can write the
log file but not unlock the project cannot forge a consistent chain) or, without a key, a
plain SHA-256, over the entry's canonical JSON and the previous digest. :func:`verify_chain`
then finds

- an edited entry (its digest no longer matches its content),
- a removed or inserted entry (a gap in the sequence, or a broken link to the previous digest),
- reordered entries (the sequence goes backwards),
- a truncated tail, when the caller keeps the last sequence number and digest elsewhere
  (``expected_head``),

and says at which entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reckon.errors import IntegrityError, ValidationError

__all__ = [
    "ACTIONS",
    "GENESIS",
    "AuditEntry",
    "AuditFile",
    "ChainReport",
    "verify_chain",
]

#: Digest the first entry links to.
GENESIS = "0" * 64
#: What an entry can record.
ACTIONS = frozenset(
    {"login", "login_failed", "logout", "create", "update", "delete", "read_identifying",
     "decrypt", "export", "link_job", "backup", "restore", "passphrase_change",
     "role_change", "review_decision"}
)  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    """One event. ``detail`` holds counts, codes and ids only, never field values."""

    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    previous: str = GENESIS
    digest: str = ""

    def content(self) -> bytes:
        """Canonical bytes the digest covers (everything but the digest)."""
        data = asdict(self)
        data.pop("digest")
        data["detail"] = dict(self.detail)
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_digest(self, key: bytes | None) -> str:
        if key is None:
            return hashlib.sha256(self.content()).hexdigest()
        return hmac.new(key, self.content(), hashlib.sha256).hexdigest()

    def to_json(self) -> str:
        data = asdict(self)
        data["detail"] = dict(self.detail)
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> AuditEntry:
        data = json.loads(text)
        return cls(**data)


#: Detail names whose text values are ids or codes, never field values.
_TEXT_DETAIL_SUFFIXES = ("_id", "_ref", "_code", "kind", "role")


def _check_detail(detail: Mapping[str, Any]) -> None:
    for name, value in detail.items():
        if value is None or isinstance(value, int | float | bool):
            continue
        if isinstance(value, str) and len(value) <= 64 and name.endswith(_TEXT_DETAIL_SUFFIXES):
            continue
        raise ValidationError(
            f"audit detail {name!r} must be a number, a flag or a short id/code/kind/role "
            "field: the audit trail never holds field values"
        )


@dataclass(frozen=True)
class ChainReport:
    """Outcome of :func:`verify_chain`: ``ok`` and one line per problem found."""

    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.entries} entries"
        return f"audit trail BROKEN ({self.entries} entries):\n" + "\n".join(
            f"  - {p}" for p in self.problems
        )


def verify_chain(
    entries: Iterable[AuditEntry],
    key: bytes | None = None,
    expected_head: tuple[int, str] | None = None,
) -> ChainReport:
    """Check every digest and link; report where the chain breaks.

    Parameters
    ----------
    entries : iterable of AuditEntry
        In stored order.
    key : bytes, optional
        The HMAC key the log was written with (None for plain SHA-256).
    expected_head : (int, str), optional
        The last sequence number and digest recorded elsewhere; detects a cut tail.
    """
    problems: list[str] = []
    previous_digest, previous_seq, count = GENESIS, 0, 0
    for position, entry in enumerate(entries, start=1):
        count += 1
        where = f"entry {position} (seq {entry.seq}, {entry.action} by {entry.actor} at {entry.at})"
        if entry.compute_digest(key) != entry.digest:
            problems.append(f"{where}: its content does not match its digest (edited)")
        if entry.seq <= previous_seq:
            problems.append(f"{where}: comes after seq {previous_seq} (reordered or repeated)")
        elif entry.seq != previous_seq + 1:
            problems.append(f"{where}: seq {previous_seq + 1}..{entry.seq - 1} missing (removed)")
        elif entry.previous != previous_digest:
            problems.append(f"{where}: does not link to the entry before it (removed or replaced)")
        previous_digest, previous_seq = entry.digest, max(entry.seq, previous_seq)
    if expected_head is not None and (previous_seq, previous_digest) != tuple(expected_head):
        problems.append(
            f"the trail ends at seq {previous_seq} but the recorded head is seq "
            f"{expected_head[0]}: entries were cut from the end"
        )
    return ChainReport(count, problems)


class AuditFile:
    """An append-only audit trail in a JSON Lines file (one entry per line, fsynced).

    Parameters
    ----------
    path : Path
        The log file; created when missing.
    key : bytes, optional
        HMAC key (``KeyRing.derived_key("audit")``); None for plain SHA-256.
    """

    def __init__(self, path: Path | str, key: bytes | None = None) -> None:
        self.path = Path(path)
        self._key = key
        self._head: tuple[int, str] | None = None

    def entries(self) -> list[AuditEntry]:
        if not self.path.exists():
            return []
        out = []
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        out.append(AuditEntry.from_json(line))
                    except (ValueError, TypeError) as err:
                        raise IntegrityError(
                            f"{self.path}, line {number}: not an audit entry ({err})"
                        ) from err
        return out

    def head(self) -> tuple[int, str]:
        """Sequence number and digest of the last entry (0 and the genesis digest if empty)."""
        if self._head is None:
            entries = self.entries()
            self._head = (entries[-1].seq, entries[-1].digest) if entries else (0, GENESIS)
        return self._head

    def append(self, actor: str, action: str, target: str = "", **detail: Any) -> AuditEntry:
        """Record one event and return it.

        Raises
        ------
        ValidationError
            For an unknown action or a detail that could hold a field value.
        """
        if action not in ACTIONS:
            raise ValidationError(f"unknown audit action {action!r}; one of {sorted(ACTIONS)}")
        _check_detail(detail)
        seq, previous = self.head()
        entry = AuditEntry(
            seq=seq + 1,
            at=datetime.now(UTC).isoformat(timespec="microseconds"),
            actor=actor,
            action=action,
            target=target,
            detail=detail,
            previous=previous,
        )
        entry = replace(entry, digest=entry.compute_digest(self._key))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(entry.to_json() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._head = (entry.seq, entry.digest)
        return entry

    def verify(self, expected_head: tuple[int, str] | None = None) -> ChainReport:
        return verify_chain(self.entries(), self._key, expected_head)
