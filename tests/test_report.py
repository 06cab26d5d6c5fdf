"""The coverage report as people meet it: opened in a real browser (headless Chromium, network off), every chart
and the map drawn, nothing logged as an error, and the numbers it shows equal to the marts."""

import datetime as dt
import time
from pathlib import Path

import pytest

from publish import indonesian as idn
from publish.report import PDF_NAME, REPORT_NAME
from publish.report_pdf import find_chromium
from tests.workspace import ROOT, Workspace

pytestmark = pytest.mark.refresh  # reads what a refresh published

ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots kept for a person to look at (git-ignored)
CHARTS = ("peta", "sektor", "tren", "kekurangan-sektor", "biaya-per-pekerja", "realisasi")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser, page_path: Path, width: int = 1100):
    """The report in a fresh offline context; every request that is not the file itself is recorded and refused."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    requests, problems = [], []

    def refuse_the_network(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_the_network)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(page_path.as_uri())
    page.evaluate("window.cakupanChartsReady")
    return page, requests, problems


def _labels(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('aria-label'))")


def test_the_report_renders_offline_with_every_chart_and_the_map(handmade_published: Workspace, browser):
    started = time.monotonic()
    page, requests, problems = _open(browser, handmade_published.export_dir / REPORT_NAME)
    for chart in CHARTS:
        marks = page.locator(f"#{chart} svg .role-mark path, #{chart} svg .role-mark text")
        assert marks.count() > 0, f"chart {chart} drew nothing"
    assert page.locator("#peta svg .mark-shape.role-mark path").count() == 11  # every regency on the map
    assert page.locator("#sektor svg .mark-rect.role-mark path").count() == 121  # every regency × sector cell
    assert problems == []
    assert [u for u in requests if not u.startswith("file:")] == []
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "coverage_report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot of the report: {shot} (rendered in {time.monotonic() - started:.1f} s)")


def test_the_numbers_shown_are_the_marts(handmade_published: Workspace, browser):
    page, _, _ = _open(browser, handmade_published.export_dir / REPORT_NAME)
    (province,) = handmade_published.query("select * from marts.coverage_province")
    headline = page.locator('.tile[data-measure="rate"] .value').inner_text()
    assert headline == idn.percent(province["coverage_rate"]) == "17,1%"  # 6 of 35
    assert page.locator('.tile[data-measure="gap"] .value').inner_text() == idn.number(province["workers_to_target"])

    (ambon,) = handmade_published.query("select * from marts.coverage_regency where regency_code = '8171'")
    (region,) = [
        label for label in _labels(page, "#peta .mark-shape.role-mark path") if label.startswith("Kota Ambon:")
    ]
    assert f"cakupan {idn.percent(ambon['coverage_rate'])}" in region
    assert f"{idn.number(ambon['covered_workers'])} terlindungi dari {idn.number(ambon['eligible_workers'])}" in region

    (cell,) = handmade_published.query(
        "select * from marts.coverage_regency_sector where regency_code = '8171' and sector = 'PERANGKAT_DESA'"
    )
    (shown,) = [
        x for x in _labels(page, "#sektor .mark-rect.role-mark path") if x.startswith("Kota Ambon, Perangkat Desa:")
    ]
    assert shown == (
        f"Kota Ambon, Perangkat Desa: cakupan {idn.percent(cell['coverage_rate'])} (target 55,0%), "
        f"{cell['covered_workers']} terlindungi dari {cell['eligible_workers']}, "
        f"kurang {cell['workers_to_target']} pekerja"
    )
    text = page.locator("body").inner_text()
    assert "kepesertaan_20240531.csv" in page.locator("#mutu table").first.inner_text()  # loaded by this refresh
    for (code,) in [(r["sector"],) for r in handmade_published.query("select sector from reference.sectors")]:
        assert code not in text, f"sector code {code} shown instead of its label"


def test_the_trend_follows_the_chosen_regency(handmade_published: Workspace, browser):
    page, _, problems = _open(browser, handmade_published.export_dir / REPORT_NAME)
    line = page.locator("#tren svg .mark-line.role-mark path").first
    province = line.get_attribute("d")
    page.select_option("#tren select", "Kabupaten Buru")
    page.wait_for_function(
        f"document.querySelector('#tren svg .mark-line.role-mark path').getAttribute('d') != {province!r}"
    )
    assert problems == []


def test_on_a_phone_nothing_but_the_wide_tables_scrolls_sideways(handmade_published: Workspace, browser):
    page, _, problems = _open(browser, handmade_published.export_dir / REPORT_NAME, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coverage_report_phone.png"), full_page=True)


def test_the_pdf_is_the_report_printed(handmade_published: Workspace):
    pdf = handmade_published.export_dir / PDF_NAME
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert not (handmade_published.export_dir / "report").exists()  # the old layout leaves nothing behind


def _rgb(colour: str) -> tuple[float, float, float]:
    """`#rrggbb` or `rgb(r, g, b)`, as Vega's SVG writes a fill, in 0–1."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
    return tuple(float(x) / 255 for x in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3])  # type: ignore[return-value]


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        r, g, b_ = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_map_and_cells_need_no_red_green_vision_and_every_cell_shows_its_number(
    handmade_published: Workspace, browser
):
    import colorsys

    page, _, problems = _open(browser, handmade_published.export_dir / REPORT_NAME)
    fills = page.eval_on_selector_all(
        "#peta .mark-shape.role-mark path, #sektor .mark-rect.role-mark path",
        "els => els.map(e => e.getAttribute('fill'))",
    )
    coloured = []
    for fill in fills:
        hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(fill))
        if saturation > 0.2 and 0.1 < lightness < 0.95:
            coloured.append(fill)
            # Neither red nor green (the hues red-green colour blindness confuses): orange and blue only.
            assert 20 <= hue * 360 <= 50 or 190 <= hue * 360 <= 230, f"{fill} is neither orange nor blue"
    assert coloured, "no cell or region was coloured"
    cells = page.eval_on_selector_all(
        "#sektor .mark-rect.role-mark path", "els => els.map(e => e.getAttribute('fill'))"
    )
    numbers = page.eval_on_selector_all(
        "#sektor .mark-text.role-mark text", "els => els.map(e => [e.textContent, e.getAttribute('fill')])"
    )
    assert len(numbers) == len(cells) == 121
    for cell, (number, ink) in zip(cells, numbers, strict=True):
        assert number  # a rate, or "–" where there is none
        assert _contrast(cell, ink) >= 4, f"{number} in {ink} on {cell}"
    assert problems == []


def test_the_report_and_workbook_take_the_premium_province_and_series_from_the_marts(
    handmade_published: Workspace, tmp_path
):
    """The premium, the province's name and the monthly series are the dbt project's: change them in the marts and
    the report and the workbook follow, with no copy of their own to disagree."""
    import json
    import re
    import shutil

    import duckdb
    import openpyxl

    from publish.exports import WORKBOOK_NAME, export_marts
    from publish.report_data import read_report_data
    from publish.report_page import render_page
    from tests.marts import MART_NAMES

    copy = tmp_path / "analytics.duckdb"
    shutil.copy(handmade_published.analytics_db, copy)
    with duckdb.connect(str(copy)) as conn:
        conn.execute("update marts.coverage_province set province_name = 'Provinsi Uji', annual_premium_idr = 240000")
        conn.execute(
            "update marts.coverage_monthly_regency set regency_name = 'Provinsi Uji', coverage_rate = 0.4321 "
            "where regency_code = '81'"
        )
    with duckdb.connect(str(copy), read_only=True) as conn:
        page = render_page(read_report_data(conn, dt.datetime(2024, 7, 1, 6)))
        export_marts(conn, tmp_path / "exports", MART_NAMES)
    assert "<h1>Cakupan Jaminan Sosial Ketenagakerjaan Provinsi Uji</h1>" in page
    assert "iuran setahun Rp240.000</h3>" in page and "Rp20.000 per bulan" in page  # 240.000 / 12
    assert "setahun, Rp240.000 per pekerja" in page and "Rp201.600 per pekerja" not in page  # the headline's tile
    specs = json.loads(re.search(r'<script id="cakupan-charts" type="application/json">(.*?)</script>', page).group(1))
    trend = specs["specs"]["tren"]
    shown = [v for v in trend["datasets"]["months"] if v.get("Cakupan") == "43,2%"]
    assert shown and {v["area_name"] for v in shown} == {"Provinsi Uji"}
    assert trend["params"][0]["value"] == "Provinsi Uji"  # the selector starts at the province
    rule = [layer for layer in specs["specs"]["biaya-per-pekerja"]["layer"] if layer["mark"]["type"] == "rule"]
    assert rule[0]["data"]["values"][0]["premium"] == 240000
    workbook = openpyxl.load_workbook(tmp_path / "exports" / WORKBOOK_NAME)
    assert workbook.properties.title.endswith("Provinsi Uji")
