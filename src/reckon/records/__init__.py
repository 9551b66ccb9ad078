"""reckon.records."""
