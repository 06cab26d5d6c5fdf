"""The pipeline's clock: the served province's wall time (WIT, UTC+9, for Maluku), naive, as every timestamp in the
warehouse (extracts.md: a province's times are its own local time)."""

import datetime as dt

from common.province import served


def now_local() -> dt.datetime:
    return dt.datetime.now(served().zone).replace(tzinfo=None)


def local_time(timestamp: float) -> dt.datetime:
    """A POSIX timestamp on the served province's clock."""
    return dt.datetime.fromtimestamp(timestamp, served().zone).replace(tzinfo=None)
