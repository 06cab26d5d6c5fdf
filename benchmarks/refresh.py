"""Cases (3), (4) and (5): whole `daily_refresh` runs (ingest + dbt + publish) in a throwaway workspace,
at each rung of the scale ladder (benchmarks.ladder).

(3) a full refresh of a generated history (the synthetic generator: a plain snapshot of everyone, then
    eleven varied monthly deltas, with the budget and workforce files of the year);
(4₀) between them, a refresh after a late one-row delta: no point moves, one membership is touched, so
    what it costs beyond (5) is the fixed cost of any refresh that has something new (every model built
    incrementally, every check run, their Dagster events, publishing);
(4) the refresh after one more kepesertaan delta holding ~1% of the memberships;
(5) a refresh with no new file: the fixed overhead.
(4₀), (4) and (5) run in ROUNDS rounds after (3); each is reported as its median round (the rounds' times in
its name).

Each refresh is a fresh `dagster job execute` process run from the repository root, as `make run` does,
with its own DAGSTER_HOME (a copy of orchestration/dagster.yaml: telemetry off). Its CPU time includes
the dbt subprocess it waits for; its peak RSS is that of its whole process tree (benchmarks.measure).
The rows of each case are what `audit.load_log` says that refresh loaded, read from the warehouse,
opened read-only, after the run.
"""

import calendar
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl

import tests.workspace
from benchmarks.measure import CommandFailed, Measurement, run

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DBT_PROJECT = ROOT / "dbt_project"
MANIFEST = DBT_PROJECT / "target" / "manifest.json"
PII_KEY = "benchmark-key"
# memberships known at the end ≈ 1.067 × people for the generator's default year (measured at 2k–30k
# people), so this gives ≈ 500k memberships, Maluku's scale.
MALUKU_PEOPLE = 468_000


class Workspace(tests.workspace.Workspace):
    """The tests' workspace, run as `make run` runs a refresh: in its own process, with its own DAGSTER_HOME."""

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    def create(self) -> None:
        self.landing.mkdir(parents=True)
        self.dagster_home.mkdir()
        shutil.copy(ROOT / "orchestration" / "dagster.yaml", self.dagster_home / "dagster.yaml")

    def env(self) -> dict[str, str]:
        """The environment `make run` gives a refresh, pointed at this workspace."""
        return (
            os.environ
            | self.environment()
            | {
                "CAKUPAN_PII_KEY": PII_KEY,
                "DAGSTER_HOME": str(self.dagster_home),
                "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # dbt and dagster of this venv
                "DO_NOT_TRACK": "1",
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            }
        )


def ensure_manifest(env: dict[str, str]) -> None:
    """`make manifest` without make: `dbt parse` when the manifest is missing or older than the dbt sources."""
    sources = [DBT_PROJECT / "dbt_project.yml", DBT_PROJECT / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources += [p for p in (DBT_PROJECT / folder).rglob("*") if p.is_file()]
    if MANIFEST.exists() and all(p.stat().st_mtime <= MANIFEST.stat().st_mtime for p in sources):
        return
    print("dbt manifest missing or stale: dbt parse", flush=True)
    subprocess.run([str(BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."], cwd=DBT_PROJECT, env=env, check=True)


def generate_history(ws: Workspace, people: int, seed: int) -> tuple[Measurement, dict]:
    """The generator's year of extracts into the landing folder, in a process of its own (at Maluku scale
    it holds about a gigabyte while it runs). Returns its measurement and its `memberships` figures."""
    expected = ws.root / "expected.json"
    measurement = run(
        f"generate history, {people:,} people",
        [
            sys.executable,
            "-m",
            "synthetic",
            "--out",
            str(ws.landing),
            "--people",
            str(people),
            "--seed",
            str(seed),
            "--expected",
            str(expected),
        ],
        cwd=ROOT,
    )
    facts = json.loads(expected.read_text(encoding="utf-8"))
    expected.unlink()  # the truth holds refused rows' details: not needed here
    files = [f for f in facts["files"].values() if f["source"] == "kepesertaan"]
    measurement.rows = sum(f["rows_read"] for f in files)
    return measurement, facts["memberships"] | {"kepesertaan_files": len(files)}


def _next_month_end(d: date) -> date:
    first = d.replace(day=1) + timedelta(days=32)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _first_and_last_enrolment(ws: Workspace) -> tuple[Path, date]:
    """The earliest landed kepesertaan file, and the date in the name of the latest."""
    kepesertaan = sorted(
        (p for p in ws.landing.iterdir() if p.name.lower().startswith("kepesertaan_")), key=lambda p: p.name[12:20]
    )
    last = kepesertaan[-1].name
    return kepesertaan[0], date(int(last[12:16]), int(last[16:18]), int(last[18:20]))


def land_one_percent_delta(ws: Workspace, memberships: int, seed: int, share: float = 0.01) -> Path:
    """One more kepesertaan delta, dated the month after the last one, with `share` of the memberships.

    Its rows are memberships of the first extract (the generator's plain UTF-8 snapshot of everyone,
    so its header and formats are read back as written), each in a new version of the following month:
    paid up to the last month, active, updated in that month. That is a delta within the spec, and
    updates of known cards are the work a daily refresh does most: new versions of existing memberships.
    (A 13th generated month would be an XLSX with January's wage updates, ~10% of the memberships.)
    """
    first, last_date = _first_and_last_enrolment(ws)
    new_date = _next_month_end(last_date)
    snapshot = pl.read_csv(first, infer_schema=False)
    rows = max(1, round(memberships * share))
    i = pl.int_range(0, pl.len())
    day = (i % new_date.day + 1).cast(pl.String).str.zfill(2)
    hour = (i % 9 + 8).cast(pl.String).str.zfill(2)
    minute = (i * 7 % 60).cast(pl.String).str.zfill(2)
    delta = snapshot.sample(min(rows, snapshot.height), seed=seed).with_columns(
        BLTH_TERAKHIR=pl.lit(f"{last_date:%Y%m}"),
        STATUS=pl.lit("AKTIF"),
        TGL_UPDATE=pl.concat_str(
            pl.lit(f"{new_date:%Y-%m}-"), day, pl.lit(" "), hour, pl.lit(":"), minute, pl.lit(":00")
        ),
    )
    path = ws.landing / f"kepesertaan_{new_date:%Y%m%d}.csv"
    delta.write_csv(path)
    return path


def land_late_one_row_delta(ws: Workspace, days_before: int = 1) -> Path:
    """A kepesertaan file dated `days_before` the last one, holding one row of the first extract (its
    `days_before`-th) updated that morning: as_of stays, no coverage point moves, one membership gets a version."""
    first, last_date = _first_and_last_enrolment(ws)
    late = last_date - timedelta(days=days_before)
    row = pl.read_csv(first, infer_schema=False, n_rows=1, skip_rows_after_header=days_before - 1)
    row = row.with_columns(TGL_UPDATE=pl.lit(f"{late:%Y-%m-%d} 09:00:00"))
    path = ws.landing / f"kepesertaan_{late:%Y%m%d}.csv"
    row.write_csv(path)
    return path


def _last_load_id(ws: Workspace) -> int:
    if not ws.warehouse.exists():
        return 0
    with duckdb.connect(str(ws.warehouse), read_only=True) as conn:
        return conn.execute("select coalesce(max(load_id), 0) from audit.load_log").fetchone()[0]


def _loaded_since(ws: Workspace, load_id: int) -> dict:
    with duckdb.connect(str(ws.warehouse), read_only=True) as conn:
        files, rows, refused = conn.execute(
            "select count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_refused), 0) "
            "from audit.load_log where load_id > ?",
            [load_id],
        ).fetchone()
        statuses = dict(
            conn.execute(
                "select status, count(*) from audit.load_log where load_id > ? group by status order by status",
                [load_id],
            ).fetchall()
        )
    return {"rows": int(rows), "files": files, "refused": int(refused), "statuses": statuses}


def refresh(ws: Workspace, case: str) -> Measurement:
    """One `daily_refresh` in a fresh process; its rows are those the load log says it loaded."""
    before = _last_load_id(ws)
    measurement = run(
        case,
        [str(BIN / "dagster"), "job", "execute", "-m", "orchestration.definitions", "-j", "daily_refresh"],
        cwd=ROOT,
        env=ws.env(),
    )
    loaded = _loaded_since(ws, before)
    measurement.rows = loaded.pop("rows")
    measurement.extra = loaded
    return measurement


def warehouse_size(ws: Workspace) -> dict:
    """The warehouse on disk (file and WAL), per membership and per row of history (a membership's state, a
    person's spell)."""
    files = [ws.warehouse, ws.warehouse.with_name(ws.warehouse.name + ".wal")]
    size = sum(p.stat().st_size for p in files if p.exists())
    with duckdb.connect(str(ws.warehouse), read_only=True) as conn:
        memberships, states, spells = conn.execute(
            "select (select count(distinct no_kpj) from intermediate.int_membership_versions), "
            "(select count(*) from intermediate.int_membership_versions), "
            "(select count(*) from intermediate.int_person_spells)"
        ).fetchone()
    return {
        "warehouse_bytes": size,
        "memberships": memberships,
        "states": states,
        "spells": spells,
        "bytes_per_membership": round(size / memberships, 1) if memberships else None,
    }


# The small cases are seconds long, and on a shared machine a few seconds of noise can be as large as what they
# measure: each runs this many times, in rounds, and the goals read the median round.
ROUNDS = 3


def _median(rounds: list[Measurement], case: str) -> Measurement:
    middle = sorted(rounds, key=lambda m: m.wall_s)[len(rounds) // 2]
    walls = ", ".join(f"{m.wall_s:.1f}" for m in rounds)
    return Measurement(
        f"{case}, median of {len(rounds)} ({walls} s)",
        middle.rows,
        middle.wall_s,
        middle.cpu_s,
        max(m.peak_rss_mb for m in rounds),  # the peak of any round
        middle.extra,
    )


def rung(ws: Workspace, label: str, seed: int) -> tuple[dict[str, Measurement], dict]:
    """(3) full refresh, then ROUNDS rounds of (4₀) one late row, (4) a 1% delta and (5) nothing new, in that
    order, on the history in `ws.landing`; and the warehouse's size after (3). Each round's late row is dated a day
    earlier than the last round's, and each 1% delta opens the month after the last."""
    full = refresh(ws, f"{label} (3) full refresh")
    size = warehouse_size(ws)
    full.case += f", {size['memberships']:,} memberships"
    print(f"  {full.case}: {full.wall_s:.1f} s, peak {full.peak_rss_mb:,.0f} MiB", flush=True)
    rounds: dict[str, list[Measurement]] = {"one_row": [], "delta": [], "nothing": []}
    for r in range(1, ROUNDS + 1):
        late = land_late_one_row_delta(ws, days_before=r)
        rounds["one_row"].append(refresh(ws, f"{label} (4₀) refresh after a late one-row delta, round {r}"))
        print(f"  {rounds['one_row'][-1].case} ({late.name}): {rounds['one_row'][-1].wall_s:.1f} s", flush=True)
        delta = land_one_percent_delta(ws, size["memberships"], seed + r)
        rounds["delta"].append(refresh(ws, f"{label} (4) refresh after a 1% delta, round {r}"))
        print(f"  {rounds['delta'][-1].case} ({delta.name}): {rounds['delta'][-1].wall_s:.1f} s", flush=True)
        rounds["nothing"].append(refresh(ws, f"{label} (5) refresh, no new file, round {r}"))
        print(f"  {rounds['nothing'][-1].case}: {rounds['nothing'][-1].wall_s:.1f} s", flush=True)
    names = {
        "one_row": f"{label} (4₀) refresh after a late one-row delta",
        "delta": f"{label} (4) refresh after a 1% delta",
        "nothing": f"{label} (5) refresh, no new file",
    }
    cases = {"full": full} | {name: _median(measured, names[name]) for name, measured in rounds.items()}
    return cases, size


def ladder_cases(work_dir: Path, people: int, scales: list[int], seed: int = 7) -> tuple[dict[str, Measurement], dict]:
    """The generator's year for `people` people, tiled at each scale (benchmarks.ladder), each rung in a
    workspace of its own that is deleted before the next; returns the cases keyed `x{scale}_{case}` and
    the facts (generation, sizes)."""
    from benchmarks.ladder import tile_history

    source = Workspace(work_dir / "generated")
    source.create()
    ensure_manifest(source.env())
    generation, history = generate_history(source, people, seed)
    print(
        f"  history: {history['known_at_as_of']:,} memberships, {generation.rows:,} kepesertaan rows in "
        f"{history['kepesertaan_files']} files, generated in {generation.wall_s:.1f} s",
        flush=True,
    )
    facts: dict = {"people": people, "seed": seed, "generation": generation.as_dict(), **history, "rungs": {}}
    cases: dict[str, Measurement] = {}
    for scale in scales:
        ws = Workspace(work_dir / f"x{scale}")
        ws.create()
        try:
            rows = tile_history(source.landing, ws.landing, scale)
            print(f"×{scale}: {rows:,} kepesertaan rows tiled", flush=True)
            measured, size = rung(ws, f"×{scale}", seed)
        except CommandFailed as e:
            # A refresh that fails is a finding, not a reason to lose the other rungs' measurements.
            print(f"×{scale} FAILED: {e}", flush=True)
            facts["rungs_failed"] = facts.get("rungs_failed", {}) | {f"x{scale}": str(e)[-3000:]}
            continue
        finally:
            shutil.rmtree(ws.root, ignore_errors=True)
        cases |= {f"x{scale}_{name}": m for name, m in measured.items()}
        facts["rungs"][f"x{scale}"] = {"scale": scale, "kepesertaan_rows": rows, **size}
    shutil.rmtree(source.root, ignore_errors=True)
    return cases, facts
