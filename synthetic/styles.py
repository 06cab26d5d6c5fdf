"""The look of each landed file: format, encoding, delimiter, header spelling, value formats.

Presets are hand-made so that, over a year of extracts, every variation extracts.md
allows turns up at least once; variety=False gives every file the plain look.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .writers import CsvLayout, XlsxLayout

KEPESERTAAN_COLUMNS = (
    "NO_KPJ",
    "NIK",
    "NAMA_LENGKAP",
    "TGL_LAHIR",
    "JENIS_KELAMIN",
    "KAB_KOTA",
    "KECAMATAN",
    "SEGMEN",
    "PEKERJAAN",
    "SUMBER_IURAN",
    "PROGRAM",
    "UPAH",
    "TGL_KEPESERTAAN",
    "BLTH_TERAKHIR",
    "STATUS",
    "TGL_UPDATE",
)


@dataclass(frozen=True)
class Style:
    kind: str = "csv"  # csv | xlsx
    csv: CsvLayout = field(default_factory=CsvLayout)
    xlsx: XlsxLayout = field(default_factory=XlsxLayout)
    headers: dict = field(default_factory=dict)  # canonical -> header text (default: canonical)
    order: tuple = ()  # column order; names not canonical are extra columns
    date_fmt: str = "yyyy-mm-dd"  # or "native" (Excel date cells)
    date_case: str = "title"
    ts_fmt: str = "yyyy-mm-dd hh:mm:ss"  # or "native"
    money_fmt: str = "plain"  # or "native"
    code_case: str = "upper"
    segmen_case: str = "upper"
    sex_style: str = "short"
    regency_style: str = "official"
    sector_style: str = "code"
    blth_fmt: str = "yyyymm"
    program_sep: str = ", "
    name_case: str = "upper"
    kpj_numeric: bool = False
    blank_rows: int = 0
    total_label: str | None = None
    sort: str = "kpj"  # kpj | ts | registration

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    @property
    def ts_text_fmt(self) -> str | None:
        return None if self.ts_fmt == "native" else self.ts_fmt


PLAIN = Style(order=KEPESERTAAN_COLUMNS)

_ALIASES_A = {  # spaced, mixed-case spellings
    "NO_KPJ": "No KPJ",
    "NIK": "NIK",
    "NAMA_LENGKAP": "Nama Lengkap",
    "TGL_LAHIR": "Tanggal Lahir",
    "JENIS_KELAMIN": "Jenis Kelamin",
    "KAB_KOTA": "Kabupaten Kota",
    "KECAMATAN": "Kecamatan",
    "SEGMEN": "Segmen",
    "PEKERJAAN": "Pekerjaan",
    "SUMBER_IURAN": "Sumber Iuran",
    "PROGRAM": "Program",
    "UPAH": "Upah Dilaporkan",
    "TGL_KEPESERTAAN": "Tgl Kepesertaan",
    "BLTH_TERAKHIR": "Blth Terakhir",
    "STATUS": "Status",
    "TGL_UPDATE": "Tgl Update",
}
_ALIASES_B = {  # the short aliases of extracts.md
    "NO_KPJ": "KPJ",
    "NIK": "NO_NIK",
    "NAMA_LENGKAP": "NAMA",
    "TGL_LAHIR": "TANGGAL_LAHIR",
    "JENIS_KELAMIN": "JK",
    "KAB_KOTA": "WILAYAH",
    "SUMBER_IURAN": "SUMBER_DANA",
    "UPAH": "UPAH_DILAPORKAN",
    "TGL_KEPESERTAAN": "TGL_DAFTAR",
}
_ALIASES_C = {  # lower case, stray spaces
    "NO_KPJ": "kpj",
    "NIK": "no nik",
    "NAMA_LENGKAP": "nama",
    "TGL_LAHIR": "tgl lahir",
    "JENIS_KELAMIN": "jk",
    "KAB_KOTA": " kab kota ",
    "KECAMATAN": "kecamatan",
    "SEGMEN": "segmen",
    "PEKERJAAN": "pekerjaan",
    "SUMBER_IURAN": "sumber dana",
    "PROGRAM": "program",
    "UPAH": "upah",
    "TGL_KEPESERTAAN": "tgl daftar",
    "BLTH_TERAKHIR": "blth terakhir",
    "STATUS": "status",
    "TGL_UPDATE": "tgl update",
}
_ALIASES_D = {  # the spellings of the brief: Nomor KPJ, no nik, Kabupaten Kota, TGL_DAFTAR, sumber dana
    "NO_KPJ": "Nomor KPJ",
    "NIK": "no nik",
    "KAB_KOTA": "Kabupaten Kota",
    "TGL_KEPESERTAAN": "TGL_DAFTAR",
    "SUMBER_IURAN": "sumber dana",
    "NAMA_LENGKAP": "NAMA",
    "JENIS_KELAMIN": "JENIS KELAMIN",
}

_REORDERED = (
    "NIK",
    "NO_KPJ",
    "NAMA_LENGKAP",
    "JENIS_KELAMIN",
    "TGL_LAHIR",
    "SEGMEN",
    "SUMBER_IURAN",
    "PEKERJAAN",
    "KAB_KOTA",
    "KECAMATAN",
    "TGL_KEPESERTAAN",
    "STATUS",
    "BLTH_TERAKHIR",
    "PROGRAM",
    "UPAH",
    "TGL_UPDATE",
)
_LEAN = (  # optional columns left out
    "NO_KPJ",
    "NIK",
    "NAMA_LENGKAP",
    "TGL_LAHIR",
    "JENIS_KELAMIN",
    "KAB_KOTA",
    "SEGMEN",
    "PEKERJAAN",
    "SUMBER_IURAN",
    "UPAH",
    "TGL_KEPESERTAAN",
    "STATUS",
    "TGL_UPDATE",
)

# Presets for the monthly deltas after the first extract (which is always PLAIN: it is the big one).
KEPESERTAAN_PRESETS: list[Style] = [
    Style(
        kind="csv",
        csv=CsvLayout("utf-8-sig", ";", "\r\n"),
        headers=_ALIASES_A,
        order=(*_REORDERED, "KETERANGAN"),
        date_fmt="dd/mm/yyyy",
        ts_fmt="yyyy-mm-dd hh:mm:ss",
        money_fmt="dots_decimals",
        code_case="lower",
        regency_style="mixed",
        blth_fmt="mm-yyyy",
        program_sep="+",
        name_case="title",
        blank_rows=2,
        sort="ts",
    ),
    Style(
        kind="xlsx",
        xlsx=XlsxLayout(
            (
                "LAPORAN DATA KEPESERTAAN BPJS KETENAGAKERJAAN",
                "KANTOR CABANG AMBON - PROVINSI MALUKU",
                "Periode mutasi bulanan",
            ),
            blank_after_titles=True,
            merge_titles=True,
            sheet_name="Mutasi",
        ),
        order=("NO", *KEPESERTAAN_COLUMNS),
        date_fmt="native",
        ts_fmt="native",
        money_fmt="native",
        code_case="title",
        regency_style="official",
        kpj_numeric=True,
        blank_rows=1,
        total_label="TOTAL",
        sex_style="long",
        name_case="upper",
    ),
    Style(
        kind="csv",
        csv=CsvLayout("cp1252", "|", "\n"),
        headers={k: v.upper().strip() for k, v in _ALIASES_C.items()},
        order=KEPESERTAAN_COLUMNS,
        date_fmt="indo_full",
        date_case="title",
        ts_fmt="dd/mm/yyyy hh:mm",
        money_fmt="rp_dots",
        code_case="upper",
        regency_style="dotted",
        name_case="upper",
        blth_fmt="yyyy-mm",
        blank_rows=1,
    ),
    Style(
        kind="csv",
        csv=CsvLayout("utf-8", "\t", "\r\n", quote_all=True),
        headers=_ALIASES_B,
        order=_LEAN,
        date_fmt="dd-mm-yyyy",
        ts_fmt="yyyy-mm-dd hh:mm:ss",
        money_fmt="plain",
        segmen_case="long",
        code_case="spaced",
        regency_style="mixed",
        sex_style="long_title",
        name_case="title",
    ),
    Style(
        kind="xlsx",
        xlsx=XlsxLayout(("REKAP MUTASI PESERTA BPU",), sheet_name="BPU"),
        order=(*KEPESERTAAN_COLUMNS, "KODE_KANTOR"),
        date_fmt="indo_short",
        date_case="upper",
        ts_fmt="dd/mm/yyyy hh:mm",
        money_fmt="native",
        code_case="upper",
        regency_style="mixed",
        total_label="JUMLAH",
        blank_rows=1,
        name_case="title",
        sort="ts",
    ),
    Style(
        kind="csv",
        csv=CsvLayout("utf-8", ",", "\r\n", blank_line_before_header=True),
        headers=_ALIASES_C,
        order=_REORDERED,
        date_fmt="d/m/yyyy",
        ts_fmt="yyyy-mm-dd hh:mm:ss",
        money_fmt="rp_plain",
        code_case="mixed",
        regency_style="code",
        sex_style="lower",
        program_sep=",",
        blank_rows=2,
    ),
    Style(
        kind="csv",
        csv=CsvLayout("cp1252", ";", "\r\n"),
        headers=_ALIASES_D,
        order=(*KEPESERTAAN_COLUMNS, "KETERANGAN"),
        date_fmt="yyyy-mm-dd",
        ts_fmt="dd/mm/yyyy hh:mm",
        money_fmt="dots",
        code_case="title",
        segmen_case="long",
        regency_style="mixed",
        name_case="title",
        blank_rows=1,
        sort="ts",
    ),
    Style(
        kind="csv",
        csv=CsvLayout("utf-8-sig", "|", "\n"),
        headers=_ALIASES_A,
        order=KEPESERTAAN_COLUMNS,
        date_fmt="indo_short",
        date_case="title",
        ts_fmt="yyyy-mm-dd hh:mm:ss",
        money_fmt="rp_dots",
        code_case="upper",
        regency_style="short",
        blth_fmt="yyyymm",
        name_case="upper",
    ),
]
