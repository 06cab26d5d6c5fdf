"""The report's charts as Vega-Lite specifications, made with Altair.

Why Vega-Lite through Altair: the charts are declared (data, marks, encodings) rather than drawn, so one spec gives
hover tooltips, a regency selector and a map without any hand-written JavaScript; Vega draws them as SVG, which a
browser test can inspect and Chromium prints sharply into the PDF; and `vl-convert-python` ships the Vega, Vega-Lite
and vega-embed scripts as one bundle inside its wheel, so the page inlines them and works offline with nothing
fetched. Every number a reader sees in a tooltip is formatted here in Indonesian, not left to the browser.
"""

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

import altair as alt

from publish import indonesian as idn
from publish.report_data import COST_TOO_CHEAP, COST_TOO_DEAR, PREMIUM_PER_YEAR_IDR, PROVINCE_NAME, ReportData

Spec = dict[str, Any]
# Charts as wide as the page (phones included) but as tall as their rows need.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
GEOJSON = Path(__file__).parent / "assets" / "maluku_regencies.geojson"
# A place or cell without eligible workers has no rate: drawn grey, never left out.
NO_RATE_COLOUR = {"color": {"value": "#d9d9d9"}}
# Red under the target, green at or above it; the target sits at the scale's middle.
COVERAGE_SCHEME: Literal["redyellowgreen"] = "redyellowgreen"


def _rate_scale(target: float | None) -> alt.Scale:
    """Symmetric about the target (twice the target is as green as zero is red), so the colour says how far from
    the target a place is."""
    if target is None:
        return alt.Scale(scheme=COVERAGE_SCHEME, domain=[0, 1])
    return alt.Scale(scheme=COVERAGE_SCHEME, domain=[0, 2 * target], domainMid=target, clamp=True)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _clockwise(ring: list) -> list:
    """The geojson's outer rings are counter-clockwise (RFC 7946); Vega's d3-geo takes such a ring for the whole
    globe minus the island, so each ring is reversed before it goes into the page."""
    return list(reversed(ring))


@cache
def regency_shapes() -> dict[str, dict]:
    """The boundary of each regency by its Kemendagri code (publish/assets, MIT: see NOTICE.md there)."""
    shapes = {}
    for feature in json.loads(GEOJSON.read_text())["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        shapes[feature["properties"]["regency_code"]] = {
            "type": "MultiPolygon",
            "coordinates": [[_clockwise(ring) for ring in polygon] for polygon in polygons],
        }
    return shapes


def describe(place: str, measures: dict) -> str:
    """What a screen reader says for a region or a cell (Vega puts it in the mark's aria-label)."""
    return (
        f"{place}: cakupan {idn.percent(measures['coverage_rate'])} (target {idn.percent(measures['target_rate'])}), "
        f"{idn.number(measures['covered_workers'])} terlindungi dari {idn.number(measures['eligible_workers'])}, "
        f"kurang {idn.number(measures['workers_to_target'])} pekerja"
    )


def coverage_map(data: ReportData) -> Spec:
    """Maluku's 11 regencies coloured by coverage against the target; hover for the numbers."""
    target = _float(data.province["target_rate"]) if data.province else None
    shapes = regency_shapes()
    missing = [f"{r['regency_code']} ({r['regency_name']})" for r in data.regencies if r["regency_code"] not in shapes]
    if missing:
        raise ValueError(f"{GEOJSON} has no boundary for {', '.join(missing)}: expected a feature for every regency")
    features = [
        {
            "type": "Feature",
            "geometry": shapes[r["regency_code"]],
            "properties": {
                "regency_name": r["regency_name"],
                "coverage_rate": _float(r["coverage_rate"]),
                "description": describe(r["regency_name"], r),
                "Cakupan": idn.percent(r["coverage_rate"]),
                "Target": idn.percent(r["target_rate"]),
                "Terlindungi": idn.number(r["covered_workers"]),
                "Potensial": idn.number(r["eligible_workers"]),
                "Kekurangan menuju target": idn.number(r["workers_to_target"]) + " pekerja",
                "Iuran menuju target": idn.rupiah(r["premium_to_target_idr"]),
            },
        }
        for r in data.regencies
    ]
    tooltip = [alt.Tooltip("properties.regency_name:N", title="Kabupaten/kota")] + [
        alt.Tooltip(f"properties.{name}:N", title=name)
        for name in ("Cakupan", "Target", "Terlindungi", "Potensial", "Kekurangan menuju target", "Iuran menuju target")
    ]
    chart = (
        alt.Chart(alt.Data(values=features, format=alt.DataFormat(type="json")))
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.6, invalid="show")
        .encode(
            color=alt.Color(
                "properties.coverage_rate:Q",
                title="Cakupan",
                scale=_rate_scale(target),
                legend=alt.Legend(format=".0%", orient="bottom", gradientLength=220),
            ),
            tooltip=tooltip,
            description=alt.Description("properties.description:N"),
        )
        .project(type="mercator")
        .properties(width="container", height=380)
        .configure_scale(invalid=NO_RATE_COLOUR)
    )
    return chart.to_dict()


def sector_heatmap(data: ReportData) -> Spec:
    """All 121 regency × sector cells, coloured by coverage rate; hover for covered / eligible / to target."""
    target = _float(data.province["target_rate"]) if data.province else None
    cells = [
        {
            "regency_name": c["regency_name"],
            "sector_label": c["sector_label"],
            "sort_order": c["sort_order"],
            "coverage_rate": _float(c["coverage_rate"]),
            "label": idn.percent(c["coverage_rate"], 0),
            "description": describe(f"{c['regency_name']}, {c['sector_label']}", c),
            "Cakupan": idn.percent(c["coverage_rate"]),
            "Terlindungi": idn.number(c["covered_workers"]),
            "Potensial": idn.number(c["eligible_workers"]),
            "Kekurangan menuju target": idn.number(c["workers_to_target"]) + " pekerja",
            "Iuran menuju target": idn.rupiah(c["premium_to_target_idr"]),
        }
        for c in data.cells
    ]
    sector_order = [s["sector_label"] for s in sorted(data.sectors, key=lambda s: s["sort_order"])]
    regency_order = [r["regency_name"] for r in data.regencies]
    base = alt.Chart(alt.Data(values=cells)).encode(
        x=alt.X("sector_label:N", title=None, sort=sector_order, axis=alt.Axis(labelAngle=-40, labelLimit=160)),
        y=alt.Y("regency_name:N", title=None, sort=regency_order, axis=alt.Axis(labelLimit=220)),
    )
    tooltip = [
        alt.Tooltip("regency_name:N", title="Kabupaten/kota"),
        alt.Tooltip("sector_label:N", title="Sektor"),
        *(
            alt.Tooltip(f"{name}:N", title=name)
            for name in ("Cakupan", "Terlindungi", "Potensial", "Kekurangan menuju target", "Iuran menuju target")
        ),
    ]
    rects = base.mark_rect(stroke="#ffffff", strokeWidth=1, invalid="show").encode(
        color=alt.Color("coverage_rate:Q", title="Cakupan", scale=_rate_scale(target), legend=alt.Legend(format=".0%")),
        tooltip=tooltip,
        description=alt.Description("description:N"),
    )
    text = base.mark_text(fontSize=10, color="#1a1a1a").encode(
        text="label:N", tooltip=tooltip, description=alt.Description("description:N")
    )
    chart = (rects + text).properties(width=alt.Step(62), height=alt.Step(26))
    return chart.configure_scale(invalid=NO_RATE_COLOUR).to_dict()


def coverage_trend(data: ReportData) -> Spec:
    """Month-end coverage for the province or one regency (a selector), the projection to December and the target."""
    points = [
        {
            "area_name": p["area_name"],
            "month": p["month"].isoformat(),
            "coverage_rate": p["coverage_rate"],
            "Bulan": idn.month(p["month"]),
            "Cakupan": idn.percent(p["coverage_rate"]),
            "Terlindungi": idn.number(p["covered_workers"]),
        }
        for p in data.trend
        if p["coverage_rate"] is not None
    ]
    names = {p["area_code"]: p["area_name"] for p in data.trend}
    last = {p["area_name"]: p for p in points}  # ordered by month: the last point of each area
    projections = []
    for proj in data.projections:
        name = names.get(proj["regency_code"], proj["regency_name"] or PROVINCE_NAME)
        if proj["projected_year_end_rate"] is None or name not in last or data.as_of is None:
            continue
        december = dt.date(data.as_of.year, 12, 1).isoformat()
        for month, rate in (
            (last[name]["month"], last[name]["coverage_rate"]),
            (december, proj["projected_year_end_rate"]),
        ):
            projections.append(
                {
                    "area_name": name,
                    "month": month,
                    "coverage_rate": rate,
                    "Proyeksi Desember": idn.percent(proj["projected_year_end_rate"]),
                    "Sesuai jalur target": "ya" if proj["on_track"] else "tidak",
                }
            )
    target = _float(data.province["target_rate"]) if data.province else None
    options = [PROVINCE_NAME, *sorted(n for n in names.values() if n != PROVINCE_NAME)]
    area = alt.param(name="wilayah", value=PROVINCE_NAME, bind=alt.binding_select(options=options, name="Wilayah "))
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"))
    y = alt.Y("coverage_rate:Q", title="Cakupan", axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False))
    actual = (
        alt.Chart(alt.Data(values=points))
        .transform_filter(alt.datum.area_name == area)
        .mark_line(point=True, color="#1F4E79")
        .encode(x=x, y=y, tooltip=[alt.Tooltip(f"{n}:N", title=n) for n in ("Bulan", "Cakupan", "Terlindungi")])
    )
    projected = (
        alt.Chart(alt.Data(values=projections))
        .transform_filter(alt.datum.area_name == area)
        .mark_line(strokeDash=[5, 4], color="#1F4E79", point=alt.OverlayMarkDef(shape="diamond", filled=False))
        .encode(
            x=x, y=y, tooltip=[alt.Tooltip(f"{n}:N", title=n) for n in ("Proyeksi Desember", "Sesuai jalur target")]
        )
    )
    layers = [actual, projected]
    if target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"target": target, "Target": idn.percent(target)}]))
            .mark_rule(color="#C00000", strokeDash=[2, 2], size=2)
            .encode(y="target:Q", tooltip=alt.Tooltip("Target:N"))
        )
    return alt.layer(*layers).add_params(area).properties(width="container", height=300).to_dict()


def sectors_to_target(data: ReportData) -> Spec:
    """Workers each sector still needs to reach the target, with what covering them costs."""
    bars = [
        {
            "sector_label": s["sector_label"],
            "workers_to_target": s["workers_to_target"] or 0,
            "Kekurangan": idn.number(s["workers_to_target"]) + " pekerja",
            "Iuran setahun": idn.rupiah(s["premium_to_target_idr"]),
            "Cakupan": idn.percent(s["coverage_rate"]),
        }
        for s in data.sectors
    ]
    return (
        alt.Chart(alt.Data(values=bars))
        .mark_bar(color="#2E75B6")
        .encode(
            x=alt.X("workers_to_target:Q", title="Pekerja menuju target", axis=alt.Axis(format=",d")),
            y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
            tooltip=[alt.Tooltip("sector_label:N", title="Sektor")]
            + [alt.Tooltip(f"{n}:N", title=n) for n in ("Kekurangan", "Iuran setahun", "Cakupan")],
        )
        .properties(width="container", height=alt.Step(22), autosize=FIT_WIDTH)
        .to_dict()
    )


def budget_line_label(line: dict) -> str:
    return f"{line['owner_name']} – {line['sector_label']} {line['fiscal_year']}"


def cost_per_worker(data: ReportData) -> Spec:
    """What each budget line paid per funded worker, against the Rp201.600 a year of cover costs."""
    dots = []
    for line in data.budget_lines:
        cost = _float(line["cost_per_funded_worker_idr"])
        if cost is None:
            continue
        ratio = cost / PREMIUM_PER_YEAR_IDR
        verdict = "terlalu murah" if ratio < COST_TOO_CHEAP else ("terlalu mahal" if ratio > COST_TOO_DEAR else "wajar")
        dots.append(
            {
                "line": budget_line_label(line),
                "cost": cost,
                "verdict": verdict,
                "Biaya per pekerja": idn.rupiah(cost),
                "Realisasi": idn.rupiah(line["realisasi_idr"]),
                "Pekerja dibiayai": idn.number(line["funded_covered_workers"]),
            }
        )
    colours = alt.Scale(domain=["terlalu murah", "wajar", "terlalu mahal"], range=["#C55A11", "#548235", "#C00000"])
    points = (
        alt.Chart(alt.Data(values=dots))
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("cost:Q", title="Biaya per pekerja dibiayai (Rp)", axis=alt.Axis(format=",.0f")),
            y=alt.Y(
                "line:N",
                title=None,
                sort=alt.EncodingSortField("cost", order="descending"),
                axis=alt.Axis(labelLimit=320),
            ),
            color=alt.Color("verdict:N", title=None, scale=colours, legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("line:N", title="Baris anggaran")]
            + [alt.Tooltip(f"{n}:N", title=n) for n in ("Biaya per pekerja", "Realisasi", "Pekerja dibiayai")],
        )
    )
    premium = (
        alt.Chart(
            alt.Data(values=[{"premium": PREMIUM_PER_YEAR_IDR, "Iuran setahun": idn.rupiah(PREMIUM_PER_YEAR_IDR)}])
        )
        .mark_rule(color="#1F4E79", strokeDash=[4, 3], size=2)
        .encode(x="premium:Q", tooltip=alt.Tooltip("Iuran setahun:N"))
    )
    return (points + premium).properties(width="container", height=alt.Step(16), autosize=FIT_WIDTH).to_dict()


def realization_by_owner(data: ReportData) -> Spec:
    """Pagu against realisation for each owner (province or regency), per fiscal year."""
    bars = []
    for owner in data.owners:
        for kind, value in (("Pagu", owner["pagu_idr"]), ("Realisasi", owner["realisasi_idr"])):
            bars.append(
                {
                    "owner": f"{owner['owner_name']} {owner['fiscal_year']}",
                    "kind": kind,
                    "value": _float(value),
                    "Pagu": idn.rupiah(owner["pagu_idr"]),
                    "Realisasi": idn.rupiah(owner["realisasi_idr"]),
                    "Tingkat realisasi": idn.percent(owner["realization_rate"]),
                }
            )
    return (
        alt.Chart(alt.Data(values=bars))
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Rupiah", stack=None, axis=alt.Axis(format="$,.0f")),
            y=alt.Y("owner:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Pagu", "Realisasi"], range=["#BDD7EE", "#1F4E79"]),
                legend=alt.Legend(orient="top"),
            ),
            opacity=alt.value(1),
            tooltip=[alt.Tooltip("owner:N", title="Pemerintah daerah")]
            + [alt.Tooltip(f"{n}:N", title=n) for n in ("Pagu", "Realisasi", "Tingkat realisasi")],
        )
        .properties(width="container", height=alt.Step(18), autosize=FIT_WIDTH)
        .to_dict()
    )
