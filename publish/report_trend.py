"""Coverage over time: the month-end coverage of the province or of one regency (a selector), the least-squares
projection to December, and the target."""

import datetime as dt

import altair as alt

from publish import indonesian as idn
from publish.report_charts import Spec, as_float, rows, spec
from publish.report_data import ReportData


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
        name = names.get(proj["regency_code"], proj["regency_name"])
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
    target = as_float(data.province["target_rate"]) if data.province else None
    province = data.province_name
    options = [province, *sorted(n for n in names.values() if n != province)]
    area = alt.param(name="wilayah", value=province, bind=alt.binding_select(options=options, name="Wilayah "))
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"))
    y = alt.Y("coverage_rate:Q", title="Cakupan", axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False))
    actual = (
        alt.Chart(rows("months"))
        .transform_filter(alt.datum.area_name == area)
        .mark_line(point=True, color="#1F4E79")
        .encode(x=x, y=y, tooltip=[alt.Tooltip(f"{n}:N", title=n) for n in ("Bulan", "Cakupan", "Terlindungi")])
    )
    projected = (
        alt.Chart(rows("projections"))
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
    return spec(
        alt.layer(*layers).add_params(area).properties(width="container", height=300),
        months=points,
        projections=projections,
    )
