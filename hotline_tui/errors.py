"""Errors a user can act on. Every one becomes a single clear line, never a traceback."""


class HotlineError(Exception):
    """Base of every error the desk reports to a person in one line."""

    exit_code = 2


class InputError(HotlineError):
    """The input given (JSON, option, text, file) is not acceptable; nothing was written."""


class DomainError(HotlineError):
    """An action the ticket's state, the role or the rules do not allow; nothing was written."""

    exit_code = 3


class StoreError(HotlineError):
    """The store cannot be used: locked, read-only, corrupt or from a newer version."""

    exit_code = 4


class NotFound(HotlineError):
    """A ticket, unit or file that does not exist."""

    exit_code = 5
