"""The dbt project (staging → intermediate → marts) as assets; its tests as asset checks."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from common.clock import now_wit
from common.owner_only import owner_only
from ingest.warehouse import ensure_schema
from orchestration.build_state import plan_build, record_build
from orchestration.disk import raise_if_out_of_space
from orchestration.resources import WarehouseResource, dbt_project
from orchestration.settings import CakupanSettings
from publish.exports import WORKBOOK_NAME
from publish.province import province_line_markdown
from publish.report import PDF_NAME, REPORT_NAME

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
        # Models that carry the NIK pseudonym say so in their YAML (`meta: {pii: true}`); no raw NIK reaches dbt.
        tags = {"pii": ""} if props.get("meta", {}).get("pii") else {}
        return spec.replace_attributes(group_name=group, owners=owners).merge_attributes(tags=tags)


class DbtBuildConfig(dg.Config):
    """Run config of the dbt step, from the launchpad: `full_refresh: true` rebuilds every model from all of
    history, whatever the plan would have done (after a hand-made fix in the raw tables, say)."""

    full_refresh: bool = False


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=CakupanTranslator())
def cakupan_dbt_models(
    context: dg.AssetExecutionContext,
    config: DbtBuildConfig,
    dbt: DbtCliResource,
    settings: CakupanSettings,
    warehouse: WarehouseResource,
):
    """Build every dbt seed, model and test of the project against the warehouse: incrementally, from
    what new loads touched; wholly when the project changed; not at all when nothing is new."""
    with warehouse.lock(context.log.info):
        with warehouse.get_connection() as conn:
            ensure_schema(conn)
            published = [
                settings.analytics_db_path,
                settings.export_path / WORKBOOK_NAME,
                settings.export_path / REPORT_NAME,
                settings.export_path / PDF_NAME,
            ]
            plan = plan_build(conn, dbt_project.project_dir, published, full_refresh=config.full_refresh)
        context.log.info(f"dbt build: {plan.mode} ({plan.reason})")
        if plan.mode == "skip":
            # No output: the marts stay as built and published, and the publishing steps are skipped.
            return
        # Unit tests check the models' logic, not the data: they run with the test suite, not daily.
        # Incremental models read what is new from audit.builds (dbt_project/macros/incremental_scope/).
        # Seeds are part of the project's fingerprint: unchanged since the last build, they are not reloaded.
        # dbt's profile takes the warehouse and DuckDB's limits from our settings (dbt_project/profiles.yml).
        # dbt's own debug log file costs a sixth of its Python time per node; its events reach Dagster anyway.
        args = [
            "build",
            "--exclude-resource-type",
            "unit_test",
            "--log-level-file",
            "none",
            "--vars",
            json.dumps(settings.dbt_vars()),
        ]
        if plan.mode == "full":
            args.append("--full-refresh")
        else:
            # Seeds and their tests change only with the project (then the build is a full one).
            args += ["--exclude-resource-type", "seed", "--exclude", "tag:reference_data"]
        # Events go to Dagster as dbt sends them, so the UI shows the build's progress. Row counts come after,
        # as observations: this process cannot open the warehouse while dbt's process holds it (and
        # dagster-dbt's fetch_row_counts() would keep it open through dbt's adapter, locking out the next build).
        built, failure = [], None
        try:
            # dbt's process writes the warehouse, its WAL and spill files: owner-only, as ours.
            with owner_only():
                invocation = dbt.cli(args, context=context, target_path=dbt_project.target_path / "daily_refresh")
                for event in invocation.stream():
                    if isinstance(event, dg.Output | dg.AssetMaterialization):
                        built.append(_event_key(event, context.assets_def.keys_by_output_name))
                    yield event
        except Exception as e:  # a failed dbt build: report what did materialise, then fail the step
            failure = e
        yield from _row_counts([key for key in built if key is not None], warehouse)
        if failure is None:
            with warehouse.get_connection() as conn:
                record_build(conn, plan, now_wit())
    if failure is not None:
        raise_if_out_of_space(
            failure,
            "building the dbt models",
            {"the warehouse": warehouse.path, "DuckDB's spill folder": settings.temp_path},
            "The analyst database and the exports are as they were; the next refresh rebuilds what this one "
            "did not finish.",
        )
        raise failure


def _row_counts(keys: list[dg.AssetKey], warehouse: WarehouseResource) -> Iterator[dg.AssetObservation]:
    """Each table the build wrote, with its row count (and the province line, for the province's mart)."""
    with warehouse.get_connection() as conn:
        tables = {
            (schema, name)
            for schema, name in conn.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        }
        observations = []
        for key in keys:
            if tuple(key.path) not in tables:  # a view: counting it would run its query
                continue
            schema, name = key.path
            metadata = {"dagster/row_count": conn.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]}
            if key == PROVINCE:
                metadata["province"] = dg.MetadataValue.md(province_line_markdown(conn))
            observations.append(dg.AssetObservation(asset_key=key, metadata=metadata))
    yield from observations


PROVINCE = dg.AssetKey(["marts", "coverage_province"])


def _event_key(event: dg.Output | dg.AssetMaterialization, keys: Mapping[str, dg.AssetKey]) -> dg.AssetKey | None:
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return keys.get(event.output_name)
