"""Widgets of the annotation app: they receive data as attributes and report with messages.

No widget reaches into the store or the services; the screens own that wiring.
"""
