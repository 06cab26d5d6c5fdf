"""Reference data every layer reads, from the dbt seeds that analysts maintain (the project's own files)."""

import csv
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


def read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
