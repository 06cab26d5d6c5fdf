"""Coverage by place: the province's regencies on a map (where the project ships their boundaries: Maluku's) and the 121 regency × sector cells, each coloured by its coverage
against the target on a scale readers with any colour vision tell apart (orange below the target, blue at or above
it, paler nearer to it), with the numbers in the cells and in the tooltips."""

import json
from functools import cache
from pathlib import Path
from typing import Literal

import altair as alt

from publish import indonesian as idn
from publish.report_charts import Spec, as_float, rows, spec
from publish.report_data import ReportData

ASSETS = Path(__file__).parent / "assets"
# The provinces whose regency boundaries the project ships (publish/assets/NOTICE.md), by Kemendagri code. Another
# province's report says its map is missing rather than drawing a wrong one.
BOUNDARIES = {"81": ASSETS / "maluku_regencies.geojson"}
# A place or cell without eligible workers has no rate: drawn grey, never left out.
NO_RATE_COLOUR = {"color": {"value": "#d9d9d9"}}
# Diverging about the target, blue and orange (reversed: orange under the target): safe for red-green colour
# blindness, unlike the red-yellow-green it replaces.
COVERAGE_SCHEME: Literal["blueorange"] = "blueorange"
# Where the scale is dark enough that a cell's number reads better in white than in near-black (by the WCAG
# contrast of each colour stop of the schemes): the blue end from 87% of the way, the orange end within its last 7%;
# on the plain blue scale (no target), from a rate of 70%.
WHITE_FROM_BLUE, WHITE_UNTIL_ORANGE, WHITE_FROM_PLAIN = 0.87, 0.07, 0.7


def _rate_scale(target: float | None) -> alt.Scale:
    """Symmetric about the target (twice the target is as blue as zero is orange), so the colour says how far from
    the target a place is; without a target, a plain blue scale from 0 to 100%."""
    if not target:
        return alt.Scale(scheme="blues", domain=[0, 1])
    return alt.Scale(scheme=COVERAGE_SCHEME, reverse=True, domain=[0, 2 * target], domainMid=target, clamp=True)


def _on_dark(rate: float | None, target: float | None) -> bool:
    """Whether a cell's colour is dark enough that its number is written in white."""
    if rate is None:
        return False
    if not target:
        return rate >= WHITE_FROM_PLAIN
    position = min(max(rate / (2 * target), 0.0), 1.0)
    return position >= WHITE_FROM_BLUE or position <= WHITE_UNTIL_ORANGE


def _clockwise(ring: list) -> list:
    """The geojson's outer rings are counter-clockwise (RFC 7946); Vega's d3-geo takes such a ring for the whole
    globe minus the island, so each ring is reversed before it goes into the page."""
    return list(reversed(ring))


def has_boundaries(province_code: str) -> bool:
    return province_code in BOUNDARIES


@cache
def regency_shapes(province_code: str) -> dict[str, dict]:
    """The boundary of each regency by its Kemendagri code (publish/assets, MIT: see NOTICE.md there)."""
    shapes = {}
    for feature in json.loads(BOUNDARIES[province_code].read_text())["features"]:
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


def coverage_map(data: ReportData, province_code: str) -> Spec:
    """The province's regencies coloured by coverage against the target; hover for the numbers."""
    target = as_float(data.province["target_rate"]) if data.province else None
    shapes = regency_shapes(province_code)
    missing = [f"{r['regency_code']} ({r['regency_name']})" for r in data.regencies if r["regency_code"] not in shapes]
    if missing:
        raise ValueError(
            f"{BOUNDARIES[province_code]} has no boundary for {', '.join(missing)}: expected a feature for every regency"
        )
    features = [
        {
            "type": "Feature",
            "geometry": shapes[r["regency_code"]],
            "properties": {
                "regency_name": r["regency_name"],
                "coverage_rate": as_float(r["coverage_rate"]),
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
        alt.Chart(rows("regencies", alt.DataFormat(type="json")))
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
    return spec(chart, regencies=features)


def sector_heatmap(data: ReportData) -> Spec:
    """All 121 regency × sector cells, coloured by coverage rate with the rate written in each; hover for covered /
    eligible / to target."""
    target = as_float(data.province["target_rate"]) if data.province else None
    cells = [
        {
            "regency_name": c["regency_name"],
            "sector_label": c["sector_label"],
            "sort_order": c["sort_order"],
            "coverage_rate": as_float(c["coverage_rate"]),
            "label": idn.percent(c["coverage_rate"], 0),
            "on_dark": _on_dark(as_float(c["coverage_rate"]), target),
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
    base = alt.Chart(rows("cells")).encode(
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
    text = base.mark_text(fontSize=10).encode(
        text="label:N",
        color=alt.when(alt.datum.on_dark).then(alt.value("#ffffff")).otherwise(alt.value("#1a1a1a")),
        tooltip=tooltip,
        description=alt.Description("description:N"),
    )
    chart = (rects + text).properties(width=alt.Step(62), height=alt.Step(26))
    return spec(chart.configure_scale(invalid=NO_RATE_COLOUR), cells=cells)
