"""generate(): write a landing folder of extracts and return what the pipeline must make of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .budget import write_budget
from .deltas import simulate
from .enrolment import build_enrolment
from .model import FileOutcome, Rng, end_of_day, file_dates
from .population import PersonFactory
from .reference import SECTORS, load_reference
from .truth import (
    Register,
    budget_coverage,
    budget_lines,
    cells_table,
    covered_cells,
    funded_counts,
    monthly_covered,
    placements,
    unmapped_occupations,
)
from .workforce import eligible_counts, previous_year, write_workforce

IGNORED_NOTE = (
    "Catatan pengiriman data\r\n"
    "Data kepesertaan dikirim setiap akhir bulan oleh Kantor Cabang Ambon.\r\n"
    "Laporan realisasi anggaran dikirim per semester oleh BPKAD.\r\n"
)


def generate(
    out_dir: Path,
    people: int = 30_000,
    seed: int = 7,
    as_of: date = date(2024, 12, 31),
    months: int = 12,
    variety: bool = True,
    bad_rows: bool = True,
    province: str = "81",
) -> dict:
    if months < 1:
        raise ValueError("months must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref = load_reference(province)
    dates = file_dates(as_of, months)
    used_niks: set[str] = set()
    used_kpjs: set[str] = set()

    sim = simulate(Rng(f"{seed}:register"), ref, people, dates, used_niks, used_kpjs)
    bad_people = PersonFactory(Rng(f"{seed}:bad-rows"), ref, used_niks)
    outcomes: list[FileOutcome] = build_enrolment(
        sim, ref, dates, out_dir, seed, variety, bad_rows, bad_people, used_kpjs
    )

    loaded = [row for o in outcomes if o.status == "LOADED" for row in o.memberships]
    register = Register(loaded)
    states = register.states_at(end_of_day(dates[-1]))
    placed = placements(states)
    covered = covered_cells(placed, ref.occupations)

    year = dates[-1].year
    eligible_now = eligible_counts(Rng(f"{seed}:workforce"), covered, ref)
    eligible_before = previous_year(Rng(f"{seed}:workforce-prev"), eligible_now)
    outcomes += write_workforce(out_dir, ref, seed, year, eligible_now, eligible_before, variety, bad_rows)

    funded = funded_counts(placed, ref.occupations, ref.province.code)
    outcomes += write_budget(out_dir, ref, seed, dates[-1], funded, variety, bad_rows)

    if variety:
        (out_dir / "catatan.txt").write_bytes(IGNORED_NOTE.encode("utf-8"))
        outcomes.append(FileOutcome("catatan.txt", None, "IGNORED", None))

    return _expected(ref, dates, outcomes, register, states, placed, covered, funded, seed, people, variety, bad_rows)


def _expected(ref, dates, outcomes, register, states, placed, covered, funded, seed, people, variety, bad_rows) -> dict:
    as_of = dates[-1]
    year = as_of.year
    eligible: dict[tuple[str, str], int] = {}
    for o in outcomes:
        if o.status == "LOADED" and o.source == "angkatan_kerja":
            for y, r, s, n in o.workforce:
                if y == year:
                    eligible[(r, s)] = n
    regencies = sorted(ref.regencies)
    cells = cells_table(regencies, covered, eligible)
    lines = budget_lines([row for o in outcomes if o.status == "LOADED" for row in o.budget])
    months = sorted({d.replace(day=1) for d in dates})
    refused = [r.as_dict() for o in outcomes for r in o.refused]
    return {
        "as_of": as_of.isoformat(),
        "parameters": {"people": people, "seed": seed, "months": len(dates), "variety": variety, "bad_rows": bad_rows},
        "province": {
            "covered_workers": sum(covered.values()),
            "eligible_workers": sum(eligible.values()),
        },
        "cells": cells,
        "regencies": [
            {
                "regency_code": r,
                "covered_workers": sum(c["covered_workers"] for c in cells if c["regency_code"] == r),
                "eligible_workers": sum(c["eligible_workers"] or 0 for c in cells if c["regency_code"] == r),
            }
            for r in regencies
        ],
        "sectors": [
            {
                "sector": s,
                "covered_workers": sum(c["covered_workers"] for c in cells if c["sector"] == s),
                "eligible_workers": sum(c["eligible_workers"] or 0 for c in cells if c["sector"] == s),
            }
            for s in SECTORS
        ],
        "memberships": {
            "known_at_as_of": len(states),
            "aktif_at_as_of": sum(1 for v in states.values() if v.status == "AKTIF"),
            "people_in_extracts": len({row.nik for rows in register.versions.values() for row in rows}),
        },
        "monthly": monthly_covered(register, months, as_of, ref.occupations),
        "unmapped_occupations": unmapped_occupations(states, ref.occupations),
        "budget_lines": lines,
        "budget_coverage": budget_coverage(lines, funded),
        "files": {o.name: o.counts() for o in sorted(outcomes, key=lambda o: o.name)},
        "refused": sorted(refused, key=lambda r: (r["file_name"], r["row_number"])),
        "nulled": sorted((n for o in outcomes for n in o.nulled), key=lambda n: (n["file_name"], n["row_number"])),
    }
