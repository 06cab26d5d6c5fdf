"""The results as one table, the ratios between cases, the performance issues' goals met or not, the
extrapolation to the country, and the same as JSON and Markdown files.

Goals (evaluated at whatever sizes were run, each labelled with its sizes):
- ingest: the project's full-spec ingest ≤ 1.5 × DuckDB's typed bare load of a uniform CSV, and ≤ 1.25 ×
  the baseline of the mixed CSV, at every size (the issues: 1M and 10M rows); peak RSS of the mixed
  ingest at the largest size ≤ 1.5 × at the smallest and ≤ 1.5 GiB;
- XLSX: the project's ingest ≤ 1.5 × a bare `polars.read_excel` (wall time);
- a national delta, each row its own person: (N3 − N2) ≤ 3 × N1, N3's process tree ≤ 2 GiB
  (benchmarks.national, at DuckDB's memory limit of that run);
- small deltas, at ×1: (4₀) one late row − (5) nothing new ≤ 5 s;
- the ladder's top rung ×S against ×1: (3) ≤ S^1.05 × (3) at ×1; (4) − (4₀) ≤ 5% of (3); the peak of every
  rung ≤ 3 GiB;
- the country, extrapolated from the ladder: a full refresh of 61M memberships ≤ 15 minutes and a daily 1%
  delta ≤ 60 s on this machine.
"""

import json
import math
from pathlib import Path

from benchmarks.ingest_cases import size_label
from benchmarks.machine import one_line
from benchmarks.measure import Measurement

RSS_LIMIT_MIB = 1.5 * 1024
NATIONAL_MEMBERSHIPS = 61_000_000


def _sizes(results: dict[str, Measurement], prefix: str) -> list[int]:
    return sorted(int(key.rsplit("_", 1)[1]) for key in results if key.startswith(prefix))


def _scales(results: dict[str, Measurement]) -> list[int]:
    return sorted({int(key[1:].split("_", 1)[0]) for key in results if key.startswith("x") and key.endswith("_full")})


def _goal(text: str, value: float, limit: float) -> dict:
    return {"goal": text, "value": round(value, 3), "limit": limit, "met": value <= limit}


def ratios_and_goals(
    results: dict[str, Measurement], failed_rungs: tuple[str, ...] = ()
) -> tuple[list[dict], list[dict]]:
    ratios: list[dict] = []
    goals: list[dict] = []

    def pair(name: str, num: Measurement, den: Measurement) -> float:
        wall = num.wall_s / den.wall_s
        ratios.append(
            {
                "ratio": name,
                "wall": round(wall, 2),
                "cpu": round(num.cpu_s / den.cpu_s, 2),
                "peak_rss": round(num.peak_rss_mb / den.peak_rss_mb, 2),
            }
        )
        return wall

    for kind, limit in (("uniform", 1.5), ("mixed", 1.25)):
        sizes = _sizes(results, f"csv_{kind}_project_")
        for rows in sizes:
            label = f"{kind} CSV {size_label(rows)}"
            num, den = results[f"csv_{kind}_project_{rows}"], results[f"csv_{kind}_baseline_{rows}"]
            goals.append(_goal(f"(2)/(1) wall time, {label} ≤ {limit}", pair(f"(2)/(1) {label}", num, den), limit))
        if kind == "mixed" and sizes:
            small, large = (results[f"csv_mixed_project_{r}"].peak_rss_mb for r in (sizes[0], sizes[-1]))
            if len(sizes) > 1:
                text = f"peak RSS of (2), mixed CSV {size_label(sizes[-1])} ≤ 1.5 × at {size_label(sizes[0])}"
                goals.append(_goal(text, large / small, 1.5))
            goals.append(_goal(f"peak RSS of (2), mixed CSV {size_label(sizes[-1])} ≤ 1,536 MiB", large, RSS_LIMIT_MIB))
    for rows in _sizes(results, "xlsx_project_"):
        label = size_label(rows)
        num, den = results[f"xlsx_project_{rows}"], results[f"xlsx_baseline_{rows}"]
        wall = pair(f"project / bare read_excel, XLSX {label}", num, den)
        goals.append(_goal(f"XLSX {label}: project ingest ≤ 1.5 × bare read_excel (wall)", wall, 1.5))
    if "national_delta" in results:
        bare, nothing, delta = (results[f"national_{k}"] for k in ("bare", "nothing", "delta"))
        cost = (delta.wall_s - nothing.wall_s) / bare.wall_s
        ratios.append({"ratio": "national delta: (N3 − N2) / N1", "wall": round(cost, 2)})
        goals.append(_goal("national delta: (N3 − N2) ≤ 3 × N1 (wall)", cost, 3.0))
        goals.append(_goal("national delta: N3's process tree ≤ 2,048 MiB", delta.peak_rss_mb, 2048.0))
    scales = _scales(results)
    for failed in failed_rungs:  # a ladder rung (`x16`) or the national delta (`national`) that failed
        goals.append(_goal(f"{failed.replace('x', '×')}: every refresh succeeds", 1.0, 0.0))
    if 1 in scales:
        t40, t5 = results["x1_one_row"].wall_s, results["x1_nothing"].wall_s
        goals.append(_goal("×1: (4₀) one late row − (5) nothing new ≤ 5 s", t40 - t5, 5.0))
    if len(scales) > 1 and scales[0] == 1:
        top = scales[-1]
        full1, full = results["x1_full"].wall_s, results[f"x{top}_full"].wall_s
        limit = top**1.05
        ratios.append({"ratio": f"(3) at ×{top} / (3) at ×1", "wall": round(full / full1, 2)})
        goals.append(_goal(f"×{top}: (3) full refresh ≤ {top}^1.05 = {limit:.1f} × (3) at ×1", full / full1, limit))
        beyond = (results[f"x{top}_delta"].wall_s - results[f"x{top}_one_row"].wall_s) / full
        ratios.append({"ratio": f"×{top}: ((4) − (4₀)) / (3)", "wall": round(beyond, 3)})
        goals.append(_goal(f"×{top}: (4) 1% delta − (4₀) one row ≤ 5% of (3)", beyond, 0.05))
    for scale in scales:
        peak = max(results[f"x{scale}_{k}"].peak_rss_mb for k in ("full", "one_row", "delta", "nothing"))
        goals.append(_goal(f"×{scale}: peak RSS of any refresh ≤ 3,072 MiB", peak, 3072.0))
    if "provinces_all" in results:  # (6), benchmarks.provinces: measured, not a goal of its own
        pair(
            "(6) 16 provinces on the lake, 2 at once / ×16 in one DuckDB file",
            *(results[k] for k in ("provinces_all", "provinces_one_file")),
        )
        slowest = max(
            (m for k, m in results.items() if k.startswith("provinces_") and k[10:].isdigit()), key=lambda m: m.wall_s
        )
        pair("(6) slowest province on the lake / ×16 in one DuckDB file", slowest, results["provinces_one_file"])
    return ratios, goals


def country_goals(extrapolated: dict | None) -> list[dict]:
    """The country's goals, on the extrapolation (labelled so): 61M memberships' full refresh ≤ 15 minutes and
    a daily 1% delta ≤ 60 s on this machine."""
    if not extrapolated:
        return []
    full, delta = extrapolated["full_refresh"]["s_here"], extrapolated["daily_1pct_delta"]["s_here"]
    return [
        _goal("EXTRAPOLATED 61M memberships: full refresh ≤ 900 s here", full, 900.0),
        _goal("EXTRAPOLATED 61M memberships: daily 1% delta ≤ 60 s here", delta, 60.0),
    ]


def _fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares of log t = log a + b log m over (m, t): the power law t = a·m^b."""
    xs, ys = [math.log(m) for m, _ in points], [math.log(t) for _, t in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    return math.exp(mean_y - b * mean_x), b


def extrapolation(results: dict[str, Measurement], facts: dict, cores: int) -> dict | None:
    """The country (61M memberships), fitted from the ladder: a full refresh, a daily 1% delta and the
    warehouse's size, here and on a 16-core machine. Labelled extrapolation wherever it is shown.

    Each refresh is its fixed cost (5) (process start, plan, dbt's per-node Python: does not grow) plus a
    part that grows with the history; that part is fitted as a power law of the memberships over the
    rungs. On 16 cores the growing part, DuckDB's SQL and the ingest's parsing, is divided by 16/cores
    (both use every core they are given); the fixed part is not.
    """
    rungs = (facts.get("refresh") or {}).get("rungs") or {}
    scales = _scales(results)
    if len(scales) < 2 or any(f"x{s}" not in rungs for s in scales):
        return None
    out: dict = {"memberships": NATIONAL_MEMBERSHIPS, "fitted_from": [f"×{s}" for s in scales]}
    fixed = results[f"x{scales[-1]}_nothing"].wall_s
    for name, case in (("full_refresh", "full"), ("daily_1pct_delta", "delta")):
        points = [
            (rungs[f"x{s}"]["memberships"], max(results[f"x{s}_{case}"].wall_s - results[f"x{s}_nothing"].wall_s, 0.1))
            for s in scales
        ]
        a, b = _fit(points)
        growing = a * NATIONAL_MEMBERSHIPS**b
        # How much the answer leans on the small rungs: the slope of the two largest alone, where the fixed costs
        # hidden in the growing part (dbt's per-node work, publishing) weigh least.
        a2, b2 = _fit(points[-2:])
        out[name] = {
            "exponent": round(b, 3),
            "s_here": round(fixed + growing),
            "s_16_cores": round(fixed + growing * cores / 16),
            "exponent_two_largest": round(b2, 3),
            "s_here_two_largest": round(fixed + a2 * NATIONAL_MEMBERSHIPS**b2),
        }
    per_membership = rungs[f"x{scales[-1]}"]["bytes_per_membership"]
    out["warehouse_gib"] = round(per_membership * NATIONAL_MEMBERSHIPS / 2**30, 1)
    peaks = {s: max(results[f"x{s}_{k}"].peak_rss_mb for k in ("full", "delta")) for s in scales}
    out["peak_rss_mib_by_scale"] = {f"×{s}": round(p) for s, p in peaks.items()}
    return out


def _cells(m: Measurement) -> list[str]:
    rows = f"{m.rows:,}" if m.rows is not None else "–"
    rate = f"{m.rows_per_s:,.0f}" if m.rows_per_s else "–"
    return [m.case, rows, f"{m.wall_s:.2f}", f"{m.cpu_s:.2f}", f"{m.peak_rss_mb:,.0f}", rate]


HEADER = ["case", "rows", "wall s", "cpu s", "peak MiB", "rows/s"]


def _rung_lines(facts: dict) -> list[str]:
    rungs = (facts.get("refresh") or {}).get("rungs") or {}
    lines = []
    for name, r in rungs.items():
        lines.append(
            f"{name}: {r['memberships']:,} memberships, {r['states']:,} states, {r['spells']:,} spells, "
            f"warehouse {r['warehouse_bytes'] / 2**20:,.0f} MiB = {r['bytes_per_membership']:,.0f} B per membership"
        )
    return lines


def _extrapolation_lines(e: dict | None) -> list[str]:
    if not e:
        return []
    full, delta = e["full_refresh"], e["daily_1pct_delta"]
    return [
        f"EXTRAPOLATION to {e['memberships']:,} memberships (power law fitted to {', '.join(e['fitted_from'])}):",
        f"  full refresh ≈ {full['s_here'] / 60:,.1f} min here, ≈ {full['s_16_cores'] / 60:,.1f} min on 16 cores "
        f"(growing part ∝ m^{full['exponent']}; on the two largest rungs' slope, m^{full['exponent_two_largest']}: "
        f"{full['s_here_two_largest'] / 60:,.1f} min here)",
        f"  daily 1% delta ≈ {delta['s_here'] / 60:,.1f} min here, ≈ {delta['s_16_cores'] / 60:,.1f} min on 16 cores "
        f"(growing part ∝ m^{delta['exponent']}; on the two largest rungs' slope, m^{delta['exponent_two_largest']}: "
        f"{delta['s_here_two_largest'] / 60:,.1f} min here)",
        f"  warehouse on disk ≈ {e['warehouse_gib']:,.1f} GiB; peak RSS by rung (MiB): {e['peak_rss_mib_by_scale']}",
    ]


def text(
    results: dict[str, Measurement], ratios: list[dict], goals: list[dict], machine: dict, facts: dict | None = None
) -> str:
    table = [HEADER] + [_cells(m) for m in results.values()]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False)))
        for row in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for r in ratios:
        extra = "".join(f", {k.replace('_', ' ')} {r[k]:.2f}" for k in ("cpu", "peak_rss") if k in r)
        lines.append(f"{r['ratio']}: wall {r['wall']:.2f}{extra}")
    lines.append("")
    for g in goals:
        lines.append(f"{'met    ' if g['met'] else 'NOT MET'}  {g['goal']} (measured {g['value']:,.2f})")
    facts = facts or {}
    lines += ["", *_rung_lines(facts), *_extrapolation_lines(facts.get("extrapolation"))]
    lines += ["", f"machine: {one_line(machine)}"]
    return "\n".join(lines)


def markdown(results: dict[str, Measurement], ratios: list[dict], goals: list[dict], machine: dict, facts: dict) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(_cells(m)) + " |" for m in results.values()]
    lines += ["", "| ratio | wall | CPU | peak RSS |", "|---|---|---|---|"]
    lines += [f"| {r['ratio']} | {r['wall']:.2f} | {r.get('cpu', '')} | {r.get('peak_rss', '')} |" for r in ratios]
    lines += ["", "| goal | measured | |", "|---|---|---|"]
    lines += [f"| {g['goal']} | {g['value']:,.2f} | {'met' if g['met'] else '**not met**'} |" for g in goals]
    rungs = _rung_lines(facts)
    if rungs:
        lines += ["", *(f"- {line}" for line in rungs)]
    extrapolated = _extrapolation_lines(facts.get("extrapolation"))
    if extrapolated:
        lines += ["", extrapolated[0], "", *(f"- {line.strip()}" for line in extrapolated[1:])]
    lines += ["", f"Machine: {one_line(machine)}.", f"Measured {facts['measured_at']}."]
    return "\n".join(lines) + "\n"


def write(
    folder: Path,
    results: dict[str, Measurement],
    ratios: list[dict],
    goals: list[dict],
    machine: dict,
    facts: dict,
    name: str = "latest",
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    as_json = folder / f"{name}.json"
    as_json.write_text(
        json.dumps(
            {
                **facts,
                "machine": machine,
                "cases": {key: m.as_dict() for key, m in results.items()},
                "ratios": ratios,
                "goals": goals,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    as_md = folder / f"{name}.md"
    as_md.write_text(markdown(results, ratios, goals, machine, facts), encoding="utf-8")
    return as_json, as_md
