"""A recovery key split k-of-n among trustees (SLIP-39 Shamir shares, ``shamir-mnemonic``).

A documentation NGO cannot lose its archive because one person forgot a passphrase, nor let one
person open it alone. :func:`split_recovery_key` makes a random 256-bit recovery key (which
:meth:`reckon.security.crypto.KeyRing.with_recovery_key` lets wrap the vault key) and splits
it into ``count`` word lists, any ``threshold`` of which rebuild it
(:func:`combine_recovery_shares`); fewer reveal nothing about it. Each trustee keeps one list
on paper, away from the laptop.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import shamir_mnemonic

from reckon.errors import ValidationError, WrongPassphraseError
from reckon.security.crypto import KEY_BYTES

__all__ = ["combine_recovery_shares", "split_recovery_key"]


def split_recovery_key(threshold: int, count: int) -> tuple[bytes, list[str]]:
    """A new recovery key and its ``count`` shares, ``threshold`` of which rebuild it.

    Raises
    ------
    ValidationError
        Unless 1 <= threshold <= count <= 16 (SLIP-39 limit), and threshold >= 2 when
        count >= 2 (one share alone must not open the project).
    """
    if not 1 <= threshold <= count <= 16 or (count > 1 and threshold < 2):
        raise ValidationError(
            f"recovery shares need 2 <= threshold <= count <= 16 (or 1 of 1); got {threshold} "
            f"of {count}"
        )
    key = os.urandom(KEY_BYTES)
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, count)], key)
    return key, list(groups[0])


def combine_recovery_shares(shares: Sequence[str]) -> bytes:
    """The recovery key from at least ``threshold`` shares.

    Raises
    ------
    WrongPassphraseError
        If the shares are too few, mistyped (each carries a checksum) or of different keys.
    """
    try:
        return shamir_mnemonic.combine_mnemonics([" ".join(s.split()) for s in shares])
    except (shamir_mnemonic.MnemonicError, ValueError) as err:
        raise WrongPassphraseError(f"the recovery shares do not combine: {err}") from err
