"""Reference data the readers need, read from the dbt seeds that analysts maintain."""

import csv

from common.province import SEEDS_DIR


def read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
