"""The hash-chained audit trail detects edited, removed, reordered and cut entries."""

from __future__ import annotations

import json

import pytest

from reckon.errors import ValidationError
from reckon.security.audit import AuditFile, verify_chain

KEY = b"a" * 32


@pytest.fixture
def trail(tmp_path) -> AuditFile:
    log = AuditFile(tmp_path / "audit.jsonl", key=KEY)
    log.append("admin", "login")
    log.append("kim", "create", "person/1", rows=1)
    log.append("kim", "read_identifying", "person/1", fields=2)
    log.append("lee", "export", "", rows=120, public=True)
    log.append("admin", "logout")
    return log


def _rewrite(log: AuditFile, lines: list[str]) -> None:
    log.path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_an_untouched_trail_verifies(trail) -> None:
    report = trail.verify(expected_head=trail.head())
    assert report.ok and report.entries == 5
    assert "intact" in str(report)


def test_editing_any_entry_is_detected_at_that_entry(trail) -> None:
    original = trail.path.read_text(encoding="utf-8").splitlines()
    for position in range(len(original)):
        lines = list(original)
        entry = json.loads(lines[position])
        entry["actor"] = "someone else"
        lines[position] = json.dumps(entry)
        _rewrite(trail, lines)
        report = verify_chain(trail.entries(), KEY)
        assert not report.ok
        assert report.problems[0].startswith(f"entry {position + 1} ")
        assert "edited" in report.problems[0]


def test_removing_an_entry_is_detected(trail) -> None:
    lines = trail.path.read_text(encoding="utf-8").splitlines()
    _rewrite(trail, lines[:2] + lines[3:])
    report = verify_chain(trail.entries(), KEY)
    assert any("missing (removed)" in p for p in report.problems)


def test_reordering_entries_is_detected(trail) -> None:
    lines = trail.path.read_text(encoding="utf-8").splitlines()
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(trail, lines)
    report = verify_chain(trail.entries(), KEY)
    assert any("reordered" in p for p in report.problems)


def test_cutting_the_tail_is_detected_against_the_recorded_head(trail) -> None:
    head = trail.head()
    lines = trail.path.read_text(encoding="utf-8").splitlines()
    _rewrite(trail, lines[:-1])
    assert verify_chain(trail.entries(), KEY).ok  # without the head a cut tail looks whole
    report = verify_chain(trail.entries(), KEY, expected_head=head)
    assert any("cut from the end" in p for p in report.problems)


def test_a_forger_without_the_key_cannot_rebuild_the_chain(trail, tmp_path) -> None:
    forged = AuditFile(tmp_path / "forged.jsonl", key=None)
    for entry in trail.entries()[:3]:
        forged.append(entry.actor, entry.action, entry.target, **entry.detail)
    assert forged.verify().ok  # consistent as plain SHA-256
    assert not verify_chain(forged.entries(), KEY).ok


def test_the_trail_refuses_field_values_and_unknown_actions(trail) -> None:
    with pytest.raises(ValidationError, match="never holds field values"):
        trail.append("kim", "update", "person/1", name="리철호")
    with pytest.raises(ValidationError, match="unknown audit action"):
        trail.append("kim", "peek")
    assert "리철호" not in trail.path.read_text(encoding="utf-8")
