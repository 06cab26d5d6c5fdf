"""`landing_sensor`: start `daily_refresh` when new files land, once per set of files, never on a file still being written."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.settings import CakupanSettings


def observe(landing_dir: Path) -> dict[str, list[int]]:
    """Each file's size and modification time, by name (the sensor never opens the warehouse: it may be busy)."""
    if not landing_dir.is_dir():
        return {}
    observed = {}
    for path in landing_dir.iterdir():
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            observed[path.name] = [stat.st_size, stat.st_mtime_ns]
    return observed


def evaluate_landing(observed: dict[str, list[int]], cursor: str | None) -> tuple[list[str], str]:
    """Which files are ready for a run, and the next cursor.

    A file is ready when it is unchanged since the previous tick (so not still being written) and
    was not part of a run already requested in the same state. The cursor remembers the last
    observation and every (name, size, mtime) a run was requested for.
    """
    state = json.loads(cursor) if cursor else {"seen": {}, "requested": {}}
    seen, requested = state["seen"], state["requested"]
    ready = sorted(
        name
        for name, fingerprint in observed.items()
        if seen.get(name) == fingerprint and requested.get(name) != fingerprint
    )
    for name in ready:
        requested[name] = observed[name]
    # Forget files that left the landing folder, so the cursor does not grow without end.
    requested = {name: fp for name, fp in requested.items() if name in observed}
    return ready, json.dumps({"seen": observed, "requested": requested}, sort_keys=True)


def run_key(ready: list[str], observed: dict[str, list[int]]) -> str:
    digest = hashlib.sha256(json.dumps([[name, observed[name]] for name in ready]).encode()).hexdigest()
    return f"landing-{digest[:16]}"


@dg.sensor(
    name="landing_sensor",
    job_name="daily_refresh",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts daily_refresh when new files have landed and stopped growing.",
)
def landing_sensor(context: dg.SensorEvaluationContext, settings: CakupanSettings):
    observed = observe(settings.landing_path)
    ready, cursor = evaluate_landing(observed, context.cursor)
    context.update_cursor(cursor)
    if not ready:
        return dg.SkipReason("no new files, or new files still being written")
    return dg.RunRequest(run_key=run_key(ready, observed), tags={"cakupan/new_files": str(len(ready))})
