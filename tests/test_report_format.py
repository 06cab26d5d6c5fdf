"""What the report and the senders' workbooks write without any refresh: Indonesian numbers, and a clear error
when the Chromium that prints the PDF is missing."""

import pytest

from publish import indonesian as idn
from publish.report_pdf import ChromiumMissing, find_chromium


def test_numbers_are_written_the_indonesian_way():
    assert idn.rupiah(201_600) == "Rp201.600"
    assert idn.percent(0.3962172647914646) == "39,6%"
    assert idn.number(59_798) == "59.798"
    assert idn.points(0.0033) == "+0,3 poin"
    assert idn.percent(None) == idn.number(None) == "–"


def test_printing_without_chromium_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ChromiumMissing, match=r"coverage_report\.pdf needs Chromium.*apt-get install chromium"):
        find_chromium()
