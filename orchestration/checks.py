"""Checks on what was loaded: each new file's refusal ratio, and how fresh the enrolment data is."""

import datetime as dt

import dagster as dg

from common.clock import now_local
from ingest.outcome import FileOutcome

REFUSAL_WARN_ABOVE = 0.01
REFUSAL_ERROR_ABOVE = 0.10
# A ratio from a handful of rows says little (1 bad row of 5 is 20%): below this many rows a high ratio
# warns, and only a file at least this large can stop the build.
REFUSAL_ERROR_MIN_ROWS = 100
FRESHNESS_WARN_AFTER = dt.timedelta(hours=36)


def refusal_ratio_result(key: dg.AssetKey, outcomes: list[FileOutcome]) -> dg.AssetCheckResult:
    """Warn when a file loaded in this refresh refused more than 1% of its rows; fail (blocking what
    depends on it) above 10% in a file of at least 100 rows."""
    read = {o.file_name: o.rows_read for o in outcomes if o.status == "LOADED" and o.rows_read}
    ratios = {o.file_name: (o.rows_refused or 0) / read[o.file_name] for o in outcomes if o.file_name in read}
    errors = [
        name for name, ratio in ratios.items() if ratio > REFUSAL_ERROR_ABOVE and read[name] >= REFUSAL_ERROR_MIN_ROWS
    ]
    warnings = [name for name, ratio in ratios.items() if ratio > REFUSAL_WARN_ABOVE and name not in errors]
    worst = max(ratios.values(), default=0.0)
    severity = dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(
        asset_key=key,
        check_name="refusal_ratio",
        passed=not errors and not warnings,
        severity=severity,
        description=(
            f"above {REFUSAL_ERROR_ABOVE:.0%} refused: {', '.join(errors)}"
            if errors
            else f"above {REFUSAL_WARN_ABOVE:.0%} refused: {', '.join(warnings)}"
            if warnings
            else f"{len(read)} new file(s), none above {REFUSAL_WARN_ABOVE:.0%} refused"
        ),
        metadata={
            "worst_ratio": float(worst),
            "files": dg.MetadataValue.json({name: round(ratio, 4) for name, ratio in ratios.items()}),
        },
    )


def freshness_result(key: dg.AssetKey, newest_extract: dt.date | None) -> dg.AssetCheckResult:
    """Warn when the newest `kepesertaan` extract describes a day that ended more than 36 hours ago (the province's local time)."""
    if newest_extract is None:
        return dg.AssetCheckResult(
            asset_key=key,
            check_name="enrolment_freshness",
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description="no enrolment extract loaded yet",
        )
    age = now_local() - dt.datetime.combine(newest_extract + dt.timedelta(days=1), dt.time())
    return dg.AssetCheckResult(
        asset_key=key,
        check_name="enrolment_freshness",
        passed=age <= FRESHNESS_WARN_AFTER,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"newest kepesertaan extract is of {newest_extract}, {age.total_seconds() / 3600:,.0f} hours old",
        metadata={"newest_extract": str(newest_extract), "age_hours": round(age.total_seconds() / 3600, 1)},
    )
