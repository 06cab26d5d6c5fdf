"""How far the reading of a long file has come, said every few seconds: a 10M-row file takes a minute or so,
and the run's log should not fall silent meanwhile."""

import time
from collections.abc import Callable

EVERY_S = 5.0


class Progress:
    """Counts the rows read from one file and, at most every `EVERY_S` seconds, reports them with the share of
    the file's lines (about its rows: the header and blank lines count too) and the rate."""

    def __init__(self, name: str, lines: int | None, report: Callable[[str], None]) -> None:
        self._name, self._lines, self._report = name, lines, report
        self._every_s = EVERY_S  # read when the file starts (tests shorten it)
        self._started = self._said = time.monotonic()
        self.rows = 0

    def read(self, rows: int) -> None:
        self.rows += rows
        now = time.monotonic()
        if now - self._said < self._every_s:
            return
        self._said = now
        share = f" of about {self._lines:,} ({min(self.rows / self._lines, 1):.0%})" if self._lines else ""
        rate = self.rows / max(now - self._started, 1e-9)
        self._report(f"{self._name}: {self.rows:,} rows read{share}, {rate:,.0f} rows/s")
