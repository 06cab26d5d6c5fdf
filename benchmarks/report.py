"""The results as one table, the ratios between cases, the performance issue's goals met or not, and
the same as JSON and Markdown files.

Goals (from the performance issue), evaluated at whatever sizes were run, each labelled with its sizes:
- (2)/(1) wall time ≤ 1.25 at every CSV size (the issue: 1M and 10M rows);
- peak RSS of (2) at the largest CSV size ≤ 1.5 × its peak at the smallest, and ≤ 1.5 GiB (1,536 MiB);
- the project's ingest of the XLSX ≤ 1.5 × a bare `polars.read_excel` of it (wall time);
- (t4 − t5) / (t3 − t5) ≤ 0.10: a 1% delta costs at most a tenth of a full refresh beyond the overhead;
- (5) ≤ 15 s.
Where (4₀) was run, two more ratios (not goals) split (4) into the fixed cost of a refresh with something
new and the part that grows with the delta.
"""

import json
from pathlib import Path

from benchmarks.ingest_cases import size_label
from benchmarks.machine import one_line
from benchmarks.measure import Measurement

RSS_LIMIT_MIB = 1.5 * 1024


def _sizes(results: dict[str, Measurement], prefix: str) -> list[int]:
    return sorted(int(key.rsplit("_", 1)[1]) for key in results if key.startswith(prefix))


def _goal(text: str, value: float, limit: float) -> dict:
    return {"goal": text, "value": round(value, 3), "limit": limit, "met": value <= limit}


def ratios_and_goals(results: dict[str, Measurement]) -> tuple[list[dict], list[dict]]:
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

    csv_sizes = _sizes(results, "csv_project_")
    for rows in csv_sizes:
        label = size_label(rows)
        wall = pair(f"(2)/(1) CSV {label}", results[f"csv_project_{rows}"], results[f"csv_baseline_{rows}"])
        goals.append(_goal(f"(2)/(1) wall time at {label} ≤ 1.25", wall, 1.25))
    if csv_sizes:
        small, large = (results[f"csv_project_{r}"].peak_rss_mb for r in (csv_sizes[0], csv_sizes[-1]))
        if len(csv_sizes) > 1:
            goals.append(
                _goal(
                    f"peak RSS of (2) at {size_label(csv_sizes[-1])} ≤ 1.5 × at {size_label(csv_sizes[0])}",
                    large / small,
                    1.5,
                )
            )
        goals.append(_goal(f"peak RSS of (2) at {size_label(csv_sizes[-1])} ≤ 1,536 MiB", large, RSS_LIMIT_MIB))
    for rows in _sizes(results, "xlsx_project_"):
        label = size_label(rows)
        wall = pair(
            f"project / bare read_excel, XLSX {label}",
            results[f"xlsx_project_{rows}"],
            results[f"xlsx_baseline_{rows}"],
        )
        goals.append(_goal(f"XLSX {label}: project ingest ≤ 1.5 × bare read_excel (wall)", wall, 1.5))
    if "refresh_full" in results:
        t3, t4, t5 = (results[k].wall_s for k in ("refresh_full", "refresh_delta", "refresh_nothing"))
        share = (t4 - t5) / (t3 - t5) if t3 > t5 else float("inf")
        ratios.append({"ratio": "(4)/(3) beyond (5): (t4 - t5) / (t3 - t5)", "wall": round(share, 3)})
        goals.append(_goal("(t4 - t5) / (t3 - t5) ≤ 0.10", share, 0.10))
        if "refresh_one_row" in results:
            # Not goals: where (4) goes. (4₀) beyond (5) is what any refresh with something new pays.
            t40 = results["refresh_one_row"].wall_s
            ratios.append(
                {"ratio": "(4₀)/(3) beyond (5): (t4₀ - t5) / (t3 - t5)", "wall": round((t40 - t5) / (t3 - t5), 3)}
            )
            ratios.append(
                {
                    "ratio": "(4) beyond (4₀), of (3) beyond (5): (t4 - t4₀) / (t3 - t5)",
                    "wall": round((t4 - t40) / (t3 - t5), 3),
                }
            )
        goals.append(_goal("(5) refresh with no new file ≤ 15 s", t5, 15.0))
    return ratios, goals


def _cells(m: Measurement) -> list[str]:
    rows = f"{m.rows:,}" if m.rows is not None else "–"
    rate = f"{m.rows_per_s:,.0f}" if m.rows_per_s else "–"
    return [m.case, rows, f"{m.wall_s:.2f}", f"{m.cpu_s:.2f}", f"{m.peak_rss_mb:,.0f}", rate]


HEADER = ["case", "rows", "wall s", "cpu s", "peak MiB", "rows/s"]


def text(results: dict[str, Measurement], ratios: list[dict], goals: list[dict], machine: dict) -> str:
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
    lines += ["", f"machine: {one_line(machine)}"]
    return "\n".join(lines)


def markdown(results: dict[str, Measurement], ratios: list[dict], goals: list[dict], machine: dict, facts: dict) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(_cells(m)) + " |" for m in results.values()]
    lines += ["", "| ratio | wall | CPU | peak RSS |", "|---|---|---|---|"]
    lines += [f"| {r['ratio']} | {r['wall']:.2f} | {r.get('cpu', '')} | {r.get('peak_rss', '')} |" for r in ratios]
    lines += ["", "| goal | measured | |", "|---|---|---|"]
    lines += [f"| {g['goal']} | {g['value']:,.2f} | {'met' if g['met'] else '**not met**'} |" for g in goals]
    lines += ["", f"Machine: {one_line(machine)}.", f"Measured {facts['measured_at']}."]
    return "\n".join(lines) + "\n"


def write(
    folder: Path, results: dict[str, Measurement], ratios: list[dict], goals: list[dict], machine: dict, facts: dict
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    as_json = folder / "latest.json"
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
    as_md = folder / "latest.md"
    as_md.write_text(markdown(results, ratios, goals, machine, facts), encoding="utf-8")
    return as_json, as_md
