"""What landed: which source a file belongs to, the date in its name, its fingerprint."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = ("csv", "xlsx")

_NAME = re.compile(
    r"^(?P<source>kepesertaan|anggaran|angkatan_kerja)_(?P<date>\d{8}|\d{4})(?:_[^/]*)?\.(?P<ext>[A-Za-z0-9]+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LandedFile:
    path: Path
    source: str | None  # None: the name matches no source, the file is ignored
    extract_date: dt.date | None
    file_format: str | None
    why_ignored: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def identify(path: Path) -> LandedFile:
    """Read source, extract date and format from a file name (`<source>_<date>[_<anything>].<ext>`)."""
    match = _NAME.match(path.name)
    if not match:
        return LandedFile(path, None, None, None, "name matches no source (<source>_<date>[_<anything>].csv|xlsx)")
    source, date_text, ext = match["source"].lower(), match["date"], match["ext"].lower()
    if ext not in EXTENSIONS:
        return LandedFile(path, None, None, None, f"extension .{ext} is not accepted (csv or xlsx)")
    expected_digits = 4 if source == "angkatan_kerja" else 8
    if len(date_text) != expected_digits:
        pattern = "YYYY" if expected_digits == 4 else "YYYYMMDD"
        return LandedFile(path, None, None, None, f"date in the name must be {pattern} for {source}")
    try:
        if expected_digits == 4:
            extract_date = dt.date(int(date_text), 1, 1)
        else:
            extract_date = dt.datetime.strptime(date_text, "%Y%m%d").date()
    except ValueError:
        return LandedFile(path, None, None, None, f"date in the name ({date_text}) is not a calendar date")
    return LandedFile(path, source, extract_date, ext)


def landed_files(landing_dir: Path) -> list[LandedFile]:
    """Every file in the landing folder, in file-name order (the order they are loaded in)."""
    if not landing_dir.is_dir():
        return []
    return [identify(p) for p in sorted(landing_dir.iterdir(), key=lambda p: p.name) if p.is_file()]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
