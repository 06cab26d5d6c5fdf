"""Files that hold person-level data (the warehouse and its write-ahead log, scratch and spill files, the key
file) are readable by their owner only: 0600, folders 0700, whatever the umask. DuckDB creates its files
itself, when it needs them (the WAL at the first write, spill files under memory pressure), so the rule is
a umask held while the warehouse is open, not a chmod after the fact. The analyst database and the exports
hold aggregates: they keep the mode the process's own umask gives (`shared_mode`)."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

_OWNER_ONLY = 0o077
_outside: list[int] = []  # the umask each open owner_only() replaced, innermost last


@contextlib.contextmanager
def owner_only() -> Iterator[None]:
    """Whatever is created inside (by this process or the processes it starts) is its owner's alone."""
    previous = os.umask(_OWNER_ONLY)
    os.umask(previous | _OWNER_ONLY)
    _outside.append(previous)
    try:
        yield
    finally:
        _outside.pop()
        os.umask(previous)


def shared_mode() -> int:
    """The mode of a file meant for analysts (0644 under the usual umask), even when made inside owner_only()."""
    if _outside:
        umask = _outside[0]
    else:
        umask = os.umask(_OWNER_ONLY)
        os.umask(umask)
    return 0o666 & ~umask


def protect(files: list[Path], folders: list[Path]) -> None:
    """Make owner-only what a looser umask, an older version or a copy left readable by others."""
    for path, mode in [*((f, 0o600) for f in files), *((d, 0o700) for d in folders)]:
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o777 != mode:
                path.chmod(mode)
