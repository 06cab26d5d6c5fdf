"""The dbt project (staging → intermediate → marts) as assets; its tests as asset checks."""

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NoReturn

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

# The dbt-core flavour of dagster-dbt's public DbtCliEventMessage: what turns dbt's structured node results into
# Dagster events (the package exports the base class only).
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from common.clock import now_local
from common.owner_only import owner_only
from ingest.warehouse import ensure_schema
from orchestration.assets.publish import COVERAGE_REPORT
from orchestration.build_state import Plan, plan_build, record_build
from orchestration.dbt_build import TABLE_FACTS, TableFacts, build_args, run_build
from orchestration.disk import raise_if_out_of_space
from orchestration.resources import WarehouseResource, dbt_manifest, dbt_project
from orchestration.row_counts import table_metadata
from orchestration.settings import CakupanSettings
from publish.outputs import published_files
from publish.report import import_report_modules

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


TRANSLATOR = CakupanTranslator()


class DbtBuildConfig(dg.Config):
    """Run config of the dbt step, from the launchpad: `full_refresh: true` rebuilds every model from all of
    history, whatever the plan would have done (after a hand-made fix in the raw tables, say)."""

    full_refresh: bool = False


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=TRANSLATOR)
def cakupan_dbt_models(
    context: dg.AssetExecutionContext,
    config: DbtBuildConfig,
    settings: CakupanSettings,
    warehouse: WarehouseResource,
):
    """Build the dbt models and tests against the warehouse: those downstream of what new deliveries changed,
    incrementally; every one when the project changed; none when nothing is new."""
    with warehouse.lock(context.log.info):
        plan = plan_for(settings, warehouse, config.full_refresh, context.log.info)
        if plan.mode == "skip":
            # No output: the marts stay as built and published, and the publishing steps are skipped.
            return
        # The report's modules (Altair, vl-convert: 0.4 s of imports) are imported while dbt builds, once its
        # first node is done: from then on DuckDB's queries leave the interpreter free part of the time (before,
        # dbt's own set-up would wait for them). Publishing, in this process, then prints at once.
        import_early = COVERAGE_REPORT.key in (context.run.asset_selection or {COVERAGE_REPORT.key})
        failure: Exception | None = None
        try:
            # Each node's events as it finishes (Dagster stores them while dbt runs the next nodes), each table's
            # materialisation with its row count: a count in the materialisation is one event fewer than an
            # observation. What did materialise before a failure is reported, then the step fails.
            for raw in run_plan(settings, plan, context.log.info, table_metadata):
                if import_early:
                    threading.Thread(target=import_report_modules, name="report-imports", daemon=True).start()
                    import_early = False
                message = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
                for event in message.to_default_asset_events(
                    manifest=dbt_manifest(), dagster_dbt_translator=TRANSLATOR, context=context
                ):
                    if isinstance(event, dg.Output) and TABLE_FACTS in raw:
                        event = event.with_metadata({**event.metadata, **raw[TABLE_FACTS]})
                    yield event
        except Exception as e:  # a failed build (or a full disk): what materialised is reported; the step fails
            failure = e
        if failure is None:
            with warehouse.get_connection() as conn:
                record_build(conn, plan, now_local())
    if failure is not None:
        raise_build_failure(failure, settings, warehouse)


def plan_for(
    settings: CakupanSettings, warehouse: WarehouseResource, full_refresh: bool, log: Callable[[str], None]
) -> Plan:
    """What this refresh's build does (orchestration/build_state.py), said in the log. Under the writers' lock."""
    with warehouse.get_connection() as conn:
        ensure_schema(conn)
        published = published_files(settings.analytics_db_path, settings.export_path)
        plan = plan_build(conn, dbt_project.project_dir, published, full_refresh=full_refresh)
    log(f"dbt build: {plan.mode} ({plan.reason})")
    return plan


def run_plan(
    settings: CakupanSettings, plan: Plan, log: Callable[[str], None], table_facts: TableFacts | None = None
) -> Iterator[dict[str, Any]]:
    """`dbt build` of a plan (incremental or full) on the settings' warehouse; each node's result as it finishes,
    with `table_facts` of each table written (run_build). dbt writes the warehouse, its WAL and spill files from
    this process: owner-only, as ours."""
    args = build_args(plan.mode, plan.changed_sources, json.dumps(settings.dbt_vars()), settings.dbt_target())
    with owner_only():
        yield from run_build(dbt_project.project_dir, settings.dbt_target_path, args, log, table_facts)


def raise_build_failure(failure: Exception, settings: CakupanSettings, warehouse: WarehouseResource) -> NoReturn:
    raise_if_out_of_space(
        failure,
        "building the dbt models",
        {"the warehouse": warehouse.path, "DuckDB's spill folder": settings.temp_path},
        "The analyst database and the exports are as they were; the next refresh rebuilds what this one "
        "did not finish.",
    )
    raise failure


def build_warehouse(
    settings: CakupanSettings, warehouse: WarehouseResource, full_refresh: bool, log: Callable[[str], None]
) -> dict[str, Any]:
    """The dbt step for a province's partition: the same plan and build as cakupan_dbt_models, reported as one
    result (the partitioned job's assets are the refresh's stages, not each model)."""
    with warehouse.lock(log):
        plan = plan_for(settings, warehouse, full_refresh, log)
        if plan.mode == "skip":
            return {"mode": plan.mode, "reason": plan.reason}
        try:
            nodes = sum(1 for _ in run_plan(settings, plan, log))
        except Exception as e:
            raise_build_failure(e, settings, warehouse)
        with warehouse.get_connection() as conn:
            record_build(conn, plan, now_local())
    return {"mode": plan.mode, "reason": plan.reason, "nodes": nodes}
