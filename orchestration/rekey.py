"""`make rekey`: change the pseudonym key on purpose. Every pseudonym is remade from the landed files under
the key now configured (`CAKUPAN_PII_KEY`, else the key file, created if it is gone); `make rekey` then runs
`daily_refresh`, which rebuilds everything from them, so the marts come out identical."""

import duckdb

from common.clock import now_wit
from common.owner_only import owner_only
from ingest.pseudonym_key import PseudonymKeyError, resolve_key
from ingest.rekey import RekeyRefused, rekey
from orchestration.settings import Settings
from orchestration.warehouse_lock import warehouse_lock


def main() -> None:
    settings = Settings.from_env()
    if not settings.warehouse.exists():
        raise SystemExit(f"no warehouse at {settings.warehouse}: nothing to rekey")
    try:
        with warehouse_lock(settings.warehouse, print), owner_only(), duckdb.connect(str(settings.warehouse)) as conn:
            key = resolve_key(conn, settings.pii_key, settings.pii_key_file, create=True)
            rekey(conn, settings.landing_dir, key, now_wit(), print)
    except (RekeyRefused, PseudonymKeyError) as e:
        raise SystemExit(f"rekey refused: {e}") from None


if __name__ == "__main__":
    main()
