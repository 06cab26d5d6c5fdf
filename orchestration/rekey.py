"""`make rekey`: change the pseudonym key on purpose. Every pseudonym is remade from the landed files under
the key now configured (`CAKUPAN_PII_KEY`, else the key file, created if it is gone); `make rekey` then runs
`daily_refresh`, which rebuilds everything from them, so the marts come out identical."""

from common.clock import now_local
from common.migrations import SchemaTooNew
from ingest.pseudonym_key import PseudonymKeyError, resolve_key
from ingest.rekey import RekeyRefused, rekey
from ingest.warehouse import ensure_schema
from orchestration.resources import WarehouseResource
from orchestration.settings import CakupanSettings


def main() -> None:
    settings = CakupanSettings.from_env()
    if settings.lake is not None:
        # A lake has one key for every province (a NIK is national): changing it means remaking every province's
        # pseudonyms and the national check value together, which this command does not do (docs/deploying.md).
        raise SystemExit(
            "rekey refused: the warehouse is a lake (CAKUPAN_LAKE_CATALOG is set), whose provinces share one key; "
            "`make rekey` changes the key of one DuckDB warehouse only"
        )
    if not settings.warehouse_path.exists():
        raise SystemExit(f"no warehouse at {settings.warehouse_path}: nothing to rekey")
    try:
        warehouse = WarehouseResource(settings=settings)
        with warehouse.lock(print), warehouse.get_connection() as conn:
            ensure_schema(conn)  # a warehouse too new for this code is refused before its key is looked at
            key = resolve_key(conn, settings.pii_key_value, settings.pii_key_file, create=True)
            rekey(conn, settings.landing_path, key, now_local(), print)
    except (RekeyRefused, PseudonymKeyError, SchemaTooNew) as e:
        raise SystemExit(f"rekey refused: {e}") from None


if __name__ == "__main__":
    main()
