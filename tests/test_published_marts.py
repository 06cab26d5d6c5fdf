"""One list of what is published: the dbt project's `analyst_database` exposure (dbt_project/models/exposures.yml).

The analyst database and the exports take their marts from it (publish/marts.py). The tests keep their own list
of the spec's marts (tests/marts.py), deliberately not derived from the exposure, and it is held to the exposure
here: a mart dropped from the exposure (or added without the spec) fails this test instead of silently leaving
every list that follows it."""

import json

import duckdb

from publish.analytics_db import published_tables
from publish.marts import published_marts
from tests.marts import MART_NAMES
from tests.workspace import ROOT


def _manifest() -> dict:
    return json.loads((ROOT / "dbt_project" / "target" / "manifest.json").read_text())


def _exposure_models(manifest: dict, exposure: str) -> list[str]:
    nodes = manifest["exposures"][f"exposure.cakupan.{exposure}"]["depends_on"]["nodes"]
    return [manifest["nodes"][node]["name"] for node in nodes if node.startswith("model.")]


def test_the_published_marts_are_the_exposures_and_nothing_drifts_from_it():
    manifest = _manifest()
    published = published_marts(manifest)
    assert published == MART_NAMES  # the spec's marts (marts.md), in the workbook's order
    mart_models = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    }
    assert mart_models == set(published)  # every mart built is published, none published that is not built
    assert _exposure_models(manifest, "mart_exports") == list(published)  # the exports, sheet by sheet
    assert set(_exposure_models(manifest, "coverage_report")) <= set(published)  # the report reads published marts


def test_the_analyst_database_copies_the_named_marts_not_whatever_the_schema_holds():
    conn = duckdb.connect()
    for table in (
        "marts.coverage_province",
        "marts.retired_mart",
        "audit.load_log",
        "audit.builds",
        "reference.sectors",
    ):
        conn.execute(f"create schema if not exists {table.split('.')[0]}")
        conn.execute(f"create table {table} (x integer)")
    assert published_tables(conn, ["coverage_province"]) == [
        ("marts", "coverage_province"),
        ("audit", "load_log"),
        ("reference", "sectors"),
    ]


def test_every_published_column_has_an_indonesian_label_for_the_workbook():
    import csv

    manifest = _manifest()
    with open(ROOT / "dbt_project" / "seeds" / "column_labels.csv", newline="") as f:
        labelled = {row["column_name"] for row in csv.DictReader(f)}
    nodes = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    columns = {column for mart in published_marts(manifest) for column in nodes[mart]["columns"]}
    assert columns - labelled == set()
