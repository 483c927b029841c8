"""Errors the store raises, written for the person who has to act on them."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error raised by :mod:`scicity.store`."""


class DatabaseUnavailable(StoreError):
    """The database server cannot be reached or the database file cannot be opened."""


class DatabaseBusy(StoreError):
    """Another writer held the database longer than the busy timeout; nothing was written, try again."""


class InvalidInput(StoreError, ValueError):
    """Something handed to the store cannot be stored as it is."""


class InvalidObservation(InvalidInput):
    """An observation handed to the store cannot be stored as it is."""


class InvalidTransition(StoreError, ValueError):
    """A status change that the review workflow does not allow."""


class NotFound(StoreError, LookupError):
    """The record asked for does not exist."""


class ConcurrentWrite(StoreError):
    """Another writer stored the same record at the same time; nothing of this call was written."""
