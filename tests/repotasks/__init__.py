"""Repository tasks (issue 16)."""
