"""Every test runs against its own folders, Dagster home and pseudonym key: never the repo's data/."""

import os
import shutil

import pytest

from tests.workspace import ROOT, Workspace

TEST_PII_KEY = "test-only-pseudonym-key-not-a-secret"


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["CAKUPAN_PII_KEY"] = TEST_PII_KEY
    os.environ["DO_NOT_TRACK"] = "1"
    # Every chart of every report a test makes is checked against Vega-Lite's schema (a refresh skips the check).
    from publish import report_charts

    report_charts.VALIDATE_SPECS = True
    # Until a test activates its own workspace, point every setting at a throwaway one.
    Workspace(tmp_path_factory.mktemp("default")).activate()
    return


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    ws = Workspace(tmp_path)
    ws.activate()
    return ws


# A budget report without its PAGU column (refused whole), and a correction whose one row has an impossible date.
BUDGET_WITHOUT_PAGU = (
    "TAHUN_ANGGARAN;PEMDA;NAMA_OPD;SEKTOR_SASARAN;JUMLAH_SASARAN;REALISASI\n2024;Pemkab Buru;Dinas Sosial;Nelayan;4;0\n"
)
IMPOSSIBLE_DATE_ROW = (
    "00000000011,8171010707800009,Kesebelas,Kota Ambon,BPU,Petani,MANDIRI,31/02/2024,AKTIF,2024-06-10 10:00:00"
)


@pytest.fixture(scope="session")
def handmade_published(tmp_path_factory) -> Workspace:
    """One refresh, published, shared by the tests that only read what publishing wrote (the report, the senders'
    workbooks; a test that lands more files or refreshes again makes its own): the hand-made population (tests/test_handmade_population.py: every mart number known) with
    tests/test_operations.py's hostile texts and file names, a file refused whole and one whose only row is
    refused, beside the population's own refusals."""
    from tests import test_handmade_population as handmade
    from tests import test_operations as operations

    ws = Workspace(tmp_path_factory.mktemp("handmade_published"))
    ws.activate()
    ws.land("kepesertaan_20240531.csv", "\n".join([handmade.HEADER, *handmade.MAY]) + "\n")
    ws.land("kepesertaan_20240630.csv", "\n".join([handmade.HEADER, *handmade.JUNE]) + "\n")
    ws.land("kepesertaan_20240615_koreksi.csv", "\n".join([handmade.HEADER, IMPOSSIBLE_DATE_ROW]) + "\n")
    ws.land("angkatan_kerja_2024.csv", handmade.WORKFORCE)
    ws.land("anggaran_20240630.csv", handmade.BUDGET_JUNE)
    ws.land("anggaran_20240701_opd.csv", operations.HOSTILE_BUDGET)
    ws.land(operations.SQL_LOOKING_FILE, handmade.BUDGET_MARCH)
    ws.land("kepesertaan_20240630_lain.csv", "\n".join([handmade.HEADER, operations.HOSTILE_MEMBER]) + "\n")
    ws.land("anggaran_20240701_tanpa_pagu.csv", BUDGET_WITHOUT_PAGU)
    ws.refresh()
    return ws
