"""reckon.linkage."""
