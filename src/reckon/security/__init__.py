"""Keys, field encryption, recovery shares and the audit trail (see docs/security.md)."""
