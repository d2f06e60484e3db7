"""Errors that carry what a user needs to fix the input, never a bare traceback."""

from __future__ import annotations


class HechosError(Exception):
    """Base class: the CLI prints these as one clear line and exits non-zero."""


class DictionaryError(HechosError):
    """A dictionary file has an invalid entry."""

    def __init__(self, file: str, line: int, message: str):
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}")


class BadInput(HechosError):
    """One input record cannot be read; the batch goes on without it."""

    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
