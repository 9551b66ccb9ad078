"""reckon.disclosure."""
