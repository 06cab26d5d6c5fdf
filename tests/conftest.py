"""Every test runs against its own folders, Dagster home and pseudonym key: never the repo's data/."""

import os
import shutil

import pytest
from hypothesis import settings

from tests.workspace import ROOT, Workspace

TEST_PII_KEY = "test-only-pseudonym-key-not-a-secret"

# Property tests check what the parsers answer, not how fast: a loaded machine (two workers, a benchmark beside
# them) must not fail one for taking longer. Speed is measured in benchmarks/.
settings.register_profile("cakupan", deadline=None)
settings.load_profile("cakupan")


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["CAKUPAN_PII_KEY"] = TEST_PII_KEY
    os.environ["DO_NOT_TRACK"] = "1"
    # Under pytest-xdist (`make test`) the workers run side by side, one per core: each DuckDB gets one thread, so
    # two refreshes do not fight over the same cores. A value set in the shell is kept.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ.setdefault("CAKUPAN_DUCKDB_THREADS", "1")
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


@pytest.fixture(scope="session")
def handmade_published(tmp_path_factory) -> Workspace:
    """One refresh, published, shared by the tests that only read what publishing wrote (the report, the senders'
    workbooks; a test that lands more files or refreshes again makes its own): the hand-made population (every
    mart number known) with hostile texts and file names, a file refused whole and one whose only row is
    refused, beside the population's own refusals (all from tests/populations.py)."""
    from tests.populations import (
        BUDGET_JUNE,
        BUDGET_MARCH,
        BUDGET_WITHOUT_PAGU,
        HEADER,
        HOSTILE_BUDGET,
        HOSTILE_MEMBER,
        IMPOSSIBLE_DATE_ROW,
        JUNE,
        MAY,
        SQL_LOOKING_FILE,
        WORKFORCE,
    )

    ws = Workspace(tmp_path_factory.mktemp("handmade_published"))
    ws.activate()
    ws.land("kepesertaan_20240531.csv", "\n".join([HEADER, *MAY]) + "\n")
    ws.land("kepesertaan_20240630.csv", "\n".join([HEADER, *JUNE]) + "\n")
    ws.land("kepesertaan_20240615_koreksi.csv", "\n".join([HEADER, IMPOSSIBLE_DATE_ROW]) + "\n")
    ws.land("angkatan_kerja_2024.csv", WORKFORCE)
    ws.land("anggaran_20240630.csv", BUDGET_JUNE)
    ws.land("anggaran_20240701_opd.csv", HOSTILE_BUDGET)
    ws.land(SQL_LOOKING_FILE, BUDGET_MARCH)
    ws.land("kepesertaan_20240630_lain.csv", "\n".join([HEADER, HOSTILE_MEMBER]) + "\n")
    ws.land("anggaran_20240701_tanpa_pagu.csv", BUDGET_WITHOUT_PAGU)
    ws.refresh(report=True)
    return ws


@pytest.fixture(autouse=True)
def serving():
    """Each test starts serving Maluku (common/province.py: a run serves its settings' province, and a refresh of
    another province earlier in this process served that one); `serving("35")` serves another."""
    from common.province import DEFAULT_PROVINCE, serve

    serve(DEFAULT_PROVINCE)
    return serve


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on 127.0.0.1 for the lake's catalog (tests/postgres.py), one per test process."""
    from tests.postgres import running_server

    with running_server() as server:
        yield server
