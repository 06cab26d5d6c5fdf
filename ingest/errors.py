"""The exceptions the ingest raises for what it cannot do, and how a full disk is recognised."""

import errno

# How a full disk shows in DuckDB's and polars' messages (they do not always keep the errno), a spill
# folder that is full included: DuckDB then cannot offload a block from memory.
_NO_SPACE_TEXTS = ("No space left on device", "File too large", "Disk quota exceeded", "failed to offload data block")
_NO_SPACE_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class FileRefused(Exception):
    """The file cannot be loaded; the message says what is wrong and what was expected (never a cell's content)."""


class OutOfSpace(Exception):
    """A write failed for want of disk space; the message says what was being written, and where."""


def causes(error: BaseException) -> list[BaseException]:
    """The error and what it was raised from, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def is_out_of_space(error: BaseException) -> bool:
    return any(
        (isinstance(e, OSError) and e.errno in _NO_SPACE_ERRNOS) or any(text in str(e) for text in _NO_SPACE_TEXTS)
        for e in causes(error)
    )


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
