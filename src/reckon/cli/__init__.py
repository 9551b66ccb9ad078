"""reckon.cli."""
