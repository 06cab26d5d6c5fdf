"""Reading a landed file: its reader (one per source), and its rows validated batch by batch."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ingest import anggaran, angkatan_kerja, kepesertaan
from ingest.landing import LandedFile
from ingest.read_csv import open_csv
from ingest.read_xlsx import read_xlsx_table
from ingest.validate import Validated, validate

READERS: dict[str, ModuleType] = {
    "kepesertaan": kepesertaan,
    "anggaran": anggaran,
    "angkatan_kerja": angkatan_kerja,
}


@dataclass
class Batches:
    """A file's validated batches, and what reading it detected (encoding and delimiter of a CSV)."""

    detected: dict[str, Any]  # `encoding`, `delimiter`: str or None
    validated: Iterator[Validated]


@contextlib.contextmanager
def read_validated(landed: LandedFile, scratch: Path) -> Iterator[Batches]:
    """A landed file's rows, validated batch by batch (the NIK still in them: they never leave the ingest)."""
    module = READERS[landed.source]
    distinct = {c.name for c in module.SOURCE.columns if c.distinct}
    if landed.file_format == "xlsx":
        table = read_xlsx_table(landed.path, module.SOURCE)
        yield Batches({"encoding": None, "delimiter": None}, iter([validate(table, module.SOURCE, True)]))
        return
    # The loader fingerprinted the file (its sha256 and encoding, one pass); rekey reads it without.
    encoding = landed.fingerprint.text_encoding() if landed.fingerprint is not None else None
    with open_csv(landed.path, module.SOURCE, scratch, encoding) as csv:
        batches = (validate(batch, module.SOURCE, False) for batch in csv.batches(distinct))
        yield Batches({"encoding": csv.encoding, "delimiter": csv.delimiter_name}, batches)
