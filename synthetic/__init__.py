"""Seeded generator of realistic landed extracts for Cakupan, and the truth they imply.

    from synthetic import generate
    expected = generate(Path("data/landing"), people=30_000, seed=7)

The generator is the test oracle of the readers and the marts: it is written from the
spec alone, and `expected` is computed from its own records, never by reading files.

`expected` (JSON-serialisable) holds:
  as_of                  latest date among the kepesertaan file names (ISO)
  province               covered_workers (people, end of as_of), eligible_workers (angkatan_kerja, year of as_of)
  cells                  121 x {regency_code, sector, covered_workers, eligible_workers}
  regencies, sectors     the same summed over sectors / over regencies
  monthly                covered_workers (and by_regency) at each month end of the extracts' months
  memberships            cards known and AKTIF at as_of, distinct NIKs in the loaded rows
  unmapped_occupations   normalised occupations placed by rules 4-6, memberships at as_of, most frequent first
  budget_lines           latest report per (year, owner, OPD, sector); OPD spelled as first seen
  budget_coverage        per (year, owner, sector): sums, capacity_workers, funded_covered_workers
  files                  name -> {source, status, extract_date, rows_read, rows_refused, rows_loaded}
  refused                [{file_name, row_number, reason, column_name}] for every deliberately bad row
  nulled                 [{file_name, row_number, column_name}] optional cells written unreadable (row loads)
  parameters             the arguments used
"""

from .generator import generate

__all__ = ["generate"]
