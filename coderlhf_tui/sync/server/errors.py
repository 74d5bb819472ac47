"""Refusals the server's logic raises, each with the HTTP status it maps to."""

from __future__ import annotations


class ApiError(Exception):
    """A request the server refuses; ``status`` is the HTTP status, the message the detail."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Forbidden(ApiError):
    """The caller is known but may not do or see this (blind review, roles, identity)."""

    status = 403


class NotFound(ApiError):
    """No such thing (among what the caller may see)."""

    status = 404


class Invalid(ApiError):
    """Well-formed but wrong: an unknown task, a hash that does not match its body."""

    status = 422
