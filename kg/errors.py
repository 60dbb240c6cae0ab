"""Exceptions raised by the library; the CLI turns them into one-line messages."""

__all__ = ["KgError", "InputError", "FormatError", "ModelError", "NothingFoundError"]


class KgError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(KgError):
    """An input path is missing or cannot be read at all."""


class FormatError(KgError):
    """An unknown format name was asked for."""


class ModelError(KgError):
    """No usable spaCy pipeline could be loaded."""


class NothingFoundError(KgError):
    """The inputs hold no paper entry at all: the build stops before writing anything, so a wrong
    path or an empty folder never replaces a good build. `skipped` ((file, reason) pairs) and
    `problems` (Problem records) say what was seen instead."""

    def __init__(self, message: str, skipped=(), problems=()):
        super().__init__(message)
        self.skipped = tuple(skipped)
        self.problems = tuple(problems)
