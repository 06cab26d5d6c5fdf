"""The marts of marts.md: the interface analysts rely on, published, exported and reported."""

MART_NAMES = (
    "coverage_regency_sector",
    "coverage_regency",
    "coverage_sector",
    "coverage_province",
    "coverage_monthly",
    "target_projection",
    "budget_realization",
    "budget_coverage",
    "unmapped_occupations",
)
