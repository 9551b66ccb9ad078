"""Keys and authenticated encryption for identifying fields (SECURITY.md SR-01 to SR-08).

Key hierarchy
-------------
passphrase --Argon2id--> key-encryption key (KEK), never stored
    wraps the *vault key* (random, 256 bits); a passphrase change re-wraps only this
    (:meth:`KeyRing.rewrap`), nothing else is re-encrypted.
recovery key (random, 256 bits), split k-of-n among trustees (:mod:`reckon.security.recovery`)
    also wraps the vault key, so that a lost passphrase is not lost data.
vault key
    wraps one *record key* per record (random, 256 bits). Deleting a record deletes its
    wrapped key; every copy of its fields, backups included, is then noise (crypto-shredding).
record key
    encrypts each identifying field with AES-256-GCM. The associated data binds the ciphertext
    to its table, record and column: moved to another row or column it fails to decrypt.

The header (:class:`KeyHeader`) holds only the KDF salt and parameters and the wrapped vault
key; it may sit in the project folder, since without the passphrase or k recovery shares it
opens nothing.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field, replace
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from reckon.errors import IntegrityError, ValidationError, WrongPassphraseError

__all__ = [
    "KEY_BYTES",
    "KdfParams",
    "KeyHeader",
    "KeyRing",
    "derive_key",
    "open_sealed",
    "seal",
]

KEY_BYTES = 32
_NONCE_BYTES = 12
_VERSION = b"\x01"
_VAULT_AAD = b"reckon/vault-key/v1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters (RFC 9106 second recommendation: t=3, 64 MiB)."""

    salt: bytes = field(default_factory=lambda: os.urandom(16))
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": "argon2id",
            "salt": _b64(self.salt),
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfParams:
        if data.get("algorithm") != "argon2id":
            raise ValidationError(f"unknown key-derivation algorithm {data.get('algorithm')!r}")
        return cls(
            salt=_unb64(data["salt"]),
            time_cost=int(data["time_cost"]),
            memory_kib=int(data["memory_kib"]),
            parallelism=int(data["parallelism"]),
        )


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """The 256-bit key-encryption key of a passphrase (Argon2id)."""
    if not passphrase:
        raise WrongPassphraseError("the passphrase is empty")
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """AES-256-GCM: version byte, random 96-bit nonce, ciphertext and tag."""
    nonce = os.urandom(_NONCE_BYTES)
    return _VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def open_sealed(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    """Decrypt what :func:`seal` produced with the same associated data.

    Raises
    ------
    IntegrityError
        If the ciphertext, its tag or the associated data (record, column) differ.
    """
    if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _VERSION:
        raise IntegrityError("not a reckon ciphertext (wrong version or truncated)")
    nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, associated)
    except InvalidTag as err:
        raise IntegrityError(
            "a ciphertext failed authentication: it was altered, or it belongs to another "
            "record or field"
        ) from err


@dataclass(frozen=True)
class KeyHeader:
    """What is stored of the keys: KDF parameters and the wrapped vault key (no secret)."""

    kdf: KdfParams
    wrapped_vault_key: bytes
    recovery_wrapped_vault_key: bytes | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "version": 1,
            "kdf": self.kdf.to_dict(),
            "wrapped_vault_key": _b64(self.wrapped_vault_key),
        }
        if self.recovery_wrapped_vault_key is not None:
            data["recovery_wrapped_vault_key"] = _b64(self.recovery_wrapped_vault_key)
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KeyHeader:
        try:
            data = json.loads(text)
            recovery = data.get("recovery_wrapped_vault_key")
            return cls(
                kdf=KdfParams.from_dict(data["kdf"]),
                wrapped_vault_key=_unb64(data["wrapped_vault_key"]),
                recovery_wrapped_vault_key=_unb64(recovery) if recovery else None,
            )
        except (KeyError, TypeError, ValueError) as err:
            raise IntegrityError(f"the key header is damaged: {err}") from err


class KeyRing:
    """The unlocked vault key and the operations that need it.

    Create one with :meth:`create` (new project) or :meth:`unlock` (existing project). The
    vault key lives only in this object's memory.
    """

    __slots__ = ("_vault_key",)

    def __init__(self, vault_key: bytes) -> None:
        if len(vault_key) != KEY_BYTES:
            raise ValidationError(f"a vault key has {KEY_BYTES} bytes, got {len(vault_key)}")
        self._vault_key = vault_key

    def __repr__(self) -> str:
        return "KeyRing(<unlocked>)"

    @classmethod
    def create(cls, passphrase: str, kdf: KdfParams | None = None) -> tuple[KeyRing, KeyHeader]:
        """A new random vault key wrapped by ``passphrase``."""
        kdf = kdf or KdfParams()
        vault_key = os.urandom(KEY_BYTES)
        header = KeyHeader(kdf, seal(derive_key(passphrase, kdf), vault_key, _VAULT_AAD))
        return cls(vault_key), header

    @classmethod
    def unlock(cls, header: KeyHeader, passphrase: str) -> KeyRing:
        """Unwrap the vault key.

        Raises
        ------
        WrongPassphraseError
            If the passphrase does not open the header; nothing else is read.
        """
        try:
            vault_key = open_sealed(
                derive_key(passphrase, header.kdf), header.wrapped_vault_key, _VAULT_AAD
            )
        except IntegrityError as err:
            raise WrongPassphraseError(
                "wrong passphrase: the project's keys did not open. Check the passphrase "
                "(RECKON_PASSPHRASE if set), or recover with the trustees' shares"
            ) from err
        return cls(vault_key)

    @classmethod
    def unlock_with_recovery_key(cls, header: KeyHeader, recovery_key: bytes) -> KeyRing:
        """Unwrap the vault key with the recovery key (see :mod:`reckon.security.recovery`)."""
        if header.recovery_wrapped_vault_key is None:
            raise WrongPassphraseError("this project has no recovery key")
        try:
            vault_key = open_sealed(recovery_key, header.recovery_wrapped_vault_key, _VAULT_AAD)
        except IntegrityError as err:
            raise WrongPassphraseError("the recovery shares do not open this project") from err
        return cls(vault_key)

    def rewrap(self, header: KeyHeader, new_passphrase: str) -> KeyHeader:
        """The header for a new passphrase (fresh salt); no data is re-encrypted."""
        kdf = replace(header.kdf, salt=os.urandom(16))
        wrapped = seal(derive_key(new_passphrase, kdf), self._vault_key, _VAULT_AAD)
        return replace(header, kdf=kdf, wrapped_vault_key=wrapped)

    def with_recovery_key(self, header: KeyHeader, recovery_key: bytes) -> KeyHeader:
        """The header with the vault key also wrapped by ``recovery_key``."""
        return replace(
            header, recovery_wrapped_vault_key=seal(recovery_key, self._vault_key, _VAULT_AAD)
        )

    def derived_key(self, purpose: str) -> bytes:
        """A key for another purpose (audit chain, backups), derived from the vault key."""
        return HKDF(hashes.SHA256(), KEY_BYTES, salt=None,
                    info=f"reckon/{purpose}".encode()).derive(self._vault_key)  # fmt: skip

    def new_record_key(self, record_ref: str) -> bytes:
        """A new random record key, wrapped by the vault key and bound to ``record_ref``."""
        return seal(self._vault_key, os.urandom(KEY_BYTES), _record_aad(record_ref))

    def encrypt_field(
        self, wrapped_record_key: bytes, record_ref: str, column: str, value: str | None
    ) -> bytes | None:
        """Encrypt one field value of a record (None stays None)."""
        if value is None:
            return None
        key = self._record_key(wrapped_record_key, record_ref)
        return seal(key, value.encode("utf-8"), _field_aad(record_ref, column))

    def decrypt_field(
        self, wrapped_record_key: bytes, record_ref: str, column: str, sealed: bytes | None
    ) -> str | None:
        """Decrypt one field value; fails if it was sealed for another record or column."""
        if sealed is None:
            return None
        key = self._record_key(wrapped_record_key, record_ref)
        return open_sealed(key, sealed, _field_aad(record_ref, column)).decode("utf-8")

    def _record_key(self, wrapped: bytes, record_ref: str) -> bytes:
        return open_sealed(self._vault_key, wrapped, _record_aad(record_ref))


def _record_aad(record_ref: str) -> bytes:
    return b"reckon/record-key/v1\x00" + record_ref.encode("utf-8")


def _field_aad(record_ref: str, column: str) -> bytes:
    return b"reckon/field/v1\x00" + record_ref.encode("utf-8") + b"\x00" + column.encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
