"""One tree of errors and warnings for the whole package.

Every error carries the exit code the command line uses for it, so that scripts can tell a bad
input file (2) from a storage failure (4) without parsing messages.
"""

from __future__ import annotations


class ReckonError(Exception):
    """Base of every error reckon raises on purpose."""

    exit_code = 1


class ValidationError(ReckonError, ValueError):
    """Input that does not satisfy reckon's rules (a value, a table, a setting).

    ``problems`` lists every problem found, so that a user can fix them all at once.
    """

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message)


class UnknownTermError(ValidationError):
    """A term that is not in a controlled vocabulary; ``suggestions`` lists the close matches."""

    def __init__(self, vocabulary: str, term: str, suggestions: list[str]) -> None:
        self.vocabulary = vocabulary
        self.term = term
        self.suggestions = list(suggestions)
        hint = (
            f"did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else f"see `reckon vocab {vocabulary}` for the accepted terms"
        )
        super().__init__(f"{term!r} is not a known {vocabulary} term; {hint}")


class IngestError(ReckonError):
    """A file that cannot be read as a list at all (a bad row is a rejection, not an error)."""

    exit_code = 3


class StorageError(ReckonError):
    """The database could not be opened, migrated, read or written."""

    exit_code = 4


class LinkageError(ReckonError):
    """Record linkage could not run on the given records or settings."""

    exit_code = 5


class EstimationError(ReckonError):
    """An estimate cannot be computed from the given capture histories or settings."""

    exit_code = 6


class DisclosureError(ReckonError):
    """A table or report would break a disclosure-control rule and is not released."""

    exit_code = 7


class MissingDependencyError(ReckonError):
    """An optional component is needed but not installed; the message names the extra."""

    exit_code = 8


class SecurityError(ReckonError):
    """A key, passphrase, permission or integrity check failed; nothing was read or changed."""

    exit_code = 9


class WrongPassphraseError(SecurityError):
    """The passphrase (or recovery shares) do not unlock the project's keys."""


class IntegrityError(SecurityError):
    """A ciphertext or an audit entry was altered, moved or removed."""


class ReckonWarning(UserWarning):
    """Base of every warning reckon emits."""


class ConvergenceWarning(ReckonWarning):
    """A sampler's chains disagree or mix poorly; the estimate may not be trustworthy."""


class EstimationWarning(ReckonWarning):
    """An estimate exists but rests on weak ground (MLE at a boundary, mass at a prior bound...)."""


class SmallCellWarning(ReckonWarning):
    """A table has cells small enough to identify people or to make an estimate unstable."""


class LinkageQualityWarning(ReckonWarning):
    """Linkage results look unreliable (poor blocking recall, chained clusters...)."""
