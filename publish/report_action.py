"""Where to act: the workers each sector still needs to reach the target, what each budget line paid per funded
worker against a year's premium, and realisation against pagu by owner."""

import altair as alt

from publish import indonesian as idn
from publish.report_charts import FIT_WIDTH, Spec, as_float, rows, spec
from publish.report_data import COST_TOO_CHEAP, COST_TOO_DEAR, ReportData


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
    return spec(
        alt.Chart(rows("sectors"))
        .mark_bar(color="#2E75B6")
        .encode(
            x=alt.X("workers_to_target:Q", title="Pekerja menuju target", axis=alt.Axis(format=",d")),
            y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
            tooltip=[alt.Tooltip("sector_label:N", title="Sektor")]
            + [alt.Tooltip(f"{n}:N", title=n) for n in ("Kekurangan", "Iuran setahun", "Cakupan")],
        )
        .properties(width="container", height=alt.Step(22), autosize=FIT_WIDTH),
        sectors=bars,
    )


def budget_line_label(line: dict) -> str:
    return f"{line['owner_name']} – {line['sector_label']} {line['fiscal_year']}"


def cost_per_worker(data: ReportData) -> Spec:
    """What each budget line paid per funded worker, against what a year of cover costs (the marts' premium)."""
    premium = data.annual_premium_idr
    dots = []
    for line in data.budget_lines:
        cost = as_float(line["cost_per_funded_worker_idr"])
        if cost is None:
            continue
        ratio = cost / premium
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
        alt.Chart(rows("budget_lines"))
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
        alt.Chart(alt.Data(values=[{"premium": premium, "Iuran setahun": idn.rupiah(premium)}]))
        .mark_rule(color="#1F4E79", strokeDash=[4, 3], size=2)
        .encode(x="premium:Q", tooltip=alt.Tooltip("Iuran setahun:N"))
    )
    return spec(
        (points + premium).properties(width="container", height=alt.Step(16), autosize=FIT_WIDTH), budget_lines=dots
    )


def realization_by_owner(data: ReportData) -> Spec:
    """Pagu against realisation for each owner (province or regency), per fiscal year."""
    bars = []
    for owner in data.owners:
        for kind, value in (("Pagu", owner["pagu_idr"]), ("Realisasi", owner["realisasi_idr"])):
            bars.append(
                {
                    "owner": f"{owner['owner_name']} {owner['fiscal_year']}",
                    "kind": kind,
                    "value": as_float(value),
                    "Pagu": idn.rupiah(owner["pagu_idr"]),
                    "Realisasi": idn.rupiah(owner["realisasi_idr"]),
                    "Tingkat realisasi": idn.percent(owner["realization_rate"]),
                }
            )
    return spec(
        alt.Chart(rows("owners"))
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
        .properties(width="container", height=alt.Step(18), autosize=FIT_WIDTH),
        owners=bars,
    )
