"""The coverage report for the governor's office: one self-contained HTML page and its PNG chart."""

import base64
import datetime as dt
import html
import os
from pathlib import Path

import duckdb

REPORT_NAME = "coverage_report.html"
CHART_NAME = "coverage_report.png"


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _pct(value) -> str:
    return "–" if value is None else f"{value:.1%}".replace(".", ",")


def _num(value) -> str:
    return "–" if value is None else f"{value:,.0f}".replace(",", ".")


def _chart(regencies: list[dict], monthly: list[dict], projection: dict | None, budget: list[dict], target) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(10, 13), constrained_layout=True)
    names = [r["regency_name"].replace("Kabupaten ", "Kab. ") for r in regencies]
    rates = [r["coverage_rate"] or 0 for r in regencies]
    axes[0].barh(names, rates, color="#2E75B6")
    if target is not None:
        axes[0].axvline(target, color="#C00000", linestyle="--", label=f"target {target:.0%}")
        axes[0].legend(loc="lower right")
    axes[0].set_title("Cakupan per kabupaten/kota")
    axes[0].xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes[0].invert_yaxis()

    months = [m["month"] for m in monthly]
    axes[1].plot(
        months, [m["coverage_rate"] for m in monthly], marker="o", color="#2E75B6", label="Maluku, akhir bulan"
    )
    if projection and projection["projected_year_end_rate"] is not None and monthly:
        december = dt.date(monthly[-1]["month"].year, 12, 1)
        axes[1].plot(
            [months[-1], december],
            [monthly[-1]["coverage_rate"], projection["projected_year_end_rate"]],
            linestyle=":",
            color="#2E75B6",
            label="proyeksi (kuadrat terkecil)",
        )
    if target is not None:
        axes[1].axhline(target, color="#C00000", linestyle="--", label=f"target {target:.0%}")
    axes[1].set_title("Cakupan bulanan dan proyeksi ke Desember")
    axes[1].yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes[1].legend(loc="lower right")

    funded = [b for b in budget if b["cost_per_funded_worker_idr"] is not None]
    axes[2].barh(
        [f"{b['owner_code']} {b['sector']} {b['fiscal_year']}" for b in funded],
        [float(b["cost_per_funded_worker_idr"]) for b in funded],
        color="#548235",
    )
    axes[2].axvline(201600, color="#C00000", linestyle="--", label="Rp201.600: iuran JKK+JKM setahun")
    axes[2].set_title("Realisasi anggaran per pekerja terlindungi (Rp)")
    axes[2].legend(loc="lower right")
    axes[2].invert_yaxis()

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return buffer.getvalue()


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def build_report(analytics: duckdb.DuckDBPyConnection, out_dir: Path) -> tuple[Path, Path]:
    province = next(iter(_rows(analytics, "select * from marts.coverage_province")), None)
    regencies = _rows(analytics, "select * from marts.coverage_regency order by regency_code")
    monthly = _rows(
        analytics,
        """
        select month, sum(covered_workers) as covered_workers, sum(eligible_workers) as eligible_workers,
               sum(covered_workers) / nullif(sum(eligible_workers), 0) as coverage_rate
        from marts.coverage_monthly group by month order by month""",
    )
    projection = next(iter(_rows(analytics, "select * from marts.target_projection where regency_code = '81'")), None)
    budget = _rows(analytics, "select * from marts.budget_coverage order by fiscal_year, owner_code, sector")
    target = province["target_rate"] if province else None
    png = _chart(regencies, monthly, projection, budget, target)

    headline = "Belum ada data kepesertaan."
    if province and province["as_of"]:
        headline = (
            f"Maluku, {province['as_of']}: {_num(province['covered_workers'])} pekerja terlindungi dari "
            f"{_num(province['eligible_workers'])} pekerja potensial = {_pct(province['coverage_rate'])} "
            f"(target {_pct(target)}; kurang {_num(province['workers_to_target'])} pekerja, "
            f"iuran Rp{_num(province['premium_to_target_idr'])} setahun)"
        )
    regency_table = _table(
        ["Kabupaten/kota", "Terlindungi", "Potensial", "Cakupan", "Target", "Kekurangan"],
        [
            [
                r["regency_name"],
                _num(r["covered_workers"]),
                _num(r["eligible_workers"]),
                _pct(r["coverage_rate"]),
                _pct(r["target_rate"]),
                _num(r["workers_to_target"]),
            ]
            for r in regencies
        ],
    )
    budget_table = _table(
        ["Tahun", "Pemda", "Sektor", "Sasaran", "Pagu (Rp)", "Realisasi (Rp)", "Dibiayai", "Biaya/pekerja (Rp)"],
        [
            [
                str(b["fiscal_year"]),
                b["owner_name"] or b["owner_code"],
                b["sector"],
                _num(b["targeted_workers"]),
                _num(b["pagu_idr"]),
                _num(b["realisasi_idr"]),
                _num(b["funded_covered_workers"]),
                _num(b["cost_per_funded_worker_idr"]),
            ]
            for b in budget
        ],
    )
    page = f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Cakupan BPJS Ketenagakerjaan Maluku</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; background: #fff; }}
h1 {{ color: #1F4E79; }} .headline {{ font-size: 1.3em; padding: .6em; background: #DDEBF7; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ border: 1px solid #ccc; padding: .3em .6em; }}
td {{ text-align: right; }} td:first-child {{ text-align: left; }}
</style></head><body>
<h1>Cakupan jaminan sosial ketenagakerjaan, Provinsi Maluku</h1>
<p class="headline">{html.escape(headline)}</p>
<img alt="Coverage by regency, monthly trend with projection, budget cost per protected worker"
 src="data:image/png;base64,{base64.b64encode(png).decode()}">
<h2>Kabupaten/kota</h2>{regency_table}
<h2>Anggaran dan pekerja yang dibiayai</h2>{budget_table}
</body></html>
"""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in ((CHART_NAME, png), (REPORT_NAME, page.encode())):
        scratch = out_dir / f".{name}.{os.getpid()}"
        try:
            scratch.write_bytes(data)
            os.replace(scratch, out_dir / name)
        finally:
            scratch.unlink(missing_ok=True)  # a write that failed (a full disk) leaves nothing behind
        written.append(out_dir / name)
    return written[1], written[0]
