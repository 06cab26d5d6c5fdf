"""What publishing writes that a build counts on: if one of them is gone, the build is published again."""

from pathlib import Path

from publish.exports import WORKBOOK_NAME
from publish.report import PDF_NAME, REPORT_NAME


def published_files(analytics_db: Path, export_dir: Path) -> list[Path]:
    """The analyst database, the workbook, the report and its PDF."""
    return [analytics_db, export_dir / WORKBOOK_NAME, export_dir / REPORT_NAME, export_dir / PDF_NAME]
