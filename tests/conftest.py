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
    # Until a test activates its own workspace, point every setting at a throwaway one.
    Workspace(tmp_path_factory.mktemp("default")).activate()
    return


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    ws = Workspace(tmp_path)
    ws.activate()
    return ws
