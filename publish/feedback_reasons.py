"""Why a row was refused, in words an office administrator understands, and what a valid value looks like.

The reason codes are the ingest's (extracts.md, `audit.refused_rows.reason`); a code added there without a sentence
here is shown as it is rather than failing, and tests/test_feedback.py names it."""

from common.province import served

# Reason code → (title, sentence); the sentence takes the masked value shown in the workbook.
REASONS: dict[str, tuple[str, str]] = {
    "VALUE_MISSING": ("Isian wajib kosong", "kolom wajib ini kosong"),
    "NIK_INVALID": (
        "NIK tidak sah",
        "NIK tidak sah (harus 16 angka dengan kode provinsi, tanggal dan bulan lahir yang benar): {value}",
    ),
    "KPJ_INVALID": ("Nomor KPJ tidak sah", "nomor KPJ harus 11 angka: {value}"),
    "REGENCY_UNKNOWN": (
        "Kabupaten/kota tidak dikenal",
        "kabupaten/kota tidak dikenal sebagai salah satu dari {regencies} kabupaten/kota di {province}: {value}",
    ),
    "SECTOR_UNKNOWN": ("Sektor tidak dikenal", "sektor tidak ada dalam daftar sektor sasaran: {value}"),
    "CODE_UNKNOWN": ("Kode tidak dikenal", "isian tidak ada dalam daftar kode yang berlaku: {value}"),
    "DATE_INVALID": ("Tanggal tidak sah", "tanggal tidak ada atau tidak terbaca: {value}"),
    "NUMBER_INVALID": ("Angka tidak sah", "bukan bilangan bulat yang terbaca: {value}"),
    "MONEY_INVALID": ("Jumlah uang tidak sah", "jumlah Rupiah tidak terbaca atau negatif: {value}"),
}

# What a valid value of each column looks like (extracts.md). Never a NIK-shaped example: a NIK is described.
VALID_VALUES: dict[str, str] = {
    "NO_KPJ": "11 angka, mis. 00012345678",
    "NIK": "16 angka: 2 kode provinsi (mis. 81), 2 kabupaten, 2 kecamatan, tanggal-bulan-tahun lahir (DDMMYY, "
    "perempuan tanggal + 40), 4 nomor urut",
    "TGL_LAHIR": "tanggal yang ada, mis. 17/08/1985, 1985-08-17 atau 17 Agustus 1985",
    "JENIS_KELAMIN": "L atau P",
    "KAB_KOTA": "nama resmi kabupaten/kota di {province}, mis. {example}",
    "SEGMEN": "PU, BPU, JAKON atau PMI",
    "SUMBER_IURAN": "MANDIRI, PEMBERI_KERJA, APBD_PROV, APBD_KAB, APBDES atau CSR",
    "PROGRAM": "program yang dikenal, mis. JKK, JKM (juga JHT, JP, JKP)",
    "UPAH": "jumlah Rupiah tidak negatif, mis. 2.950.000 atau Rp 2.950.000",
    "TGL_KEPESERTAAN": "tanggal yang ada, mis. 01/03/2024 atau 2024-03-01",
    "BLTH_TERAKHIR": "bulan dan tahun, mis. 03/2024 atau 2024-03",
    "STATUS": "AKTIF atau NONAKTIF",
    "TGL_UPDATE": "tanggal dan jam, mis. 2024-03-31 10:00:00 atau 31/03/2024 10:00",
    "TAHUN_ANGGARAN": "tahun empat angka, mis. 2024",
    "TAHUN": "tahun empat angka, mis. 2024",
    "PEMDA": "{government} atau nama pemerintah kabupaten/kota di {province}, mis. {example_government}",
    "NAMA_OPD": "nama OPD, mis. Dinas Sosial",
    "SEKTOR_SASARAN": "salah satu sektor sasaran, mis. Perangkat Desa, Nelayan dan ABK, Guru Honorer dan Swasta",
    "SEKTOR": "salah satu sektor sasaran, mis. Perangkat Desa, Nelayan dan ABK, Guru Honorer dan Swasta",
    "JUMLAH_SASARAN": "bilangan bulat tanpa satuan, mis. 150",
    "JUMLAH_PEKERJA": "bilangan bulat tanpa satuan, mis. 1.250",
    "PAGU": "jumlah Rupiah tidak negatif, mis. 87.000.000 atau Rp 87.000.000",
    "REALISASI": "jumlah Rupiah tidak negatif, mis. 71.433.600 atau Rp 71.433.600",
}


def _place() -> dict[str, str]:
    """The served province's words for the sentences above: its name, its regencies, an example of each."""
    province = served()
    first = province.regencies[0]
    government = {"kabupaten": "Pemkab", "kota": "Pemkot"}[first.kind]
    return {
        "province": province.name,
        "code": province.code,
        "regencies": str(len(province.regencies)),
        "example": first.name,
        "government": province.government,
        "example_government": f"{government} {first.short_name}",
    }


def reason_title(reason: str) -> str:
    """A short name for the reason (tables of counts); an unknown code as it is."""
    return REASONS[reason][0] if reason in REASONS else reason


def reason_sentence(reason: str, masked_value: str | None) -> str:
    """`DATE_INVALID`, `31/02/2024` → `tanggal tidak ada atau tidak terbaca: 31/02/2024`."""
    if reason not in REASONS:
        return reason if masked_value is None else f"{reason}: {masked_value}"
    sentence = REASONS[reason][1]
    if masked_value is None:
        return sentence.replace(": {value}", "").replace("{value}", "").format(**_place())
    return sentence.format(value=masked_value, **_place())


def valid_value(column: str) -> str:
    return VALID_VALUES.get(column, "").format(**_place())
