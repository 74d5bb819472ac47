"""Files copied into the sandbox for a repository run (they import nothing of ours)."""
