"""The marts of marts.md: the interface analysts rely on, published, exported and reported. Kept by hand, apart
from the pipeline's list (the dbt `analyst_database` exposure), so the tests do not take the code's word for
it; tests/test_published_marts.py fails when the two differ."""

MART_NAMES = (
    "coverage_regency_sector",
    "coverage_regency",
    "coverage_sector",
    "coverage_province",
    "coverage_monthly",
    "coverage_monthly_regency",  # not in marts.md: the monthly series by regency and province the report draws
    "target_projection",
    "budget_realization",
    "budget_coverage",
    "unmapped_occupations",
)
