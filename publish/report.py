"""The coverage report for the province: `coverage_report.html` (one self-contained, offline, interactive page in
Indonesian) and `coverage_report.pdf` (the same page printed), written into the export folder."""

import os
from dataclasses import dataclass
from pathlib import Path

from common.owner_only import shared_mode
from publish.report_data import ReportData
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


def import_report_modules() -> None:
    """Altair and vl-convert take half a second to import: only a refresh that publishes pays for them, not every
    process that loads the Dagster definitions (a refresh with nothing new among them), and it can pay while it
    publishes the analyst database."""
    import publish.report_page  # noqa: F401


@dataclass(frozen=True)
class PreparedReport:
    """The report written and printed beside its final names in `export_dir`: `publish()` swaps both in, each whole
    (a reader never sees half); `discard()` removes them (what was published before stays)."""

    export_dir: Path
    scratch_page: Path
    scratch_pdf: Path

    @property
    def page(self) -> Path:
        return self.export_dir / REPORT_NAME

    @property
    def pdf(self) -> Path:
        return self.export_dir / PDF_NAME

    def publish(self) -> tuple[Path, Path]:
        os.replace(self.scratch_page, self.page)
        os.replace(self.scratch_pdf, self.pdf)
        _retire_old_layout(self.export_dir)
        return self.page, self.pdf

    def discard(self) -> None:
        self.scratch_page.unlink(missing_ok=True)
        self.scratch_pdf.unlink(missing_ok=True)


def write_report(data: ReportData, export_dir: Path) -> PreparedReport:
    """The report of `data` (publish/report_data.py) written as HTML and printed to PDF into `export_dir` under
    scratch names (PreparedReport)."""
    from publish.report_page import render_page

    export_dir.mkdir(parents=True, exist_ok=True)
    # The scratch names keep their extension: Chromium prints what it opens as HTML only from a .html file.
    prepared = PreparedReport(
        export_dir, export_dir / f".{os.getpid()}.{REPORT_NAME}", export_dir / f".{os.getpid()}.{PDF_NAME}"
    )
    try:
        prepared.scratch_page.write_text(render_page(data), encoding="utf-8")
        print_pdf(prepared.scratch_page, prepared.scratch_pdf)
        # Readable as the other exports, whatever umask the process has while they are written (publishing prints
        # the report while the warehouse, owner-only, is open).
        for path in (prepared.scratch_page, prepared.scratch_pdf):
            path.chmod(shared_mode())
    except BaseException:
        prepared.discard()  # a write that failed (a full disk) leaves nothing behind
        raise
    return prepared
