"""The numbers the pipeline must produce, computed from what the files say (not by reading them).

Inputs are the rows the generator wrote and knows must load, in canonical form. The
rules are the spec's, applied independently of the readers: a membership's state at
T is its version with the latest TGL_UPDATE <= T (ties: later file date, then later
row); a person is covered when one of their memberships is AKTIF, and is placed by
the AKTIF membership with the latest TGL_KEPESERTAAN (ties: larger NO_KPJ).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import date, datetime

from .model import LoadedBudgetRow, LoadedMembershipRow, end_of_day, month_end
from .reference import PREMIUM_PER_WORKER_YEAR, SECTORS, place_sector


class Register:
    """Every loaded version of every membership, ordered as the spec resolves them."""

    def __init__(self, rows: list[LoadedMembershipRow]):
        by_kpj: dict[str, list[LoadedMembershipRow]] = defaultdict(list)
        for row in rows:
            by_kpj[row.kpj].append(row)
        self.versions: dict[str, list[LoadedMembershipRow]] = {}
        self.times: dict[str, list[datetime]] = {}
        for kpj, versions in by_kpj.items():
            versions.sort(key=lambda r: (r.ts, r.file_date, r.row_number))
            self.versions[kpj] = versions
            self.times[kpj] = [r.ts for r in versions]

    def states_at(self, at: datetime) -> dict[str, LoadedMembershipRow]:
        out = {}
        for kpj, times in self.times.items():
            i = bisect_right(times, at)
            if i:
                out[kpj] = self.versions[kpj][i - 1]
        return out


def sector_of(row: LoadedMembershipRow, occupations: dict[str, str]) -> tuple[str, int]:
    return place_sector(row.segmen, row.pekerjaan, row.sumber, occupations)


def placements(states: dict[str, LoadedMembershipRow]) -> dict[str, LoadedMembershipRow]:
    """NIK -> the AKTIF membership that places the person."""
    best: dict[str, LoadedMembershipRow] = {}
    for row in states.values():
        if row.status != "AKTIF":
            continue
        current = best.get(row.nik)
        if current is None or (row.tgl_kep, row.kpj) > (current.tgl_kep, current.kpj):
            best[row.nik] = row
    return best


def covered_cells(placed: dict[str, LoadedMembershipRow], occupations: dict[str, str]) -> Counter:
    cells: Counter = Counter()
    for row in placed.values():
        cells[(row.regency, sector_of(row, occupations)[0])] += 1
    return cells


def monthly_covered(register: Register, months: list[date], as_of: date, occupations: dict[str, str]) -> list[dict]:
    out = []
    for first in months:
        end = month_end(first.year, first.month)
        at = end_of_day(min(end, as_of))
        placed = placements(register.states_at(at))
        by_regency = Counter(row.regency for row in placed.values())
        out.append(
            {
                "month": first.isoformat(),
                "covered_workers": len(placed),
                "by_regency": dict(sorted(by_regency.items())),
            }
        )
    return out


def unmapped_occupations(states: dict[str, LoadedMembershipRow], occupations: dict[str, str]) -> list[dict]:
    from .reference import normalise_occupation

    counts: Counter = Counter()
    for row in states.values():
        _sector, rule = sector_of(row, occupations)
        occupation = normalise_occupation(row.pekerjaan)
        if rule >= 4 and occupation:
            counts[occupation] += 1
    return [{"occupation": o, "memberships": n} for o, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def opd_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def budget_lines(rows: list[LoadedBudgetRow]) -> list[dict]:
    """The latest report's line per (year, owner, OPD, sector); OPD spelled as first seen."""
    first_spelling: dict[tuple[str, str], str] = {}
    latest: dict[tuple, LoadedBudgetRow] = {}
    for row in sorted(rows, key=lambda r: (r.report_date, r.file_name, r.row_number)):
        line = row.line
        spelled = " ".join(line.opd.split())
        first_spelling.setdefault((line.owner, opd_key(spelled)), spelled)
        key = (line.year, line.owner, opd_key(spelled), line.sector)
        latest[key] = row
    out = []
    for key in sorted(latest):
        line = latest[key].line
        out.append(
            {
                "fiscal_year": line.year,
                "owner_code": line.owner,
                "opd_name": first_spelling[(line.owner, key[2])],
                "sector": line.sector,
                "targeted_workers": line.targeted,
                "pagu_idr": line.pagu,
                "realisasi_idr": line.realisasi,
                "report_date": latest[key].report_date.isoformat(),
            }
        )
    return out


def funded_counts(placed: dict[str, LoadedMembershipRow], occupations: dict[str, str], province: str) -> Counter:
    """(owner, sector) -> covered people whose placing membership that owner pays for (marts.md)."""
    out: Counter = Counter()
    for row in placed.values():
        sector = sector_of(row, occupations)[0]
        if row.sumber == "APBD_PROV":
            out[(province, sector)] += 1
        elif row.sumber in ("APBD_KAB", "APBDES"):
            out[(row.regency, sector)] += 1
    return out


def budget_coverage(lines: list[dict], funded: Counter) -> list[dict]:
    sums: dict[tuple, dict] = {}
    for line in lines:
        key = (line["fiscal_year"], line["owner_code"], line["sector"])
        acc = sums.setdefault(key, {"targeted_workers": 0, "pagu_idr": 0, "realisasi_idr": 0})
        acc["targeted_workers"] += line["targeted_workers"]
        acc["pagu_idr"] += line["pagu_idr"]
        acc["realisasi_idr"] += line["realisasi_idr"]
    out = []
    for (year, owner, sector), acc in sorted(sums.items()):
        out.append(
            {
                "fiscal_year": year,
                "owner_code": owner,
                "sector": sector,
                **acc,
                "capacity_workers": acc["pagu_idr"] // PREMIUM_PER_WORKER_YEAR,
                "funded_covered_workers": funded.get((owner, sector), 0),
            }
        )
    return out


def cells_table(regencies: list[str], covered: Counter, eligible: dict[tuple[str, str], int]) -> list[dict]:
    return [
        {
            "regency_code": r,
            "sector": s,
            "covered_workers": covered.get((r, s), 0),
            "eligible_workers": eligible.get((r, s)),
        }
        for r in regencies
        for s in SECTORS
    ]
