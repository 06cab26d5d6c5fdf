"""Ingest: every landed file not loaded before, read with polars into the warehouse's raw tables."""

import collections
import datetime as dt
from collections.abc import Callable

import dagster as dg

from common.lake import attach_national
from common.migrations import SchemaTooNew
from ingest.errors import OutOfSpace
from ingest.load import load_landing
from ingest.outcome import FileOutcome
from ingest.pseudonym_key import PseudonymKeyError, resolve_key
from ingest.scratch import scratch_path
from ingest.warehouse import ensure_schema
from orchestration.checks import freshness_result, refusal_ratio_result
from orchestration.disk import raise_if_out_of_space
from orchestration.resources import WarehouseResource
from orchestration.settings import CakupanSettings

SOURCE_KEYS = {
    "kepesertaan": dg.AssetKey(["raw", "kepesertaan"]),
    "anggaran": dg.AssetKey(["raw", "anggaran"]),
    "angkatan_kerja": dg.AssetKey(["raw", "angkatan_kerja"]),
}
AUDIT_KEYS = {
    "load_log": dg.AssetKey(["audit", "load_log"]),
    "deliveries": dg.AssetKey(["audit", "deliveries"]),
    "refused_rows": dg.AssetKey(["audit", "refused_rows"]),
    "findings": dg.AssetKey(["audit", "findings"]),
}
_DESCRIPTIONS = {
    "kepesertaan": "Enrolment deltas: one row per membership version, NIK replaced by its keyed pseudonym.",
    "anggaran": "Budget realisation reports: one row per (year, owner, OPD, sector) per report.",
    "angkatan_kerja": "Eligible workers per (year, regency, sector), per file.",
    "load_log": "One row per landed file name: LOADED, DUPLICATE, REFUSED or IGNORED, with its row counts.",
    "deliveries": "Every delivery of every file name, revisions included, and when a later one replaced it.",
    "refused_rows": "Every refused row: file, row number, reason, first failing column, masked value.",
    "findings": "Per file: optional values made null, NIK disagreeing with birth date or sex.",
}


def _spec(key: dg.AssetKey, name: str) -> dg.AssetSpec:
    pii = {"pii": ""} if name == "kepesertaan" else {}
    return dg.AssetSpec(
        key,
        description=_DESCRIPTIONS[name],
        group_name="ingest",
        kinds={"polars", "duckdb"},
        owners=["team:data-engineering"],
        tags=pii,
    )


@dg.multi_asset(
    specs=[_spec(key, name) for name, key in {**SOURCE_KEYS, **AUDIT_KEYS}.items()],
    check_specs=[
        *[
            dg.AssetCheckSpec(
                "refusal_ratio",
                asset=key,
                blocking=True,
                description="Share of each new file's rows refused: warn above 1%, fail above 10%.",
            )
            for key in SOURCE_KEYS.values()
        ],
        dg.AssetCheckSpec(
            "enrolment_freshness",
            asset=SOURCE_KEYS["kepesertaan"],
            description="Warn when the newest enrolment extract is more than 36 hours old.",
        ),
    ],
)
def landed_extracts(context: dg.AssetExecutionContext, settings: CakupanSettings, warehouse: WarehouseResource):
    """Load every file in the landing folder that the load log does not name yet, and every revision (new
    bytes under a name already loaded, which replace the earlier delivery), in file-name order, one
    transaction per file (its rows, its refusals and its load-log row together). Nothing is loaded under
    a pseudonym key other than the warehouse's."""
    outcomes, newest_enrolment, totals = load_landed(settings, warehouse, context.log.info)
    for name, key in SOURCE_KEYS.items():
        mine = [o for o in outcomes if o.source == name and o.status == "LOADED"]
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": totals[name],
                "files_loaded": len(mine),
                "rows_read": sum(o.rows_read or 0 for o in mine),
                "rows_loaded": sum(o.rows_loaded or 0 for o in mine),
                "rows_refused": sum(o.rows_refused or 0 for o in mine),
            },
        )
    for name, key in SOURCE_KEYS.items():
        yield refusal_ratio_result(key, [o for o in outcomes if o.source == name])
    yield freshness_result(SOURCE_KEYS["kepesertaan"], newest_enrolment)
    by_status = collections.Counter(outcome.status for outcome in outcomes)
    files_table = "\n".join(
        f"| {o.file_name} | {o.status} | {o.rows_read if o.rows_read is not None else ''} "
        f"| {o.rows_loaded if o.rows_loaded is not None else ''} | {o.rows_refused if o.rows_refused is not None else ''} |"
        for o in outcomes
    )
    yield dg.MaterializeResult(
        asset_key=AUDIT_KEYS["load_log"],
        metadata={
            "dagster/row_count": totals["load_log"],
            "new_files": len(outcomes),
            **{f"files_{status.lower()}": count for status, count in sorted(by_status.items())},
            "this_refresh": dg.MetadataValue.md(
                "| file | status | read | loaded | refused |\n|---|---|---|---|---|\n" + files_table
            )
            if outcomes
            else dg.MetadataValue.md("No new files."),
        },
    )
    yield dg.MaterializeResult(
        asset_key=AUDIT_KEYS["deliveries"],
        metadata={
            "dagster/row_count": totals["deliveries"],
            "revisions": sum(o.replaces is not None for o in outcomes),
        },
    )
    yield dg.MaterializeResult(
        asset_key=AUDIT_KEYS["refused_rows"], metadata={"dagster/row_count": totals["refused_rows"]}
    )
    yield dg.MaterializeResult(asset_key=AUDIT_KEYS["findings"], metadata={"dagster/row_count": totals["findings"]})


def load_landed(
    settings: CakupanSettings, warehouse: WarehouseResource, log: Callable[[str], None]
) -> tuple[list[FileOutcome], dt.date | None, dict[str, int]]:
    """What landed_extracts does, for a province's partition too: the outcomes of the files loaded, the newest
    enrolment extract's date and each raw and audit table's row count."""
    with warehouse.lock(log), warehouse.get_connection() as conn:
        try:
            for migration in ensure_schema(conn):
                log(f"warehouse schema version {migration.version}: {migration.description}")
            if settings.lake is not None and settings.pii_key_value is None:
                # One key for every province of the lake, on every machine: a key file made by the first refresh
                # here would be this machine's alone (and two provinces' first refreshes would race to make it).
                raise PseudonymKeyError(
                    "CAKUPAN_PII_KEY is not set, and the warehouse is a lake whose provinces share one key: set it "
                    "(the same secret for every province and machine) before refreshing; nothing was loaded"
                )
            if settings.lake is not None:
                attach_national(conn, settings.lake)  # where the lake's one key is recorded and checked
            pii_key = resolve_key(conn, settings.pii_key_value, settings.pii_key_file)
            outcomes = load_landing(conn, settings.landing_path, pii_key, log)
        except (PseudonymKeyError, SchemaTooNew) as e:
            raise dg.Failure(description=str(e), allow_retries=False) from None
        except OutOfSpace as e:
            raise_if_out_of_space(
                e,
                "loading the landed files",
                {
                    "the warehouse": warehouse.path,
                    "the ingest's scratch folder": scratch_path(warehouse.path),
                    "DuckDB's spill folder": settings.temp_path,
                },
                "Nothing of that file was loaded (the files before it were); the analyst database and "
                "the exports are as they were.",
            )
            raise
        newest_enrolment = conn.execute(
            "select max(extract_date) from audit.load_log where source = 'kepesertaan' and status = 'LOADED'"
        ).fetchone()[0]
        totals = {
            name: conn.execute(f"select count(*) from {key.path[0]}.{key.path[1]}").fetchone()[0]
            for name, key in {**SOURCE_KEYS, **AUDIT_KEYS}.items()
        }
    return outcomes, newest_enrolment, totals
