"""The dbt project (staging → intermediate → marts) as assets; its tests as asset checks."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_duckdb import DuckDBResource

from common.clock import now_wit
from common.owner_only import owner_only
from ingest.warehouse import ensure_schema
from orchestration.build_state import plan_build, record_build
from orchestration.disk import raise_if_out_of_space
from orchestration.resources import dbt_project
from orchestration.settings import Settings
from orchestration.warehouse_lock import warehouse_lock
from publish.exports import WORKBOOK_NAME
from publish.province import province_line_markdown
from publish.report import REPORT_NAME

# The folder a model lives in is its group; seeds are reference data analysts edit.
_GROUPS = {"seed": "reference"}


class CakupanTranslator(DagsterDbtTranslator):
    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            return spec
        group = _GROUPS.get(props["resource_type"]) or props["fqn"][1]
        owners = ["team:analytics"] if group in ("marts", "reference") else ["team:data-engineering"]
        tags = {"pii": ""} if props["name"] in _PSEUDONYMOUS_MODELS else {}
        return spec.replace_attributes(group_name=group, owners=owners).merge_attributes(tags=tags)


# Models that still carry the NIK pseudonym (person_id); no raw NIK ever reaches dbt.
_PSEUDONYMOUS_MODELS = {
    "stg_kepesertaan",
    "int_membership_versions",
    "int_person_placements",
    "int_new_members",
}


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=CakupanTranslator())
def cakupan_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBResource):
    """Build every dbt seed, model and test of the project against the warehouse: incrementally, from
    what new loads touched; wholly when the project changed; not at all when nothing is new."""
    # dbt runs in a subprocess and opens the warehouse by this variable: give it the resolved path.
    settings = Settings.from_env()
    os.environ["CAKUPAN_WAREHOUSE"] = str(settings.warehouse)
    with warehouse_lock(settings.warehouse, context.log.info):
        with warehouse.get_connection() as conn:
            ensure_schema(conn)
            published = [
                settings.analytics_db,
                settings.export_dir / WORKBOOK_NAME,
                settings.export_dir / "report" / REPORT_NAME,
            ]
            plan = plan_build(conn, dbt_project.project_dir, published)
        context.log.info(f"dbt build: {plan.mode} ({plan.reason})")
        if plan.mode == "skip":
            # No output: the marts stay as built and published, and the publishing steps are skipped.
            return
        # Unit tests check the models' logic, not the data: they run with the test suite, not daily.
        # Incremental models read what is new from audit.builds (dbt_project/macros/incremental_scope.sql).
        # Seeds are part of the project's fingerprint: unchanged since the last build, they are not reloaded.
        args = ["build", "--exclude-resource-type", "unit_test"]
        if plan.mode == "full":
            args.append("--full-refresh")
        else:
            args += ["--exclude-resource-type", "seed"]
        # dagster-dbt's fetch_row_counts() would open the warehouse through dbt's adapter in this process and
        # keep it open, locking out the next dbt subprocess; count rows ourselves once dbt has released the file.
        events, failure = [], None
        try:
            # dbt's process writes the warehouse, its WAL and spill files: owner-only, as ours.
            with owner_only():
                invocation = dbt.cli(args, context=context, target_path=dbt_project.target_path / "daily_refresh")
                for event in invocation.stream():
                    events.append(event)
        except Exception as e:  # a failed dbt build: report what did materialise, then fail the step
            failure = e
        events = list(_with_row_counts(events, warehouse, context.assets_def.keys_by_output_name))
        if failure is None:
            with warehouse.get_connection() as conn:
                record_build(conn, plan, now_wit())
    yield from events
    if failure is not None:
        raise_if_out_of_space(
            failure,
            "building the dbt models",
            {"the warehouse": settings.warehouse, "DuckDB's spill folder": settings.duckdb_temp_dir},
            "The analyst database and the exports are as they were; the next refresh rebuilds what this one "
            "did not finish.",
        )
        raise failure


def _with_row_counts(events: list, warehouse: DuckDBResource, keys: Mapping[str, dg.AssetKey]):
    outputs = [e for e in events if isinstance(e, dg.Output | dg.AssetMaterialization)]
    with warehouse.get_connection() as conn:
        tables = {
            (schema, name)
            for schema, name in conn.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        }
        counts, extra = {}, {}
        if ("marts", "coverage_province") in tables:
            extra[dg.AssetKey(["marts", "coverage_province"])] = {
                "province": dg.MetadataValue.md(province_line_markdown(conn))
            }
        for event in outputs:
            key = _event_key(event, keys)
            if key is not None and tuple(key.path) in tables:
                schema, name = key.path
                counts[key] = conn.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]
    for event in events:
        key = _event_key(event, keys) if isinstance(event, dg.Output | dg.AssetMaterialization) else None
        if key in counts:
            event = event.with_metadata({**event.metadata, "dagster/row_count": counts[key], **extra.get(key, {})})
        yield event


def _event_key(event, keys: Mapping[str, dg.AssetKey]) -> dg.AssetKey | None:
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return keys.get(event.output_name)
