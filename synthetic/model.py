"""The generator's own records: people, membership versions, and what each written file holds.

Everything the truth is computed from lives here in canonical form (codes, dates,
regency codes); how a value is spelled in a file is the writers' business.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


@dataclass(slots=True)
class Person:
    nik: str
    name: str
    birth: date  # the date inside the NIK
    sex: str  # "L" | "P", as inside the NIK
    home: str  # regency code of domicile
    # What the branch typed; differs from the NIK now and then (a data-quality finding, still loads).
    birth_written: date
    sex_written: str


@dataclass(slots=True)
class Version:
    """One state of a membership (a KPJ card), as a row of a kepesertaan extract carries it."""

    kpj: str
    person: Person
    regency: str
    district: str | None
    segmen: str
    sumber: str
    pekerjaan: str | None
    program: tuple[str, ...]
    upah: int | None
    tgl_kep: date
    blth: tuple[int, int] | None  # (year, month) of the last paid month
    status: str  # "AKTIF" | "NONAKTIF"
    ts: datetime  # TGL_UPDATE, WIT, naive

    def evolve(self, **c) -> Version:
        # dataclasses.replace is the generator's hottest call; spelled out it is several times faster.
        return Version(
            c.get("kpj", self.kpj),
            c.get("person", self.person),
            c.get("regency", self.regency),
            c.get("district", self.district),
            c.get("segmen", self.segmen),
            c.get("sumber", self.sumber),
            c.get("pekerjaan", self.pekerjaan),
            c.get("program", self.program),
            c.get("upah", self.upah),
            c.get("tgl_kep", self.tgl_kep),
            c.get("blth", self.blth),
            c.get("status", self.status),
            c.get("ts", self.ts),
        )


@dataclass(slots=True)
class Refusal:
    file_name: str
    row_number: int
    reason: str
    column_name: str

    def as_dict(self) -> dict:
        return {
            "file_name": self.file_name,
            "row_number": self.row_number,
            "reason": self.reason,
            "column_name": self.column_name,
        }


@dataclass(slots=True)
class LoadedMembershipRow:
    """A kepesertaan row that must load, with what the truth needs to resolve versions."""

    kpj: str
    nik: str
    regency: str
    segmen: str
    sumber: str
    pekerjaan: str | None
    status: str
    tgl_kep: date
    ts: datetime  # as the file states it (seconds dropped where the format has none)
    file_date: date
    file_name: str
    row_number: int


@dataclass(slots=True)
class BudgetLine:
    year: int
    owner: str  # "81" or a regency code
    opd: str  # as written (before trimming)
    sector: str
    targeted: int
    pagu: int
    realisasi: int


@dataclass(slots=True)
class LoadedBudgetRow:
    line: BudgetLine
    report_date: date
    file_name: str
    row_number: int


@dataclass(slots=True)
class FileOutcome:
    """What the pipeline must record for one landed file."""

    name: str
    source: str | None
    status: str  # LOADED | IGNORED (as audit.load_log will say)
    extract_date: date | None
    rows_read: int = 0
    refused: list[Refusal] = field(default_factory=list)
    nulled: list[dict] = field(default_factory=list)  # invalid optional cells that load as null
    memberships: list[LoadedMembershipRow] = field(default_factory=list)
    budget: list[LoadedBudgetRow] = field(default_factory=list)
    workforce: list[tuple[int, str, str, int]] = field(default_factory=list)  # (year, regency, sector, n)

    def counts(self) -> dict:
        refused = len(self.refused)
        return {
            "source": self.source,
            "status": self.status,
            "extract_date": self.extract_date.isoformat() if self.extract_date else None,
            "rows_read": self.rows_read,
            "rows_refused": refused,
            "rows_loaded": self.rows_read - refused,
        }


# --- calendar -------------------------------------------------------------------------------


def end_of_day(d: date) -> datetime:
    return datetime.combine(d, time(23, 59, 59))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def shift_months(d: date, months: int, *, to_month_end: bool | None = None) -> date:
    """d moved by whole months; a month-end date stays a month end (Jan 31 -> Feb 29)."""
    if to_month_end is None:
        to_month_end = d == month_end(d.year, d.month)
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if to_month_end:
        return month_end(year, month)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def file_dates(as_of: date, months: int) -> list[date]:
    """The kepesertaan extract dates: one a month, the last on as_of."""
    return [shift_months(as_of, -i) for i in range(months - 1, -1, -1)]


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


class Rng(random.Random):
    """random.Random with choice/randrange drawn from random(): same determinism, several times faster.

    (The stock versions draw bits in pure Python; at a few hundred thousand draws that
    is most of the generator's time.)
    """

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        if step != 1 or stop <= start:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))
