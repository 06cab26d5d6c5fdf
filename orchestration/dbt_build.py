"""dbt, built inside the refresh's own process: dbt-core's programmatic runner (`dbtRunner`), not a `dbt`
subprocess.

A subprocess pays for a second Python, dbt's imports and a parse of the project before it builds anything:
about six seconds of every refresh with something new, more than what the build itself costs for a day's
files. In-process, dbt's imports come with dagster-dbt's, the project is parsed only when it changed (the parse
is kept in the target folder, `manifest_for`), and each node costs what dbt does for it. dbt runs in a thread of
its own; its node results arrive here as they finish, in the same structured form as the `dbt --log-format
json` lines dagster-dbt reads from a subprocess, and the dbt asset turns them into Dagster events with
dagster-dbt's own translation (`DbtCoreCliEventMessage.to_default_asset_events`) while dbt goes on: Dagster stores
each event (5–8 ms of Python and SQLite) while DuckDB runs the next node's query. What the asset reports of each
table (its row count) is read as the table is written, in dbt's own database (`table_facts`): this process cannot
open the warehouse beside dbt with its own settings.

What to build (`build_args`) is a pure function of the build plan: the first build, a changed project or a
forced rebuild builds everything (`--full-refresh`); otherwise the nodes downstream of the sources that new
deliveries changed, and the marts, without views (they only change with the project) and seeds.
"""

import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import pickle
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from common.owner_only import owner_only
from orchestration.dbt_kept_compilation import kept_compilation

# dbt sources each landed source feeds (dbt_project/models/staging/_sources.yml).
SOURCE_NODES = {
    "kepesertaan": ("source:cakupan.raw.kepesertaan+", "source:cakupan.raw.kepesertaan_withdrawn+", "int_as_of+"),
    "anggaran": ("source:cakupan.raw.anggaran+",),
    "angkatan_kerja": ("source:cakupan.raw.angkatan_kerja+",),
}
# Node results, as dbt's structured log names them: what becomes a Dagster event.
RESULT_EVENTS = frozenset({"LogModelResult", "LogTestResult", "LogSeedResult"})
_DONE = object()
# How often a long build says how far it has come (each line is an event Dagster stores).
PROGRESS_EVERY_S = 5.0
# The parsed project kept between refreshes (manifest_for), beside dbt's own artifacts.
MANIFEST_CACHE = "cakupan_manifest.pickle"
# Where a node result carries what `table_facts` read of the table it wrote (run_build).
TABLE_FACTS = "cakupan_table_facts"
# ... or why it could not (said to `progress`, then left out of the result).
_UNREAD = "cakupan_table_facts_unread"
# What to report of a table a model wrote: (connection, schema, table) → metadata.
TableFacts = Callable[[Any, str, str], dict[str, Any]]
# The environment a parse depends on: what dbt_project/profiles.yml reads, and dbt's own settings (never the
# pseudonym key).
PROFILE_ENVIRONMENT = ("CAKUPAN_WAREHOUSE", "CAKUPAN_DUCKDB_", "DBT_")


class BuildFailed(Exception):
    """dbt's build did not succeed: each node that failed, and what dbt said of it."""

    def __init__(self, failures: Sequence[str]) -> None:
        self.failures = tuple(failures)
        listed = "\n".join(f"- {failure}" for failure in self.failures) or "- (dbt gave no reason)"
        super().__init__(f"the dbt build failed:\n{listed}")


def build_args(mode: str, changed_sources: Sequence[str], dbt_vars: str, target: str = "warehouse") -> list[str]:
    """`dbt build`'s arguments for a plan's `mode` (`full` or `incremental`), the sources whose new deliveries
    changed rows (`kepesertaan`, `anggaran`, `angkatan_kerja`) and dbt's `--vars` (JSON). With no source
    changed (the new deliveries were refused, ignored or duplicates), the marts alone: the analyst database
    is published again with the audit of those deliveries.

    Unit tests check the models' logic, not the data: they run with the test suite, not daily. dbt's debug log
    file is not written: its events reach Dagster anyway.

    `target`: the profile's (dbt_project/profiles.yml), `warehouse` (a DuckDB file) or `lake`. The tests of the
    constraints a lake does not enforce (tag lake_constraints) run on a lake only: a DuckDB file enforces them."""
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", dbt_vars, "--target", target]
    args += ["--log-level-file", "none"]
    not_here = [] if target == "lake" else ["tag:lake_constraints"]
    if mode == "full":
        # One model at a time: a full build's models are large, and each one's query uses every core DuckDB has;
        # two side by side share the one memory limit and both spill (the national delta: less time, 10% less
        # memory). An incremental build's models are small, and there dbt's per-node Python overlaps.
        # A full build writes each history table whole, in one query whose rows are unique by construction (one
        # per group, or per window partition and distinct TGL_UPDATE): the check of the keys written
        # (tests/generic/unique_keys_written.sql) cannot fail then, and would group every row of history.
        # It guards the incremental builds, which append to what earlier builds kept.
        return [*args, "--full-refresh", "--threads", "1", "--exclude", "test_name:unique_keys_written", *not_here]
    select = [node for source in sorted(set(changed_sources)) for node in SOURCE_NODES[source]]
    # Every mart, downstream of the changes or not: what publishing copies is a whole build (Dagster runs the
    # publishing steps only when every mart they depend on was built), and a mart is cheap beside history.
    select.append("path:models/marts")
    # Seeds, views and the seeds' tests change only with the project, and then the build is a full one.
    return [
        *args,
        "--select",
        *select,
        "--exclude-resource-type",
        "seed",
        "--exclude",
        "config.materialized:view",
        "tag:reference_data",
        *not_here,
    ]


def run_build(
    project_dir: Path,
    target_path: Path,
    args: Sequence[str],
    progress: Callable[[str], None],
    table_facts: TableFacts | None = None,
) -> Iterator[dict[str, Any]]:
    """Parse the project (`manifest_for`) and run `dbt <args>` on it; yield each node's result as dbt's structured
    log has it (a dict with `info` and `data`), as it finishes, and say to `progress` when the build starts and,
    every few seconds, how far it has come. Raise `BuildFailed` when the build did not succeed. dbt's DuckDB
    database is closed afterwards, whatever happened, so that this process can open the warehouse again with its
    own settings; a caller that stops reading early (a failure of its own) waits for dbt to finish first.

    `table_facts(connection, schema, table)`: what to report of each table a model wrote, read in dbt's database as
    the model finishes (the connection's default database is the warehouse); its dict is the result's
    `TABLE_FACTS`. A table it cannot read is said to `progress` and reported without."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    events: queue.Queue = queue.Queue()
    outcome: dict[str, Any] = {}
    flags = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir), "--target-path", str(target_path)]
    flags += ["--quiet"]  # dbt's own console lines: its results come through the callback instead

    def on_event(event: Any) -> None:
        if event.info.name in RESULT_EVENTS:
            raw = msg_to_dict(event)
            table = _table_written(raw)
            if table_facts is not None and table is not None:
                try:
                    raw[TABLE_FACTS] = _read_in_dbt_database(table_facts, *table)
                except Exception as e:  # a count is not worth failing dbt's node for: said, and reported without
                    raw[_UNREAD] = f"{'.'.join(table[1:])} ({type(e).__name__}: {e})"
            events.put(raw)

    def build() -> None:
        try:
            with kept_compilation(target_path):
                manifest = manifest_for(project_dir, target_path, flags + _vars_of(args))
                # No manifest.json (1 MB of JSON, a quarter of a second each build; Dagster reads the project's
                # own): the node results alone, as dbt writes them, for whoever asks where the time went.
                result = dbtRunner(manifest=manifest, callbacks=[on_event]).invoke([*args, *flags, "--no-write-json"])
            if result.result is not None and hasattr(result.result, "write"):
                result.result.write(str(target_path / "run_results.json"))
            if not result.success:
                outcome["failures"] = _failures(result)
        except BaseException as e:
            outcome["error"] = e
        finally:
            _close_dbt_database()
            events.put(_DONE)

    worker = threading.Thread(target=build, name="dbt-build", daemon=True)
    progress(f"dbt: parsing the project and building ({' '.join(_selection_of(args)) or 'everything'})")
    worker.start()
    said, done = time.monotonic(), 0
    try:
        while (raw := events.get()) is not _DONE:
            if _UNREAD in raw:
                progress(f"dbt: the row count of {raw.pop(_UNREAD)} could not be read; reported without it")
            done += 1
            if time.monotonic() - said >= PROGRESS_EVERY_S:  # every node a log line would cost more than the node
                said = time.monotonic()
                progress(f"dbt: {done} nodes built so far, the last {_node_line(raw)}")
            yield raw
    except GeneratorExit:
        # The caller stopped reading (a failure of its own): dbt holds the warehouse until it is done, and the
        # caller's failure is reported once it has let go. (A run terminated by Dagster is not waited for: the
        # process ends, and dbt with it.)
        while events.get() is not _DONE:
            pass
        worker.join()
        raise
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    if "failures" in outcome:
        raise BuildFailed(outcome["failures"])


def _table_written(raw: dict[str, Any]) -> tuple[str, str, str] | None:
    """The (database, schema, table) a node result says a model wrote: a table or incremental model that succeeded
    (a view holds no rows of its own: counting one would run its query)."""
    node = raw["data"].get("node_info", {})
    relation = node.get("node_relation") or {}
    if (
        node.get("resource_type") != "model"
        or node.get("materialized") not in ("table", "incremental")
        or node.get("node_status") != "success"
        or not relation.get("alias")
    ):
        return None
    return relation.get("database", ""), relation.get("schema", ""), relation["alias"]


def _read_in_dbt_database(table_facts: TableFacts, database: str, schema: str, table: str) -> dict[str, Any]:
    """`table_facts` on a connection of its own to the database dbt is building in (dbt-duckdb's environment, as
    `_close_dbt_database` reaches it), the warehouse its default."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    handle = DuckDBConnectionManager.env().handle()
    try:
        cursor = handle.cursor()
        cursor.execute(f'use "{database}"')
        return table_facts(cursor, schema, table)
    finally:
        handle.close()


def manifest_for(project_dir: Path, target_path: Path, flags: Sequence[str]) -> Any:
    """dbt's parsed project. The parse of an unchanged project is kept in the target folder (`MANIFEST_CACHE`, the
    Manifest object pickled, under `parse_key`) and read back in a tenth of the time dbt's own partial parse takes
    (≈ 0.15 s against ≈ 1 s: partial parsing still reads its state and checks every file). Any other project, vars
    or versions: dbt parses (partially, from its own last parse there) and the new parse is kept."""
    from dbt.cli.main import dbtRunner
    from dbt.contracts.graph.manifest import Manifest

    key = parse_key(project_dir, flags)
    cache = target_path / MANIFEST_CACHE
    kept = _kept_manifest(cache, key)
    if kept is not None:
        return kept
    parsed = dbtRunner().invoke(["parse", *flags, "--no-write-json"])
    if not parsed.success or not isinstance(parsed.result, Manifest):
        raise BuildFailed([f"parsing the dbt project: {parsed.exception}"])
    _keep_manifest(cache, key, parsed.result)
    return parsed.result


def parse_key(project_dir: Path, flags: Sequence[str]) -> str:
    """What a parse depends on: the project's files, its profile, the flags (the vars: the warehouse's path names the
    database every node is in), the environment dbt's profile reads, and the versions of Python, dbt and its
    adapter."""
    from importlib.metadata import version

    from orchestration.build_state import project_fingerprint

    digest = hashlib.sha256()
    for part in (
        project_fingerprint(project_dir),
        (project_dir / "profiles.yml").read_text(encoding="utf-8"),
        json.dumps(list(flags)),
        json.dumps(sorted((k, v) for k, v in os.environ.items() if k.startswith(PROFILE_ENVIRONMENT))),
        sys.version,
        version("dbt-core"),
        version("dbt-duckdb"),
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _kept_manifest(cache: Path, key: str) -> Any:
    """The kept parse when it was kept under `key`; None when there is none, it is another's, or it cannot be read
    (a file from an older dbt, a torn write): dbt then parses."""
    from dbt.contracts.graph.manifest import Manifest

    try:
        with cache.open("rb") as f:
            kept_key, fields = pickle.load(f)
        return Manifest(**fields) if kept_key == key else None
    except Exception:
        return None


def _keep_manifest(cache: Path, key: str, manifest: Any) -> None:
    """Write the parse beside dbt's artifacts, whole or not at all (renamed into place), readable by its owner only.
    Its public fields only: dbt's own pickling of a Manifest (`__reduce_ex__`, dbt-core 1.11) leaves a field out of
    its argument list, so the lookups after it land in the wrong fields. Left out, dbt makes them again on first use.
    """
    fields = {f.name: getattr(manifest, f.name) for f in dataclasses.fields(manifest) if not f.name.startswith("_")}
    cache.parent.mkdir(parents=True, exist_ok=True)
    scratch = cache.with_name(f".{os.getpid()}.{cache.name}")
    try:
        with owner_only(), scratch.open("wb") as f:
            pickle.dump((key, fields), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, cache)
    finally:
        scratch.unlink(missing_ok=True)


def _vars_of(args: Sequence[str]) -> list[str]:
    """The `--vars` and `--target` of a build's arguments, for the parse before it (the profile reads them)."""
    found: list[str] = []
    for flag in ("--vars", "--target"):
        if flag in args:
            index = list(args).index(flag)
            found += args[index : index + 2]
    return found


def _selection_of(args: Sequence[str]) -> list[str]:
    if "--select" not in args:
        return []
    start = list(args).index("--select") + 1
    return list(itertools.takewhile(lambda a: not a.startswith("--"), args[start:]))


def _node_line(raw: dict[str, Any]) -> str:
    data = raw["data"]
    node = data.get("node_info", {})
    return (
        f"{node.get('resource_type', 'node')} {node.get('node_name', '?')}: "
        f"{data.get('status', node.get('node_status', '?'))} in {float(data.get('execution_time', 0)):.2f} s"
    )


def _failures(result: Any) -> tuple[str, ...]:
    """What failed in a dbt result, node by node (or the exception that stopped dbt before any node)."""
    if result.exception is not None:
        return (str(result.exception),)
    failed = []
    for node_result in getattr(result.result, "results", None) or ():
        status = str(getattr(node_result.status, "value", node_result.status))
        if status in ("error", "fail", "runtime error"):
            failed.append(f"{node_result.node.name} ({status}): {node_result.message}")
    return tuple(failed)


def _close_dbt_database() -> None:
    """dbt-duckdb keeps its DuckDB database open for the rest of the process (a subprocess would have exited);
    DuckDB then refuses this process a connection to the same file with other settings. Its connection manager
    closes it (`env()` is how dbt-duckdb's own plugins reach the environment; no other public way exists)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with contextlib.suppress(Exception):  # no environment was made: nothing to close
        DuckDBConnectionManager.env().close()
    DuckDBConnectionManager.close_all_connections()
