"""The coverage report as one self-contained HTML page in Indonesian: text and tables written here, charts as
Vega-Lite specs drawn by the inlined Vega scripts, a print stylesheet, and a layout that reads on a phone."""

import contextlib
import html
import importlib.metadata
import json
import os
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from common.province import served
from publish import indonesian as idn
from publish import report_action, report_map, report_trend
from publish.feedback_reasons import reason_title
from publish.report_action import budget_line_label
from publish.report_data import COST_TOO_CHEAP, COST_TOO_DEAR, ReportData
from publish.report_style import STYLE

STATUS_LABELS = {"LOADED": "dimuat", "DUPLICATE": "duplikat", "REFUSED": "ditolak", "IGNORED": "diabaikan"}
UNMAPPED_SHOWN = 15
CELLS_SHOWN = 10


@cache
def vega_scripts() -> str:
    """Vega, Vega-Lite and vega-embed as one script (shipped inside vl-convert-python's wheel): nothing to fetch.
    A `</script` inside the bundle would end the tag early, so it is escaped."""
    # The Vega-Lite of the specs Altair writes (its public SCHEMA_VERSION, `v6.4.1`), as vl-convert names a
    # version (`v6.4`).
    vega_lite = ".".join(alt.SCHEMA_VERSION.split(".")[:2])
    return _bundle(vega_lite).replace("</script", "<\\/script")


def _bundle(vega_lite: str) -> str:
    """vl-convert's bundle of the scripts, kept in the user's cache: making it starts a JavaScript runtime and
    takes longer than the whole rest of the report (1.6 s), and it changes only with vl-convert's version. The
    cached copy is written whole (a rename) or not at all; a cache that cannot be written costs only the time."""
    version = importlib.metadata.version("vl-convert-python")
    cached = (
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cakupan" / f"vega-{version}-{vega_lite}.js"
    )
    with contextlib.suppress(OSError):
        return cached.read_text(encoding="utf-8")
    # The stub omits the default of `snippet` (None: assign the libraries to `window`).
    bundle = vl_convert.javascript_bundle(vl_version=vega_lite)  # type: ignore[call-arg]
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        scratch = cached.with_name(f".{os.getpid()}.{cached.name}")
        scratch.write_text(bundle, encoding="utf-8")
        os.replace(scratch, cached)
    return bundle


def _e(value: Any) -> str:
    return html.escape(str(value))


def _table(headers: list[str], body: list[list[Any]], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    lines = "".join(
        "<tr>"
        + "".join(f'<td class="{"num" if i >= numeric_from else ""}">{_e(c)}</td>' for i, c in enumerate(row))
        + "</tr>"
        for row in body
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table></div>'


def _chart(chart_id: str, title: str) -> str:
    return f'<figure class="chart" id="{chart_id}" aria-label="{_e(title)}"></figure>'


def _headline(data: ReportData) -> str:
    p = data.province
    if not p or p["as_of"] is None:
        return '<section class="headline"><p>Belum ada data kepesertaan.</p></section>'
    change = None
    if data.previous_month_rate is not None and p["coverage_rate"] is not None:
        change = p["coverage_rate"] - data.previous_month_rate
    age = (data.built_at.date() - p["as_of"]).days
    freshness = "hari ini" if age == 0 else f"{idn.number(age)} hari sebelum laporan ini dibuat"
    tiles = [
        (
            "rate",
            f"Cakupan {data.province_name}",
            idn.percent(p["coverage_rate"]),
            f"target {idn.percent(p['target_rate'])}",
        ),
        ("change", "Perubahan sejak bulan lalu", idn.points(change), "akhir bulan sebelumnya"),
        ("gap", "Pekerja menuju target", idn.number(p["workers_to_target"]), "pekerja lagi perlu dilindungi"),
        (
            "premium",
            "Iuran menuju target",
            idn.rupiah(p["premium_to_target_idr"]),
            f"setahun, {idn.rupiah(data.annual_premium_idr)} per pekerja",
        ),
    ]
    tile_html = "".join(
        f'<div class="tile" data-measure="{key}"><div class="label">{_e(label)}</div>'
        f'<div class="value">{_e(value)}</div><div class="note">{_e(note)}</div></div>'
        for key, label, value, note in tiles
    )
    sentence = (
        f"Per {idn.date(p['as_of'])}: {idn.number(p['covered_workers'])} pekerja terlindungi dari "
        f"{idn.number(p['eligible_workers'])} pekerja potensial. Data per {idn.date(p['as_of'])} "
        f"({freshness}); laporan dibuat {idn.date(data.built_at.date())} pukul {data.built_at:%H.%M} {served().zone_abbreviation}."
    )
    return f'<section class="headline"><div class="tiles">{tile_html}</div><p>{_e(sentence)}</p></section>'


def _on_track_table(data: ReportData) -> str:
    body = [
        [
            proj["regency_name"],
            idn.percent(proj["coverage_rate"]),
            idn.percent(proj["projected_year_end_rate"]),
            idn.percent(proj["target_rate"]),
            "–" if proj["on_track"] is None else ("ya" if proj["on_track"] else "tidak"),
        ]
        for proj in data.projections
    ]
    return _table(["Wilayah", "Cakupan kini", "Proyeksi Desember", "Target", "Sesuai jalur target"], body)


def _cells_table(data: ReportData) -> str:
    worst = sorted(data.cells, key=lambda c: -(c["workers_to_target"] or 0))[:CELLS_SHOWN]
    body = [
        [
            c["regency_name"],
            c["sector_label"],
            idn.percent(c["coverage_rate"]),
            idn.number(c["workers_to_target"]),
            idn.rupiah(c["premium_to_target_idr"]),
        ]
        for c in worst
    ]
    return _table(["Kabupaten/kota", "Sektor", "Cakupan", "Pekerja menuju target", "Iuran setahun"], body, 2)


def _budget_flags(data: ReportData) -> str:
    flagged = []
    for line in data.budget_lines:
        cost = line["cost_per_funded_worker_idr"]
        if cost is None:
            continue
        ratio = float(cost) / data.annual_premium_idr
        if ratio < COST_TOO_CHEAP or ratio > COST_TOO_DEAR:
            verdict = "terlalu murah untuk perlindungan setahun" if ratio < COST_TOO_CHEAP else "terlalu mahal"
            flagged.append(
                [budget_line_label(line), idn.rupiah(cost), idn.number(line["funded_covered_workers"]), verdict]
            )
    if not flagged:
        return "<p>Tidak ada baris anggaran yang biayanya per pekerja jauh dari iuran setahun.</p>"
    return _table(["Baris anggaran", "Biaya per pekerja", "Pekerja dibiayai", "Catatan"], flagged)


def _quality(data: ReportData) -> str:
    overall = Counter(f["status"] for f in data.files)
    # Without the refresh's start (a report built by hand), no file can be said to be this refresh's.
    since = data.refreshed_since
    latest = [f for f in data.files if since is not None and f["loaded_at"] >= since]
    summary = ", ".join(f"{idn.number(n)} {STATUS_LABELS.get(s, s)}" for s, n in sorted(overall.items()))
    latest_html = (
        _table(
            ["Berkas", "Status", "Baris dibaca", "Dimuat", "Ditolak"],
            [
                [
                    f["file_name"],
                    STATUS_LABELS.get(f["status"], f["status"]),
                    idn.number(f["rows_read"]),
                    idn.number(f["rows_loaded"]),
                    idn.number(f["rows_refused"]),
                ]
                for f in latest
            ],
        )
        if latest
        else "<p>Tidak ada berkas baru pada pembaruan ini.</p>"
    )
    refusals = (
        _table(
            ["Alasan penolakan", "Baris ditolak", "Berkas"],
            [[reason_title(r["reason"]), idn.number(r["refused_rows"]), idn.number(r["files"])] for r in data.refusals],
        )
        if data.refusals
        else "<p>Tidak ada baris yang ditolak.</p>"
    )
    unmapped = (
        _table(
            ["Pekerjaan", "Kepesertaan"],
            [[u["occupation"], idn.number(u["memberships"])] for u in data.unmapped[:UNMAPPED_SHOWN]],
        )
        if data.unmapped
        else "<p>Semua pekerjaan sudah terklasifikasi.</p>"
    )
    more = len(data.unmapped) - UNMAPPED_SHOWN
    return (
        f"<p>Semua berkas yang pernah diterima: {idn.number(len(data.files))} ({_e(summary)}).</p>"
        f"<h3>Berkas pada pembaruan ini</h3>{latest_html}"
        f"<h3>Baris ditolak menurut alasan</h3>{refusals}"
        "<p>Setiap kantor pengirim mendapat buku kerja balasan (folder <code>feedback/</code> di folder ekspor) "
        "berisi baris yang ditolak dan cara memperbaikinya.</p>"
        f"<h3>Pekerjaan yang belum terklasifikasi ke sektor</h3>{unmapped}"
        + (f"<p>…dan {idn.number(more)} pekerjaan lain (lihat marts.unmapped_occupations).</p>" if more > 0 else "")
    )


def _map_section(data: ReportData, target: str) -> str:
    province = served()
    if not report_map.has_boundaries(province.code):
        return (
            f'<p class="note">Peta tidak digambar: batas wilayah kabupaten/kota {_e(data.province_name)} belum '
            "tersedia di Cakupan. Angka tiap kabupaten/kota ada pada bagian berikut dan di marts.coverage_regency.</p>"
        )
    return f"""<p class="note">Warna menunjukkan cakupan terhadap target {_e(target)}: jingga di bawah target, biru mencapainya, makin
pekat makin jauh dari target; abu-abu belum punya data pekerja potensial. Arahkan kursor (atau sentuh) wilayah untuk
angkanya.</p>
{_chart("peta", f"Peta cakupan {len(data.regencies)} kabupaten/kota di {data.province_name}")}"""


def render_page(data: ReportData) -> str:
    province = served()
    specs = {
        **({"peta": report_map.coverage_map(data, province.code)} if report_map.has_boundaries(province.code) else {}),
        "sektor": report_map.sector_heatmap(data),
        "tren": report_trend.coverage_trend(data),
        "kekurangan-sektor": report_action.sectors_to_target(data),
        "biaya-per-pekerja": report_action.cost_per_worker(data),
        "realisasi": report_action.realization_by_owner(data),
    }
    options = {
        "actions": False,
        "renderer": "svg",
        "formatLocale": idn.D3_FORMAT_LOCALE,
        "timeFormatLocale": idn.D3_TIME_LOCALE,
    }
    # `</` in the JSON could close the script element; JSON allows it escaped.
    payload = json.dumps({"specs": specs, "options": options}, ensure_ascii=False).replace("</", "<\\/")
    target = idn.percent(data.province["target_rate"]) if data.province else idn.MISSING
    if data.province and data.province.get("target_basis") == "configured":
        # The province has published no target: the one it is measured against is configured, and says so.
        target += " (target yang ditetapkan untuk Cakupan, bukan target resmi provinsi)"
    as_of = idn.date(data.as_of)
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cakupan Jaminan Sosial Ketenagakerjaan {_e(data.province_name)}, {_e(as_of)}</title>
<style>{STYLE}</style></head><body>
<header><h1>Cakupan Jaminan Sosial Ketenagakerjaan {_e(data.province_name)}</h1>
<p class="note">Data per {_e(as_of)}. Target cakupan {_e(target)}. Sumber: berkas BPJS Ketenagakerjaan
{_e(served().name)}, BPKAD provinsi dan kabupaten/kota, dan BPS, diolah Cakupan.</p>
<nav><a href="#ringkasan">Ringkasan</a><a href="#peta-bagian">Peta</a><a href="#sektor-bagian">Sektor</a>
<a href="#tren-bagian">Tren</a><a href="#tindakan">Di mana bertindak</a><a href="#mutu">Mutu data</a></nav></header>
<main>
<h2 id="ringkasan">Ringkasan</h2>
{_headline(data)}
<section id="peta-bagian"><h2>Peta cakupan menurut kabupaten/kota</h2>
{_map_section(data, target)}</section>
<section id="sektor-bagian"><h2>Cakupan menurut kabupaten/kota dan sektor</h2>
<p class="note">Setiap kotak satu kabupaten/kota dan satu sektor ({len(data.regencies) * len(data.sectors)} kotak); kotak abu-abu belum punya data
pekerja potensial.</p>
<div class="chart wide" id="sektor" aria-label="Cakupan per kabupaten/kota dan sektor"></div></section>
<section id="tren-bagian"><h2>Tren cakupan akhir bulan dan proyeksi ke Desember</h2>
<p class="note">Garis putus-putus: proyeksi kuadrat terkecil dari bulan-bulan tahun ini; garis merah: target.
Pilih wilayah di bawah grafik.</p>
{_chart("tren", "Tren cakupan bulanan")}
<h3>Wilayah yang sesuai jalur target</h3>{_on_track_table(data)}</section>
<section id="tindakan"><h2>Di mana bertindak</h2>
<h3>Sektor dengan kekurangan pekerja terbanyak menuju target</h3>
{_chart("kekurangan-sektor", "Kekurangan pekerja per sektor")}
<h3>Kabupaten/kota × sektor dengan kekurangan terbanyak</h3>{_cells_table(data)}
<h3>Biaya per pekerja dibiayai dibanding iuran setahun {_e(idn.rupiah(data.annual_premium_idr))}</h3>
<p class="note">Di bawah {_e(idn.percent(COST_TOO_CHEAP, 0))} iuran setahun terlalu murah untuk perlindungan
setahun penuh; di atas {_e(idn.percent(COST_TOO_DEAR, 0))} terlalu mahal.</p>
{_chart("biaya-per-pekerja", "Biaya per pekerja dibiayai per baris anggaran")}
{_budget_flags(data)}
<h3>Realisasi terhadap pagu per pemerintah daerah</h3>
{_chart("realisasi", "Pagu dan realisasi per pemerintah daerah")}</section>
<section id="mutu"><h2>Mutu data</h2>{_quality(data)}</section>
</main>
<footer><p>Batas wilayah: cahyadsn/wilayah_boundaries (MIT, © Cahya DSN), garis kasar untuk peta, bukan batas
resmi. Iuran JKK+JKM pekerja bukan penerima upah {_e(idn.rupiah(data.annual_premium_idr / 12))} per bulan.</p></footer>
<script>{vega_scripts()}</script>
<script id="cakupan-charts" type="application/json">{payload}</script>
<script>
(function () {{
  var conf = JSON.parse(document.getElementById("cakupan-charts").textContent);
  window.cakupanCharts = {{}};
  window.cakupanChartsReady = Promise.all(Object.keys(conf.specs).map(function (id) {{
    return vegaEmbed("#" + id, conf.specs[id], conf.options).then(function (result) {{
      window.cakupanCharts[id] = result.view;
    }});
  }}));
}})();
</script>
</body></html>
"""
