"""reckon.ingest."""
