"""Tests of the central server and the sync protocol (issue 6)."""
