"""The kepesertaan extracts: one file a month (one month split in two), written in many styles.

Besides the simulated versions, a file may carry what real extracts carry: the same
row twice, two versions of a card with the same TGL_UPDATE (the later row decides),
a correction re-sent in the next month's file with the same TGL_UPDATE (the later
file decides), rows the reader must refuse (always fresh cards of people who appear
nowhere else, so the truth excludes them cleanly) and rows with an unreadable
optional cell (they load, the cell becomes null).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from . import formats as fmt
from .deltas import Simulation
from .model import FileOutcome, LoadedMembershipRow, Refusal, Rng, Version
from .population import PersonFactory, new_kpj, pick_sector, program_for, realise, wage_for
from .reference import Reference
from .styles import KEPESERTAAN_PRESETS, PLAIN, Style
from .writers import BLANK, Formula, Number, Total, column_letter, write_csv, write_xlsx


@dataclass
class PlannedRow:
    v: Version
    overrides: dict = field(default_factory=dict)  # canonical column -> text written instead
    refusal: tuple[str, str] | None = None  # (reason, canonical column)
    nulled: str | None = None  # optional column written unreadable
    note: str = ""
    twin_of: PlannedRow | None = None  # an exact duplicate repeats this row's cells


@dataclass
class FilePlan:
    name: str
    date: date
    style: Style
    rows: list[PlannedRow]


def _style_for(k: int, variety: bool) -> Style:
    if not variety or k == 0:
        return PLAIN
    presets = KEPESERTAAN_PRESETS
    # The sixth extract (k == 5) is split over presets 4 and 5; the others cycle through the presets.
    index = k - 1 if k < 5 else k % len(presets)
    return presets[index]


def _name(d: date, k: int, style: Style, variety: bool, suffix: str = "") -> str:
    stamp = d.strftime("%Y%m%d")
    ext = style.kind
    if variety and k == 2:
        return f"kepesertaan_{stamp}_mutasi.{ext}"
    if variety and k == 7:
        return f"Kepesertaan_{stamp}_Ambon.{ext.upper()}"
    return f"kepesertaan_{stamp}{suffix}.{ext}"


def _sorted(versions: list[Version], style: Style) -> list[Version]:
    if style.sort == "ts":
        return sorted(versions, key=lambda v: (v.ts, v.kpj))
    if style.sort == "kpj":
        return sorted(versions, key=lambda v: v.kpj)
    return list(versions)


def _flip(status: str) -> str:
    return "NONAKTIF" if status == "AKTIF" else "AKTIF"


def resend_corrections(rng: random.Random, sim: Simulation, plans_single_csv: list[int], per_pair: int) -> None:
    """A card's last version re-sent next month with the same TGL_UPDATE and the other STATUS.

    Only between two single CSV files with text timestamps: the tie must survive the
    round trip exactly, and seconds are zeroed because one of them may write minutes only.
    """
    last_window: dict[str, int] = {}
    for k, window in enumerate(sim.windows):
        for kpj in window:
            last_window[kpj] = k
    singles = set(plans_single_csv)
    for k in sorted(singles):
        if k == 0 or k + 1 not in singles:
            continue
        candidates = [kpj for kpj in sim.windows[k] if last_window[kpj] == k]
        for kpj in rng.sample(candidates, min(per_pair, len(candidates))):
            v = sim.windows[k][kpj]
            v = v.evolve(ts=v.ts.replace(second=0))
            sim.windows[k][kpj] = v
            sim.windows[k + 1][kpj] = v.evolve(status=_flip(v.status))
            last_window[kpj] = k + 1


class BadRows:
    """Fresh cards with exactly one defect each (extracts.md, Row refusals)."""

    def __init__(self, rng: random.Random, ref: Reference, factory: PersonFactory, used_kpjs: set[str]):
        self.rng = rng
        self.ref = ref
        self.factory = factory
        self.used_kpjs = used_kpjs

    def fresh(self, day: date) -> Version:
        rng = self.rng
        person = self.factory.person(day)
        regency = person.home
        sector = pick_sector(rng, regency)
        segmen, sumber, job = realise(rng, self.ref, sector)
        ts = datetime.combine(day, time(rng.randrange(8, 16), rng.randrange(60), rng.randrange(60)))
        return Version(
            new_kpj(rng, self.used_kpjs),
            person,
            regency,
            rng.choice(self.ref.districts[regency])[1],
            segmen,
            sumber,
            job,
            program_for(rng, segmen),
            wage_for(rng, segmen),
            day,
            (day.year, day.month),
            "AKTIF",
            ts,
        )

    @staticmethod
    def defects(style: Style, year: int) -> dict[str, tuple[str, str, object]]:
        """id -> (reason, column, how to spoil) for the defects this file's cells can carry."""
        out: dict[str, tuple[str, str, object]] = {
            "nik_15_digits": ("NIK_INVALID", "NIK", lambda v: v.person.nik[:15]),
            "nik_month_13": ("NIK_INVALID", "NIK", lambda v: v.person.nik[:8] + "13" + v.person.nik[10:]),
            "regency_jakarta": ("REGENCY_UNKNOWN", "KAB_KOTA", lambda v: "Kota Jakarta"),
            "regency_halmahera": ("REGENCY_UNKNOWN", "KAB_KOTA", lambda v: "Kab. Halmahera Barat"),
            "segmen_xyz": ("CODE_UNKNOWN", "SEGMEN", lambda v: "XYZ"),
            "sumber_apbn": ("CODE_UNKNOWN", "SUMBER_IURAN", lambda v: "APBN"),
            "status_pending": ("CODE_UNKNOWN", "STATUS", lambda v: "PENDING"),
            "sumber_missing": ("VALUE_MISSING", "SUMBER_IURAN", lambda v: ""),
            "regency_missing": ("VALUE_MISSING", "KAB_KOTA", lambda v: ""),
            "update_missing": ("VALUE_MISSING", "TGL_UPDATE", lambda v: ""),
        }
        if not style.kpj_numeric:
            out["kpj_14_digits"] = ("KPJ_INVALID", "NO_KPJ", lambda v: v.kpj + "123")
            out["kpj_letter"] = ("KPJ_INVALID", "NO_KPJ", lambda v: v.kpj[:3] + "A" + v.kpj[4:])
        if style.date_fmt != "native":
            out["date_feb_31"] = (
                "DATE_INVALID",
                "TGL_KEPESERTAAN",
                lambda v: fmt.render_impossible_date(year, style.date_fmt),
            )
        return out


def _nullable_spoils(style: Style) -> list[tuple[str, str]]:
    """Unreadable values in optional columns: the row loads, the cell becomes null."""
    out = [("JENIS_KELAMIN", "X")]
    if style.money_fmt != "native":
        out += [("UPAH", "abc"), ("UPAH", "1,5 juta")]
    if style.date_fmt not in ("native",):
        out.append(("TGL_LAHIR", fmt.render_impossible_date(1985, style.date_fmt).replace("31", "30", 1)))
    out.append(("BLTH_TERAKHIR", "13-2024"))
    return [(c, t) for c, t in out if c in style.order]


class EnrolmentWriter:
    def __init__(self, ref: Reference, out_dir: Path):
        self.ref = ref
        self.out_dir = out_dir
        self.speller = fmt.RegencySpeller(ref)

    # --- rendering ------------------------------------------------------------------------

    def renderers(self, style: Style) -> list:
        """One function per column of the file: (row, rng, number) -> the cell as this file writes it."""
        speller = self.speller
        native_dates = style.date_fmt == "native"
        if style.kind == "csv" and (
            "native" in (style.date_fmt, style.ts_fmt, style.money_fmt) or style.kpj_numeric or "NO" in style.order
        ):
            raise ValueError("native cells exist in Excel files only")

        def date_cell(pick):
            if native_dates:
                return lambda r, rng, n: pick(r)
            return lambda r, rng, n: fmt.render_date(
                pick(r), style.date_fmt, style.date_case, "Agt" if rng.random() < 0.5 else "Agu"
            )

        def upah(r, rng, n):
            if r.v.upah is None:
                return ""
            return Number(r.v.upah) if style.money_fmt == "native" else fmt.render_money(r.v.upah, style.money_fmt)

        segmen_case = style.segmen_case if style.segmen_case == "long" else style.code_case
        table = {
            "NO_KPJ": (lambda r, rng, n: Number(int(r.v.kpj), "00000000000"))
            if style.kpj_numeric
            else (lambda r, rng, n: r.v.kpj),
            "NIK": lambda r, rng, n: r.v.person.nik,
            "NAMA_LENGKAP": (lambda r, rng, n: r.v.person.name.upper())
            if style.name_case == "upper"
            else (lambda r, rng, n: r.v.person.name),
            "TGL_LAHIR": date_cell(lambda r: r.v.person.birth_written),
            "TGL_KEPESERTAAN": date_cell(lambda r: r.v.tgl_kep),
            "JENIS_KELAMIN": lambda r, rng, n: fmt.render_sex(r.v.person.sex_written, style.sex_style),
            "KAB_KOTA": lambda r, rng, n: speller.spell(r.v.regency, style.regency_style, rng),
            "KECAMATAN": lambda r, rng, n: r.v.district or "",
            "SEGMEN": lambda r, rng, n: fmt.render_segmen(r.v.segmen, segmen_case, rng),
            "PEKERJAAN": lambda r, rng, n: r.v.pekerjaan or "",
            "SUMBER_IURAN": lambda r, rng, n: fmt.render_code(r.v.sumber, style.code_case, rng),
            "PROGRAM": lambda r, rng, n: style.program_sep.join(r.v.program),
            "UPAH": upah,
            "BLTH_TERAKHIR": lambda r, rng, n: fmt.render_blth(r.v.blth, style.blth_fmt),
            "STATUS": lambda r, rng, n: fmt.render_code(r.v.status, style.code_case, rng),
            "TGL_UPDATE": (lambda r, rng, n: r.v.ts)
            if style.ts_fmt == "native"
            else (lambda r, rng, n: fmt.render_ts(r.v.ts, style.ts_fmt)),
            "NO": lambda r, rng, n: Number(n, "0"),
            "KODE_KANTOR": lambda r, rng, n: rng.choice(("A01", "A01", "A02", "A03")),
            "KETERANGAN": lambda r, rng, n: r.note,
        }
        return [(col, table[col]) for col in style.order]

    def cells(self, row: PlannedRow, columns: list, rng: random.Random, number: int) -> list:
        if row.overrides:
            return [row.overrides[col] if col in row.overrides else render(row, rng, number) for col, render in columns]
        return [render(row, rng, number) for _, render in columns]

    # --- files --------------------------------------------------------------------------------

    def write(self, plan: FilePlan, rng: random.Random) -> FileOutcome:
        style = plan.style
        body: list = []
        positions: list[int] = []
        data_rows = plan.rows
        # Blank lines fall between data rows, never first or last (a clerk's stray Enter).
        blanks = sorted(rng.sample(range(1, len(data_rows)), min(style.blank_rows, max(0, len(data_rows) - 1))))
        rendered: dict[int, list] = {}
        columns = self.renderers(style)
        for i, row in enumerate(data_rows):
            if blanks and blanks[0] == i:
                blanks.pop(0)
                body.append(BLANK)
            cells = rendered[id(row.twin_of)] if row.twin_of is not None else self.cells(row, columns, rng, i + 1)
            rendered[id(row)] = cells
            body.append(cells)
            positions.append(len(body))
        header = [style.header(c) for c in style.order]
        path = self.out_dir / plan.name
        if style.kind == "xlsx":
            if style.total_label:
                total = [""] * len(style.order)
                total[0] = style.total_label
                if "UPAH" in style.order and style.money_fmt == "native":
                    col = style.order.index("UPAH")
                    letter = column_letter(col)
                    first = (
                        len(style.xlsx.titles) + (1 if style.xlsx.blank_after_titles and style.xlsx.titles else 0) + 2
                    )
                    total[col] = Formula(
                        f"=SUM({letter}{first}:{letter}{first + len(body) - 1})",
                        sum(r.v.upah or 0 for r in data_rows if "UPAH" not in r.overrides),
                    )
                body.append(BLANK)
                body.append(Total(total))
            write_xlsx(path, header, body, style.xlsx)
        else:
            write_csv(path, header, body, style.csv)
        outcome = FileOutcome(plan.name, "kepesertaan", "LOADED", plan.date, rows_read=len(data_rows))
        ts_fmt = style.ts_text_fmt
        for row, number in zip(data_rows, positions, strict=False):
            if row.refusal:
                outcome.refused.append(Refusal(plan.name, number, row.refusal[0], row.refusal[1]))
                continue
            if row.nulled:
                outcome.nulled.append({"file_name": plan.name, "row_number": number, "column_name": row.nulled})
            v = row.v
            outcome.memberships.append(
                LoadedMembershipRow(
                    v.kpj,
                    v.person.nik,
                    v.regency,
                    v.segmen,
                    v.sumber,
                    v.pekerjaan,
                    v.status,
                    v.tgl_kep,
                    fmt.ts_as_read(v.ts, ts_fmt),
                    plan.date,
                    plan.name,
                    number,
                )
            )
        return outcome


_NOTES = ["", "", "", "", "pindah wilayah", "reaktivasi", "data baru", "koreksi data", "mutasi"]


def build_enrolment(
    sim: Simulation,
    ref: Reference,
    dates: list[date],
    out_dir: Path,
    seed: int,
    variety: bool,
    bad_rows: bool,
    factory: PersonFactory,
    used_kpjs: set[str],
) -> list[FileOutcome]:
    rng = Rng(f"{seed}:enrolment")
    k_split = 5 if variety and len(dates) > 5 else None

    single_csv = [
        k
        for k in range(len(dates))
        if k != k_split and _style_for(k, variety).kind == "csv" and _style_for(k, variety).ts_fmt != "native"
    ]
    if variety:
        resend_corrections(rng, sim, single_csv, per_pair=3)

    plans: list[FilePlan] = []
    for k, d in enumerate(dates):
        versions = list(sim.windows[k].values())
        if k == k_split:
            bpu = [v for v in versions if v.segmen == "BPU"]
            rest = [v for v in versions if v.segmen != "BPU"]
            for part, style, suffix in ((bpu, KEPESERTAAN_PRESETS[4], "_bpu"), (rest, KEPESERTAAN_PRESETS[5], "_pu")):
                rows = [PlannedRow(v, note=rng.choice(_NOTES)) for v in _sorted(part, style)]
                plans.append(FilePlan(_name(d, k, style, variety, suffix), d, style, rows))
        else:
            style = _style_for(k, variety)
            rows = [PlannedRow(v, note=rng.choice(_NOTES)) for v in _sorted(versions, style)]
            plans.append(FilePlan(_name(d, k, style, variety), d, style, rows))

    if variety:
        _add_in_file_repeats(rng, plans)
        for plan in plans[1:]:
            if plan.style.kind == "csv":
                _dash_an_occupation(rng, plan)
    if bad_rows:
        _add_bad_rows(rng, ref, plans, factory, used_kpjs)
        _add_unreadable_optionals(rng, plans)

    writer = EnrolmentWriter(ref, out_dir)
    return [writer.write(plan, Rng(f"{seed}:render:{plan.name}")) for plan in plans]


def _add_in_file_repeats(rng: random.Random, plans: list[FilePlan]) -> None:
    """Exact duplicate rows, and a card's two versions with one TGL_UPDATE where the later row decides."""
    for plan in plans[1:]:
        if plan.style.kind != "csv" or len(plan.rows) < 10:
            continue
        for _ in range(2):
            i = rng.randrange(len(plan.rows))
            row = plan.rows[i]
            twin = PlannedRow(row.v, note=row.note, twin_of=row)
            plan.rows.insert(rng.randrange(i + 1, len(plan.rows) + 1), twin)
        i = rng.randrange(len(plan.rows))
        row = plan.rows[i]
        loser = PlannedRow(row.v.evolve(status=_flip(row.v.status)), note="koreksi")
        plan.rows.insert(i, loser)


def _dash_an_occupation(rng: random.Random, plan: FilePlan) -> None:
    """One occupation typed with an en dash, so a file read in the wrong encoding misplaces a worker."""
    twinned = {id(r.twin_of) for r in plan.rows if r.twin_of is not None}
    candidates = [
        r
        for r in plan.rows
        if r.v.pekerjaan and " " in r.v.pekerjaan.strip() and r.twin_of is None and id(r) not in twinned
    ]
    if candidates:
        row = rng.choice(candidates)
        row.v = row.v.evolve(pekerjaan=" – ".join(row.v.pekerjaan.split()))


def _add_bad_rows(
    rng: random.Random, ref: Reference, plans: list[FilePlan], factory: PersonFactory, used_kpjs: set[str]
) -> None:
    """Every defect once, spread over the first delta files, each where its cell type allows it."""
    targets = plans[1:7] or plans[:1]
    maker = BadRows(rng, ref, factory, used_kpjs)
    every = list(BadRows.defects(PLAIN, 2000))
    for n, defect in enumerate(every):
        for j in range(len(targets)):
            plan = targets[(n + j) % len(targets)]
            defects = BadRows.defects(plan.style, plan.date.year)
            if defect not in defects or defects[defect][1] not in plan.style.order:
                continue
            reason, column, spoil = defects[defect]
            v = maker.fresh(plan.date - timedelta(days=rng.randrange(0, 25)))
            row = PlannedRow(v, {column: spoil(v)}, refusal=(reason, column), note="data baru")
            plan.rows.insert(rng.randrange(len(plan.rows) + 1), row)
            break


def _add_unreadable_optionals(rng: random.Random, plans: list[FilePlan]) -> None:
    for plan in plans[1:7] or plans[:1]:
        spoils = _nullable_spoils(plan.style)
        # Twins must stay exact copies, so neither side of a duplicate is spoiled.
        twinned = {id(r.twin_of) for r in plan.rows if r.twin_of is not None}
        candidates = [
            r for r in plan.rows if not r.refusal and not r.overrides and r.twin_of is None and id(r) not in twinned
        ]
        for column, text in rng.sample(spoils, min(2, len(spoils))):
            if not candidates:
                break
            row = candidates.pop(rng.randrange(len(candidates)))
            row.overrides[column] = text
            row.nulled = column
