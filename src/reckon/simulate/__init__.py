"""reckon.simulate."""
