"""The small parsing helpers every reader shares: dates, Rupiah, NIK, KPJ, regencies, codes."""

import datetime as dt
import re
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.seeds import read_seed
from ingest import codes
from ingest.dates import MONTHS, parse_date, parse_month, parse_timestamp
from ingest.identifiers import mask_nik, nik_digits, nik_is_valid, parse_kpj
from ingest.numbers import parse_count, parse_money, parse_year
from ingest.regency import parse_budget_owner, parse_regency
from tests.parsing import apply, one

any_text = st.text(max_size=40)


# Dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/1985", dt.date(1985, 8, 17)),
        ("17-08-1985", dt.date(1985, 8, 17)),
        ("9/3/2000", dt.date(2000, 3, 9)),
        ("1985-08-17", dt.date(1985, 8, 17)),
        ("17 Agustus 1985", dt.date(1985, 8, 17)),
        ("17 agt 1985", dt.date(1985, 8, 17)),
        ("17 AGU 1985", dt.date(1985, 8, 17)),
        ("9 Mar 2000", dt.date(2000, 3, 9)),
        ("1 Mei 2024", dt.date(2024, 5, 1)),
        ("31 Des 2024", dt.date(2024, 12, 31)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("31/02/2024", None),
        ("29/02/2023", None),
        ("13/13/2024", None),
        ("9/3-2000", None),
        ("17 August 1985", None),
        ("2024-03-09 00:00:00", None),  # a timestamp is no date in a CSV
        ("", None),
        ("bukan tanggal", None),
    ],
)
def test_dates(text, expected):
    assert one(parse_date, text) == expected


def test_excel_date_cells():
    excel = lambda e: parse_date(e, excel=True)  # noqa: E731
    assert apply(excel, ["2024-03-09 00:00:00", "45360", "17/08/1985"]) == [
        dt.date(2024, 3, 9),
        dt.date(2024, 3, 9),
        dt.date(1985, 8, 17),
    ]


_MONTH_NAMES = {}
for name, number in MONTHS.items():
    _MONTH_NAMES.setdefault(number, []).append(name)


@st.composite
def written_dates(draw):
    date = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
    style = draw(st.sampled_from(["dmy_slash", "dmy_dash", "dmy_short", "iso", "named"]))
    if style == "dmy_slash":
        text = f"{date.day:02d}/{date.month:02d}/{date.year}"
    elif style == "dmy_dash":
        text = f"{date.day:02d}-{date.month:02d}-{date.year}"
    elif style == "dmy_short":
        text = f"{date.day}/{date.month}/{date.year}"
    elif style == "iso":
        text = date.isoformat()
    else:
        name = draw(st.sampled_from(_MONTH_NAMES[date.month]))
        name = "".join(c.lower() if draw(st.booleans()) else c for c in name)
        text = f"{date.day} {name} {date.year}"
    padding = draw(st.sampled_from(["", " ", "  "]))
    return date, padding + text + padding


@given(written_dates())
def test_every_accepted_date_form_round_trips(case):
    date, text = case
    assert one(parse_date, text) == date


@given(st.integers(1, 12), st.integers(29, 31), st.integers(1900, 2100))
def test_impossible_days_are_refused(month, day, year):
    try:
        dt.date(year, month, day)
        possible = True
    except ValueError:
        possible = False
    assert (one(parse_date, f"{day:02d}/{month:02d}/{year}") is not None) == possible


@given(any_text)
def test_date_parsing_never_raises(text):
    result = one(parse_date, text)
    assert result is None or isinstance(result, dt.date)


def test_timestamps():
    assert apply(
        parse_timestamp,
        ["2024-03-09 13:45:10", "09/03/2024 13:45", "9/3/2024 7:05", "2024-03-09 25:00:00", "2024-03-09"],
    ) == [
        dt.datetime(2024, 3, 9, 13, 45, 10),
        dt.datetime(2024, 3, 9, 13, 45),
        dt.datetime(2024, 3, 9, 7, 5),
        None,
        None,
    ]


def test_months():
    assert apply(parse_month, ["202403", "03-2024", "2024-03", "202413", "March"]) == [
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 1),
        None,
        None,
    ]


# Rupiah --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500.000", Decimal("1500000")),
        ("1.500.000,00", Decimal("1500000")),
        ("1.500.000,5", Decimal("1500000.50")),
        ("Rp 1.500.000", Decimal("1500000")),
        ("Rp1500000", Decimal("1500000")),
        ("rp. 1.500.000", Decimal("1500000")),
        ("1500000", Decimal("1500000")),
        ("0", Decimal("0")),
        ("-1.500.000", None),
        ("1,500,000", None),
        ("15.00.000", None),
        ("1500000.50", None),  # a decimal point is not Indonesian: only Excel number cells read this way
        ("satu juta", None),
    ],
)
def test_money(text, expected):
    assert one(parse_money, text) == expected


def test_money_in_excel_number_cells():
    excel = lambda e: parse_money(e, excel=True)  # noqa: E731
    assert apply(excel, ["1500000.5", "1500000", "1.500.000"]) == [
        Decimal("1500000.50"),
        Decimal("1500000"),
        Decimal("1500000"),
    ]


def _indonesian(amount: Decimal, grouped: bool, decimals: bool, prefix: str) -> str:
    whole, cents = divmod(int(amount * 100), 100)
    digits = f"{whole:,}".replace(",", ".") if grouped else str(whole)
    return prefix + digits + (f",{cents:02d}" if decimals else "")


@given(
    st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2),
    st.booleans(),
    st.sampled_from(["", "Rp", "Rp ", "RP. "]),
)
def test_every_rupiah_form_round_trips(amount, grouped, prefix):
    has_cents = amount != amount.to_integral_value()
    text = _indonesian(amount, grouped, has_cents, prefix)
    assert one(parse_money, text) == amount


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999"), places=2))
def test_negative_money_is_refused(amount):
    assert one(parse_money, "-" + _indonesian(amount, True, True, "")) is None


@given(any_text)
def test_money_parsing_never_raises(text):
    result = one(parse_money, text)
    assert result is None or result >= 0


def test_counts_and_years():
    assert apply(parse_count, ["12", "1.250", "12,5", "-3", ""]) == [12, 1250, None, None, None]
    assert apply(lambda e: parse_count(e, excel=True), ["12.0", "12"]) == [12, 12]
    assert apply(parse_year, ["2024", "24", "20240"]) == [2024, None, None]


# NIK and KPJ ---------------------------------------------------------------------------------------


@st.composite
def valid_niks(draw):
    province = draw(st.integers(11, 96))
    day = draw(st.integers(1, 31)) + draw(st.sampled_from([0, 40]))
    rest = draw(st.from_regex(r"\A\d{4}\Z"))
    return (
        f"{province:02d}{draw(st.integers(0, 99)):02d}{draw(st.integers(0, 99)):02d}"
        f"{day:02d}{draw(st.integers(1, 12)):02d}{draw(st.integers(0, 99)):02d}{rest}"
    )


@given(valid_niks())
def test_valid_niks_are_accepted(nik):
    assert one(lambda e: nik_is_valid(nik_digits(e)), nik) is True


@given(valid_niks(), st.sampled_from(["short", "long", "province", "day", "month", "letter"]))
def test_invalid_niks_are_refused(nik, fault):
    broken = {
        "short": nik[:15],
        "long": nik + "0",
        "province": "10" + nik[2:],
        "day": nik[:6] + "32" + nik[8:],
        "month": nik[:8] + "13" + nik[10:],
        "letter": nik[:15] + "X",
    }[fault]
    assert one(lambda e: nik_is_valid(nik_digits(e)), broken) is False


def test_nik_edge_cases():
    assert apply(
        lambda e: nik_is_valid(nik_digits(e)),
        [
            "8171014108900001",  # a woman born on the 1st: 41
            "8171017108900001",  # 71 = 31 + 40
            "8171017208900001",  # 72: no such day
            "8171010008900001",  # day 00
            "8171011505850001.0",  # an Excel number cell read as text
            "8.17101E+15",  # what Excel makes of a NIK in a CSV
            None,
            "9671011505850001",  # Papua Barat Daya (2022), the highest province code
            "9771011505850001",  # no such province
        ],
    ) == [True, True, False, False, True, False, False, True, False]


def test_nik_is_masked_to_four_digits_and_length():
    assert one(mask_nik, "817101150585000") == "8171… (15)"


def test_kpj():
    assert apply(parse_kpj, ["00012345678", "12345678", "0001234567a"]) == ["00012345678", None, None]
    assert apply(lambda e: parse_kpj(e, excel=True), ["12345678", "12345678.0"]) == ["00012345678", "00012345678"]


# Regencies -----------------------------------------------------------------------------------------

ALIASES = [(row["alias"], row["regency_code"]) for row in read_seed("regency_aliases")]


@given(st.sampled_from(ALIASES), st.data())
def test_every_field_spelling_finds_its_regency(alias_and_code, data):
    alias, code = alias_and_code
    noisy = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in alias)
    noisy = re.sub(" ", lambda _: data.draw(st.sampled_from([" ", "  ", " . "])), noisy)
    assert one(parse_regency, f" {noisy} ") == code


def test_regency_spellings():
    assert apply(
        parse_regency, ["Kota Ambon", "81.71", "KKT", "Kab.Maluku  Tengah", "MTB", "Kota Jakarta", "3171"]
    ) == [
        "8171",
        "8171",
        "8103",
        "8101",
        "8103",
        None,
        None,
    ]


def test_budget_owners():
    assert apply(
        parse_budget_owner,
        [
            "Pemerintah Provinsi Maluku",
            "Pemprov Maluku",
            "Pemkab Buru",
            "Pemerintah Kabupaten Kepulauan Aru",
            "Pemkot Ambon",
            "Kota Tual",
            "Pemprov Papua",
        ],
    ) == ["81", "81", "8104", "8107", "8171", "8172", None]


# Codes ---------------------------------------------------------------------------------------------


def test_code_values_are_case_insensitive_with_spaces_for_underscores():
    assert apply(
        lambda e: codes.parse_code(e, codes.SUMBER_IURAN), ["apbd prov", "Pemberi Kerja", "APBDES", "negara"]
    ) == [
        "APBD_PROV",
        "PEMBERI_KERJA",
        "APBDES",
        None,
    ]
    assert apply(
        lambda e: codes.parse_code(e, codes.SEGMEN), ["bpu", "Bukan Penerima Upah", "Jasa Konstruksi", "PMI", "XYZ"]
    ) == [
        "BPU",
        "BPU",
        "JAKON",
        "PMI",
        None,
    ]
    assert apply(lambda e: codes.parse_code(e, codes.JENIS_KELAMIN), ["l", "Perempuan", "LAKI-LAKI", "X"]) == [
        "L",
        "P",
        "L",
        None,
    ]


def test_sectors_by_code_or_label():
    assert apply(
        codes.parse_sector,
        [
            "PERANGKAT_DESA",
            "perangkat desa",
            "Guru Honorer & Swasta",
            "Nelayan dan ABK",
            "PMI",
            "BPU Lainnya",
            "Petani",
        ],
    ) == ["PERANGKAT_DESA", "PERANGKAT_DESA", "GURU", "NELAYAN", "PEKERJA_MIGRAN", "BPU_LAINNYA", None]


def test_programs_are_a_set_in_canonical_order():
    assert apply(codes.parse_programs, ["JKK, JKM", "jht+jkk+jkm", "JKK JKM JP", "JKK, ABC"]) == [
        "JKK,JKM",
        "JKK,JKM,JHT",
        "JKK,JKM,JP",
        None,
    ]


# Common forms first: a cheap reader of the usual form must agree with the full parser ----------------


def _timestamp_like():
    def two(low: int, high: int):  # mostly in range, sometimes not
        return st.one_of(st.integers(low, high), st.integers(0, 99)).map(lambda n: f"{n:02d}")

    year = st.one_of(st.integers(1900, 2100), st.integers(1, 9999)).map(lambda n: f"{n:04d}")
    day, month, hour, minute = two(1, 31), two(1, 12), two(0, 23), two(0, 59)
    iso = st.tuples(year, month, day, hour, minute, minute).map(lambda p: f"{p[0]}-{p[1]}-{p[2]} {p[3]}:{p[4]}:{p[5]}")
    dmy = st.tuples(day, month, year, hour, minute).map(lambda p: f"{p[0]}/{p[1]}/{p[2]} {p[3]}:{p[4]}")
    return st.one_of(iso, dmy, any_text)


@given(st.lists(_timestamp_like(), min_size=1, max_size=20))
def test_the_common_timestamp_reader_agrees_with_the_full_parser(texts):
    from ingest.dates import parse_common_timestamp

    for text, fast, full in zip(
        texts, apply(parse_common_timestamp, texts), apply(parse_timestamp, texts), strict=True
    ):
        assert fast is None or fast == full, text


def _nik_like():
    digits = st.text(alphabet="0123456789", min_size=14, max_size=18)
    return st.one_of(digits, digits.map(lambda d: d + ".0"), any_text)


@given(st.lists(_nik_like(), min_size=1, max_size=20))
def test_the_common_nik_reader_agrees_with_the_full_parser(texts):
    from ingest.identifiers import common_nik

    def full(text: pl.Expr) -> pl.Expr:
        digits = nik_digits(text)
        return pl.when(nik_is_valid(digits)).then(digits)

    for text, fast, slow in zip(texts, apply(common_nik, texts), apply(full, texts), strict=True):
        assert fast is None or fast == slow, text


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="0123456789", min_size=1, max_size=13),
            st.text(alphabet="0123456789", min_size=1, max_size=11).map(lambda d: d + ".0"),
            any_text,
        ),
        min_size=1,
        max_size=20,
    ),
    st.booleans(),
)
def test_the_common_kpj_reader_agrees_with_the_full_parser(texts, excel):
    from ingest.identifiers import common_kpj

    full = apply(lambda text: parse_kpj(text, excel), texts)
    for text, fast, slow in zip(texts, apply(common_kpj, texts), full, strict=True):
        assert fast is None or fast == slow, text


# The bulk path (ingest/validate.py) ---------------------------------------------------------------------------


@given(st.lists(st.one_of(st.none(), any_text, st.text(alphabet=" \t\n\r\u00a0\u2003\u3000\u200bx1", max_size=6))))
def test_the_bulk_path_sees_a_value_exactly_where_a_trimmed_cell_is_not_empty(cells):
    """Columns with a common form (NO_KPJ, NIK, TGL_UPDATE) ask whether a cell holds a value without trimming it:
    the answer must be the one `clean` gives, whatever the white space."""
    from ingest.kepesertaan import SOURCE
    from ingest.text import clean
    from ingest.validate import _parsed_direct

    fast_columns = [c for c in SOURCE.columns if c.fast is not None]
    frame = pl.DataFrame({c.name: pl.Series(cells, dtype=pl.String) for c in fast_columns})
    parsed = _parsed_direct(frame, fast_columns, excel=False)
    trimmed_present = frame.select(clean(pl.col(fast_columns[0].name)).is_not_null()).to_series().to_list()
    for column in fast_columns:
        assert parsed[f"__p_{column.name}"].to_list() == trimmed_present


def test_another_province_knows_its_regencies_by_official_and_short_names_and_codes(serving):
    serving("35")  # Jawa Timur: Kabupaten and Kota Malang
    assert apply(
        parse_regency,
        ["Kabupaten Malang", "Kab. Malang", "Kota Malang", "Kotamadya Malang", "3507", "35.73", "Banyuwangi", "Malang"],
    ) == ["3507", "3507", "3573", "3573", "3507", "3573", "3510", None]  # "Malang" alone could be either
    # Maluku's field spellings are Maluku's alone; another province's codes are not this one's regencies.
    assert apply(parse_regency, ["MALTENG", "8171", "Kota Ambon"]) == [None, None, None]


def test_another_provinces_government_is_its_own(serving):
    serving("34")  # Daerah Istimewa Yogyakarta, as people write it
    assert apply(
        parse_budget_owner,
        [
            "Pemerintah Provinsi Daerah Istimewa Yogyakarta",
            "Pemprov DI Yogyakarta",
            "Pemprov Yogyakarta",
            "Pemkab Sleman",
        ],
    ) == ["34", "34", "34", "3404"]
    assert one(parse_budget_owner, "Pemerintah Provinsi Maluku") is None
