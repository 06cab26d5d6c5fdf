"""The files the refresh tests land: the hand-made population (every mart number worked out by hand: the story
is told in tests/test_handmade_population.py), hostile texts an office might send, and a large valid delta.
Data only: fixtures and tests import it, never another test module."""

from pathlib import Path

import polars as pl

HEADER = "NO_KPJ,NIK,NAMA_LENGKAP,KAB_KOTA,SEGMEN,PEKERJAAN,SUMBER_IURAN,TGL_KEPESERTAAN,STATUS,TGL_UPDATE"
MAY = [
    "00000000001,8171011505850001,Pertama,Kota Ambon,BPU,Kepala Desa,APBD_PROV,02/05/2024,AKTIF,2024-05-15 10:00:00",
    "00000000002,8171015506900002,Kedua,Ambon,BPU,Petani,MANDIRI,01/01/2023,AKTIF,2024-05-15 10:00:00",
    "00000000003,8171015506900002,Kedua,Kab. Buru,BPU,nelayan,MANDIRI,01/03/2024,AKTIF,2024-05-15 10:00:00",
    "00000000004,8171010101800003,Ketiga,8171,BPU,Petani,MANDIRI,03/05/2024,AKTIF,2024-05-15 10:00:00",
    "00000000005,8171010202800004,Keempat,81.71,BPU,Petani,MANDIRI,01/01/2022,AKTIF,2024-05-20 08:00:00",
    "00000000006,8171010303800005,Kelima,Kota Ambon,JAKON,Tukang,PEMBERI_KERJA,10/05/2024,AKTIF,2024-05-15 10:00:00",
    "00000000007,8171010404800006,Keenam,Kota Ambon,PU,Buruh Harian,PEMBERI_KERJA,01/01/2020,AKTIF,2024-05-15 10:00:00",
    "00000000009,8171010505800008,Kedelapan,Kota Ambon,BPU,Petani,MANDIRI,01/01/2019,AKTIF,2024-05-15 10:00:00",
]
JUNE = [
    "00000000004,8171010101800003,Ketiga,8171,BPU,Petani,MANDIRI,03/05/2024,NONAKTIF,2024-06-20 12:00:00",
    "00000000005,8171010202800004,Keempat,81.71,BPU,Petani,MANDIRI,01/01/2022,NONAKTIF,2024-05-20 08:00:00",
    "00000000008,8104010606800007,Ketujuh,Buru,BPU,Ojek,APBD_KAB,05/06/2024,AKTIF,2024-06-06 09:00:00",
    "00000000009,8171010505800008,Kedelapan,Kota Ambon,BPU,Petani,MANDIRI,01/01/2019,NONAKTIF,2024-07-01 00:00:00",
    "00000000010,817101050580000,Kesembilan,Kota Ambon,BPU,Petani,MANDIRI,01/01/2019,AKTIF,2024-06-01 00:00:00",
]
WORKFORCE = """TAHUN,KAB_KOTA,SEKTOR,JUMLAH_PEKERJA
2024,Kota Ambon,Perangkat Desa,20
2024,Kota Ambon,BPU_LAINNYA,10
2024,Buru,NELAYAN,5
"""
BUDGET_MARCH = """TAHUN_ANGGARAN;PEMDA;NAMA_OPD;SEKTOR_SASARAN;JUMLAH_SASARAN;PAGU;REALISASI
2024;Pemprov Maluku;Dinas PMD;Perangkat Desa;10;2.016.000;500.000
"""
BUDGET_JUNE = """TAHUN_ANGGARAN;PEMDA;NAMA_OPD;SEKTOR_SASARAN;JUMLAH_SASARAN;PAGU;REALISASI
2024;Pemerintah Provinsi Maluku;dinas  PMD;PERANGKAT_DESA;10;Rp 2.016.000;1.008.000,00
2024;Pemkab Buru;Dinas Sosial;Pekerja Rentan;4;1.000.000;403.200
2024;Pemkab Buru;Dinas Sosial;Nelayan;4;-1.000.000;0
"""

HOSTILE_OPD = [
    '=HYPERLINK("http://example.invalid","klik")',
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
    "Dinas'; drop table marts.coverage_province; --",
]
LONG_OPD = "Dinas " + "Panjang " * 6000  # 48k characters: more than an Excel cell holds
CONTROL_OPD = "Dinas\x07 Kontrol\x1b[31m merah"
HOSTILE_BUDGET = "TAHUN_ANGGARAN|PEMDA|NAMA_OPD|SEKTOR_SASARAN|JUMLAH_SASARAN|PAGU|REALISASI\n" + "".join(
    f"2024|Pemkot Ambon|{name}|Guru|5|1.008.000|504.000\n" for name in [*HOSTILE_OPD, LONG_OPD, CONTROL_OPD]
)
SQL_LOOKING_FILE = "anggaran_20240702_x'); drop table audit.load_log; --.csv"
# A lapsed card (so no count changes) whose name and occupation are hostile text.
HOSTILE_MEMBER = (
    "00000000077,8171011505850077,Robert'); DROP TABLE raw.kepesertaan;--,Kota Ambon,BPU,"
    "=cmd|' /C calc'!A0,MANDIRI,01/01/2020,NONAKTIF,2024-06-01 10:00:00"
)

# A budget report without its PAGU column (refused whole), and a correction whose one row has an impossible date.
BUDGET_WITHOUT_PAGU = (
    "TAHUN_ANGGARAN;PEMDA;NAMA_OPD;SEKTOR_SASARAN;JUMLAH_SASARAN;REALISASI\n2024;Pemkab Buru;Dinas Sosial;Nelayan;4;0\n"
)
IMPOSSIBLE_DATE_ROW = (
    "00000000011,8171010707800009,Kesebelas,Kota Ambon,BPU,Petani,MANDIRI,31/02/2024,AKTIF,2024-06-10 10:00:00"
)

BIG_ROWS = 400_000


def write_big_delta(path: Path, rows: int = BIG_ROWS, encoding: str = "utf-8") -> None:
    """A large, valid enrolment delta (built with polars, so it takes a second, not a minute); in Windows-1252
    its names carry an accent, so that the file is read through a UTF-8 copy (ingest/read_csv.py)."""
    i = pl.int_range(0, rows, eager=True)
    frame = pl.DataFrame(
        {
            "NO_KPJ": (i + 10_000_000).cast(pl.String).str.zfill(11),
            "NIK": "81710115058" + (i % 90_000 + 10_000).cast(pl.String),
            "NAMA_LENGKAP": pl.Series(["Nama Besar" if encoding == "utf-8" else "Nama Bésar"] * rows),
            "KAB_KOTA": pl.Series(["Kota Ambon", "Kab. Buru", "Malteng"] * (rows // 3) + ["Kota Ambon"] * (rows % 3)),
            "SEGMEN": pl.Series(["BPU"] * rows),
            "PEKERJAAN": pl.Series(["Nelayan"] * rows),
            "SUMBER_IURAN": pl.Series(["MANDIRI"] * rows),
            "TGL_KEPESERTAAN": pl.Series(["01/01/2024"] * rows),
            "STATUS": pl.Series(["AKTIF"] * rows),
            "TGL_UPDATE": pl.Series(["2024-07-15 10:00:00"] * rows),
        }
    )
    if encoding == "utf-8":
        frame.write_csv(path)
    else:
        path.write_bytes(frame.write_csv().encode(encoding))
