"""The pipeline's clock: Maluku's wall time (WIT, UTC+9), naive, as every timestamp in the warehouse."""

import datetime as dt
from zoneinfo import ZoneInfo

WIT = ZoneInfo("Asia/Jayapura")


def now_wit() -> dt.datetime:
    return dt.datetime.now(WIT).replace(tzinfo=None)
