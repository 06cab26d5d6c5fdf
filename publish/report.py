"""The coverage report for the province: `coverage_report.html` (one self-contained, offline, interactive page in
Indonesian) and `coverage_report.pdf` (the same page printed), written into the export folder."""

import datetime as dt
import os
from pathlib import Path

import duckdb

from common.clock import now_wit
from publish.report_data import read_report_data
from publish.report_pdf import print_pdf

REPORT_NAME = "coverage_report.html"
PDF_NAME = "coverage_report.pdf"
# Where the report used to be (a folder with an HTML page and its PNG chart): removed so no stale copy lingers.
RETIRED = ("report/coverage_report.html", "report/coverage_report.png")


def _retire_old_layout(export_dir: Path) -> None:
    for name in RETIRED:
        (export_dir / name).unlink(missing_ok=True)
    old = export_dir / "report"
    if old.is_dir() and not any(old.iterdir()):
        old.rmdir()


def build_report(
    analytics: duckdb.DuckDBPyConnection,
    export_dir: Path,
    built_at: dt.datetime | None = None,
    refreshed_since: dt.datetime | None = None,
) -> tuple[Path, Path]:
    """Write the HTML report and its PDF into `export_dir`, each swapped in whole (a reader never sees half).
    `refreshed_since`: when this refresh started (WIT), to list the files it loaded."""
    # Altair and vl-convert take half a second to import: only a refresh that publishes pays for them, not
    # every process that loads the Dagster definitions (a refresh with nothing new among them).
    from publish.report_page import render_page

    data = read_report_data(analytics, built_at or now_wit(), refreshed_since)
    export_dir.mkdir(parents=True, exist_ok=True)
    page, pdf = export_dir / REPORT_NAME, export_dir / PDF_NAME
    # The scratch names keep their extension: Chromium prints what it opens as HTML only from a .html file.
    scratch_page = export_dir / f".{os.getpid()}.{REPORT_NAME}"
    scratch_pdf = export_dir / f".{os.getpid()}.{PDF_NAME}"
    try:
        scratch_page.write_text(render_page(data), encoding="utf-8")
        print_pdf(scratch_page, scratch_pdf)
        os.replace(scratch_page, page)
        os.replace(scratch_pdf, pdf)
    finally:
        scratch_page.unlink(missing_ok=True)  # a write that failed (a full disk) leaves nothing behind
        scratch_pdf.unlink(missing_ok=True)
    _retire_old_layout(export_dir)
    return page, pdf
