"""What the report's charts share. The charts are Vega-Lite specifications made with Altair, one module per subject:
coverage by place (`report_map.py`: the map and the regency × sector heat map), over time (`report_trend.py`: the
monthly trend and the projection to December) and where to act (`report_action.py`: sectors to the target, budget
lines' cost per worker, realisation against pagu).

Why Vega-Lite through Altair: the charts are declared (data, marks, encodings) rather than drawn, so one spec gives
hover tooltips, a regency selector and a map without any hand-written JavaScript; Vega draws them as SVG, which a
browser test can inspect and Chromium prints sharply into the PDF; and `vl-convert-python` ships the Vega, Vega-Lite
and vega-embed scripts as one bundle inside its wheel, so the page inlines them and works offline with nothing
fetched. Every number a reader sees in a tooltip is formatted in Indonesian (`indonesian.py`), not left to the
browser. Colours are told apart by readers with any colour vision: no chart relies on red against green.
"""

from typing import Any

import altair as alt

Spec = dict[str, Any]
# Whether a chart's spec is checked against Vega-Lite's JSON schema as it is written: the test suite turns it on
# (tests/conftest.py); a refresh does not pay the check every time it publishes (it costs more than the charts).
VALIDATE_SPECS = False
# Charts as wide as the page (phones included) but as tall as their rows need.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def as_float(value: Any) -> float | None:
    """A mart's number (a Decimal, say) as a float for the chart's data; None stays None."""
    return None if value is None else float(value)


def rows(name: str, format: alt.DataFormat | None = None) -> alt.Data:
    """A chart's data by name: its values join the spec in `spec(chart, name=values)`, after Altair has written it."""
    return alt.Data(name=name, format=format) if format is not None else alt.Data(name=name)


def spec(chart: alt.TopLevelMixin, **datasets: list[Any]) -> Spec:
    """The chart's Vega-Lite spec, checked against the schema when VALIDATE_SPECS, with each of `datasets` (rows, or
    GeoJSON features) under its name in the spec's `datasets`. Altair would walk every value it holds, each
    coordinate of the map's boundaries included (a third of a second per refresh): it writes the chart, and the
    values are added to what it wrote, as they are."""
    written = chart.to_dict(validate=VALIDATE_SPECS)
    if datasets:
        written.setdefault("datasets", {}).update(datasets)
    return written
