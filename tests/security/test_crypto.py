"""Field encryption bound to record and column, wrapped keys, passphrase change, recovery."""

from __future__ import annotations

import pytest

from reckon.errors import IntegrityError, WrongPassphraseError
from reckon.security.crypto import KdfParams, KeyHeader, KeyRing, open_sealed, seal
from reckon.security.recovery import combine_recovery_shares, split_recovery_key

FAST = KdfParams(salt=b"0123456789abcdef", time_cost=1, memory_kib=8 * 1024, parallelism=1)


@pytest.fixture
def ring_and_header() -> tuple[KeyRing, KeyHeader]:
    return KeyRing.create("correct horse", FAST)


def test_field_round_trips_and_hides_the_value(ring_and_header) -> None:
    ring, _ = ring_and_header
    key = ring.new_record_key("person/1")
    sealed = ring.encrypt_field(key, "person/1", "name", "리철호")
    assert "리철호".encode() not in sealed and "리철호".encode("utf-16-le") not in sealed
    assert ring.decrypt_field(key, "person/1", "name", sealed) == "리철호"
    assert ring.encrypt_field(key, "person/1", "name", None) is None
    # a fresh nonce each time: equal names do not give equal ciphertexts
    assert ring.encrypt_field(key, "person/1", "name", "리철호") != sealed


@pytest.mark.parametrize(
    ("record", "column"), [("person/2", "name"), ("person/1", "notes")], ids=["row", "column"]
)
def test_a_ciphertext_moved_to_another_row_or_column_fails(ring_and_header, record, column):
    ring, _ = ring_and_header
    key = ring.new_record_key("person/1")
    sealed = ring.encrypt_field(key, "person/1", "name", "Ri Chol Ho")
    with pytest.raises(IntegrityError):
        ring.decrypt_field(key, record, column, sealed)


def test_a_record_key_moved_to_another_record_fails(ring_and_header) -> None:
    ring, _ = ring_and_header
    key = ring.new_record_key("person/1")
    sealed = ring.encrypt_field(key, "person/1", "name", "x")
    with pytest.raises(IntegrityError):
        ring.decrypt_field(key, "person/9", "name", sealed)


def test_a_flipped_bit_fails() -> None:
    sealed = bytearray(seal(b"k" * 32, b"secret", b"aad"))
    sealed[-1] ^= 1
    with pytest.raises(IntegrityError, match="altered"):
        open_sealed(b"k" * 32, bytes(sealed), b"aad")


def test_wrong_passphrase_is_a_clear_error(ring_and_header) -> None:
    _, header = ring_and_header
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        KeyRing.unlock(header, "Correct horse")
    with pytest.raises(WrongPassphraseError, match="empty"):
        KeyRing.unlock(header, "")


def test_passphrase_change_rewraps_without_reencrypting(ring_and_header) -> None:
    ring, header = ring_and_header
    key = ring.new_record_key("person/1")
    sealed = ring.encrypt_field(key, "person/1", "name", "김영철")
    new_header = KeyHeader.from_json(ring.rewrap(header, "battery staple").to_json())
    assert new_header.kdf.salt != header.kdf.salt
    with pytest.raises(WrongPassphraseError):
        KeyRing.unlock(new_header, "correct horse")
    reopened = KeyRing.unlock(new_header, "battery staple")
    assert reopened.decrypt_field(key, "person/1", "name", sealed) == "김영철"


def test_three_of_five_trustees_recover_the_project(ring_and_header) -> None:
    ring, header = ring_and_header
    recovery_key, shares = split_recovery_key(3, 5)
    header = ring.with_recovery_key(header, recovery_key)
    key = ring.new_record_key("t/1")
    sealed = ring.encrypt_field(key, "t/1", "text", "testimony")
    recovered = KeyRing.unlock_with_recovery_key(
        header, combine_recovery_shares([shares[4], shares[0], shares[2]])
    )
    assert recovered.decrypt_field(key, "t/1", "text", sealed) == "testimony"
    with pytest.raises(WrongPassphraseError, match="do not combine"):
        combine_recovery_shares(shares[:2])
    other_key, _ = split_recovery_key(2, 2)
    with pytest.raises(WrongPassphraseError, match="do not open"):
        KeyRing.unlock_with_recovery_key(header, other_key)


def test_header_holds_no_secret_and_a_damaged_header_is_reported(ring_and_header) -> None:
    ring, header = ring_and_header
    text = header.to_json()
    assert ring._vault_key.hex() not in text and repr(ring) == "KeyRing(<unlocked>)"
    with pytest.raises(IntegrityError, match="damaged"):
        KeyHeader.from_json('{"kdf": {}}')
