"""Screens of the annotation app: queue, pair, help and the modal dialogs.

``lead.py`` belongs to the quality work and is registered by the app when present.
"""
