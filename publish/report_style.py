"""The report page's stylesheet: the desk layout, a phone's (nothing but the wide tables scrolls sideways) and the
print layout Chromium makes the PDF with (A4, the Rupiah tile kept on the page, no controls)."""

STYLE = """
:root { --ink: #1a1a1a; --blue: #1F4E79; --pale: #DDEBF7; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1100px; padding: 1rem 1.25rem 3rem; line-height: 1.45; background: #fff; }
h1 { color: var(--blue); font-size: 1.6rem; margin: .5rem 0 0; }
h2 { color: var(--blue); border-bottom: 2px solid var(--pale); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
nav { font-size: .9rem; margin: .4rem 0 1rem; } nav a { margin-right: .8rem; color: var(--blue); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: .75rem; }
.tile { background: var(--pale); border-radius: 6px; padding: .7rem .9rem; }
.tile .label { font-size: .85rem; }
.tile .value { font-size: 1.8rem; font-weight: 600; color: var(--blue); overflow-wrap: anywhere; }
.tile .note { font-size: .8rem; color: #444; }
.chart { margin: .5rem 0; width: 100%; } .chart.wide { overflow-x: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; vertical-align: top; }
th { background: var(--pale); text-align: left; } td.num { text-align: right; white-space: nowrap; }
.note, footer { color: #555; font-size: .85rem; }
.vega-bind { margin: .3rem 0; font-size: .95rem; } .vega-bind select { font-size: 1rem; padding: .2rem; }
@media (max-width: 600px) {
  body { padding: .6rem; } h1 { font-size: 1.3rem; } .tile .value { font-size: 1.4rem; }
  table { font-size: .8rem; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .vega-bind, .vega-actions { display: none !important; }
  h2 { break-after: avoid; margin-top: 1.2rem; }
  section, figure, table, .tile { break-inside: avoid; }
  .tile { border: 1px solid var(--line); } .tile .value { font-size: 15pt; }
  .chart.wide, .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""
