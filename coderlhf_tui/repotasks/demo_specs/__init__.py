"""The demo repository tasks as data (one JSON spec per project; see ../demo.py)."""
