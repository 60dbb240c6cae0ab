"""Exceptions raised by the library; the CLI turns them into one-line messages."""

__all__ = ["KgError", "InputError", "FormatError", "ModelError"]


class KgError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(KgError):
    """An input path is missing or cannot be read at all."""


class FormatError(KgError):
    """An unknown format name was asked for."""


class ModelError(KgError):
    """No usable spaCy pipeline could be loaded."""
