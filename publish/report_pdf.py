"""The coverage report printed to PDF by headless Chromium, for offices that file documents: the same page
through its print stylesheet, so the PDF never differs from the HTML."""

import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Chromium's headless shell first: the same engine without the browser around it, it prints the report in half the
# time (0.9 s against 1.6 s here, most of it Chromium starting). Any Chromium prints the same page.
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Vega draws the charts after the page has loaded; virtual time lets every pending task finish before printing.
RENDER_BUDGET_MS = 15_000
TIMEOUT_S = 120
# Chromium does not say why it could not write; with less free space than this where the PDF goes, it was that.
ROOM_FOR_A_PDF = 4 << 20


class ChromiumMissing(RuntimeError):
    pass


def find_chromium() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumMissing(
        "printing coverage_report.pdf needs Chromium, and none of "
        f"{', '.join(BROWSERS)} is on PATH: install it (Debian: apt-get install chromium-headless-shell, or "
        "apt-get install chromium; .ci/run does)"
    )


def print_pdf(page: Path, pdf: Path) -> None:
    """Print `page` (a local HTML file) to `pdf`; Chromium is kept off the network."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="cakupan-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            "--no-sandbox",  # the pipeline may run as root (CI, containers), where Chromium's sandbox refuses
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--proxy-server=127.0.0.1:9",  # belt and braces: the page fetches nothing, and could not if it tried
            "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        if shutil.disk_usage(pdf.parent).free < ROOM_FOR_A_PDF:
            # An OSError with ENOSPC, as a write of our own would raise: the step names the full folder.
            raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)}: Chromium could not print", str(pdf))
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"Chromium ({chromium}) did not print {page} to {pdf} (exit {done.returncode}): {tail}")
