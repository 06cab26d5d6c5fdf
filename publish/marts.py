"""Which marts are published (copied into the analyst database, exported), and in which order analysts meet them
(the workbook's sheets): the dbt project's `analyst_database` exposure (dbt_project/models/exposures.yml) says
so, not a list kept here by hand. The tests' own list of the spec's marts (tests/marts.py) is held to it by
tests/test_published_marts.py."""

from collections.abc import Mapping, Sequence
from typing import Any

ANALYST_DATABASE = "exposure.cakupan.analyst_database"


def mart_descriptions(manifest: Mapping[str, Any], marts: Sequence[str]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each of `marts`' description and its columns' descriptions, as the dbt project writes them: what the
    analyst database shows as the tables' and columns' comments (publish/analytics_db.py)."""
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    return {
        mart: (
            models[mart]["description"],
            {column: spec["description"] for column, spec in models[mart]["columns"].items()},
        )
        for mart in marts
    }


def published_marts(manifest: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the marts the `analyst_database` exposure depends on, in its order, from dbt's manifest."""
    nodes = manifest["exposures"][ANALYST_DATABASE]["depends_on"]["nodes"]
    return tuple(manifest["nodes"][node]["name"] for node in nodes)
