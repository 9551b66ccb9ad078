"""Where the project passphrase comes from: a prompt, or ``RECKON_PASSPHRASE`` for scripts.

The prompt is the safe way: the passphrase is typed, never stored, and gone when the command
ends. ``RECKON_PASSPHRASE`` exists for scripts, CI and tests; it is the less safe way, since
an environment variable can be read by other processes of the same user, lands in shell
history when typed inline, and is inherited by child processes.
"""

from __future__ import annotations

import os
import sys

from reckon.errors import WrongPassphraseError

__all__ = ["MIN_LENGTH", "PASSPHRASE_ENV", "get_passphrase"]

PASSPHRASE_ENV = "RECKON_PASSPHRASE"
#: Shortest passphrase accepted for a new project.
MIN_LENGTH = 8


def get_passphrase(*, new: bool = False, what: str = "project") -> str:
    """The passphrase from ``RECKON_PASSPHRASE``, else from a prompt on the terminal.

    Parameters
    ----------
    new : bool
        A passphrase for a new project (or a passphrase change): typed twice and at least
        :data:`MIN_LENGTH` characters.

    Raises
    ------
    WrongPassphraseError
        When there is neither the variable nor a terminal, or the passphrase is unusable.
    """
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise WrongPassphraseError(
                f"the {what} is encrypted and needs its passphrase: run in a terminal to be "
                f"asked for it, or set {PASSPHRASE_ENV} (less safe: see docs/security.md)"
            )
        import click

        passphrase = click.prompt(
            f"Passphrase for the {what}", hide_input=True, confirmation_prompt=new
        )
    if new and len(passphrase) < MIN_LENGTH:
        raise WrongPassphraseError(
            f"a new passphrase needs at least {MIN_LENGTH} characters; a few words are best"
        )
    return passphrase
