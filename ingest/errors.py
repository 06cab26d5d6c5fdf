"""The one exception a reader raises for a file it refuses whole."""


class FileRefused(Exception):
    """The file cannot be loaded; the message says what is wrong and what was expected (never a cell's content)."""
