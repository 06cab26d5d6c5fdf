"""Which marts are published (copied into the analyst database, exported), and in which order analysts meet them
(the workbook's sheets): the dbt project's `analyst_database` exposure (dbt_project/models/exposures.yml) says
so, not a list kept here by hand. The tests' own list of the spec's marts (tests/marts.py) is held to it by
tests/test_published_marts.py."""

from collections.abc import Mapping
from typing import Any

ANALYST_DATABASE = "exposure.cakupan.analyst_database"


def published_marts(manifest: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the marts the `analyst_database` exposure depends on, in its order, from dbt's manifest."""
    nodes = manifest["exposures"][ANALYST_DATABASE]["depends_on"]["nodes"]
    return tuple(manifest["nodes"][node]["name"] for node in nodes)
