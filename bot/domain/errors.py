"""Errors a user causes, with a message the user understands."""


class DeskError(Exception):
    """The request cannot be done; `str(error)` is safe to show to the person who asked."""


class NotFound(DeskError):
    """The request does not exist (any more)."""


class NotAllowed(DeskError):
    """The person may not do this."""
