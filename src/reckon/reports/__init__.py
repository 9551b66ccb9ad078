"""reckon.reports."""
