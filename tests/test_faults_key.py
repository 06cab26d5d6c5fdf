"""A pseudonym key that changes: a refresh under another key, or with the key file gone, loads nothing and
fails naming the setting; a deliberate change (`make rekey`) remakes every pseudonym and leaves the marts
identical."""

import os
import subprocess
import sys

import pytest

from ingest.pseudonym import pseudonym
from ingest.pseudonym_key import PseudonymKey
from tests import populations as handmade
from tests.conftest import TEST_PII_KEY
from tests.refreshes import failure_message, marts, published
from tests.workspace import ROOT, Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

OTHER_KEY = "another-key-from-a-shell-that-forgot-the-right-one"
P1_NIK = "8171011505850001"


def land_may(ws: Workspace) -> None:
    ws.land("kepesertaan_20240531.csv", "\n".join([handmade.HEADER, *handmade.MAY]) + "\n")
    ws.land("angkatan_kerja_2024.csv", handmade.WORKFORCE)
    ws.land("anggaran_20240630.csv", handmade.BUDGET_JUNE)


def land_june(ws: Workspace) -> None:
    ws.land("kepesertaan_20240630.csv", "\n".join([handmade.HEADER, *handmade.JUNE]) + "\n")


def warehouse_state(ws: Workspace) -> dict:
    return {
        "load_log": ws.query("select * from audit.load_log order by all", "warehouse"),
        "deliveries": ws.query("select count(*) n from audit.deliveries", "warehouse"),
        "persons": ws.query("select person_id from raw.kepesertaan order by all", "warehouse"),
        "marts": ws.query("select * from marts.coverage_province", "warehouse"),
    }


@pytest.fixture(scope="module")
def clean_june(tmp_path_factory) -> dict:
    """May, then June, under the right key: what every workspace must come back to."""
    ws = Workspace(tmp_path_factory.mktemp("clean"))
    ws.activate()
    land_may(ws)
    land_june(ws)
    ws.refresh()
    return marts(ws)


def test_a_refresh_under_another_key_loads_nothing_and_fails_naming_the_setting(tmp_path, monkeypatch, clean_june):
    ws = Workspace(tmp_path)
    ws.activate()
    land_may(ws)
    ws.refresh()
    land_june(ws)
    before, files = warehouse_state(ws), published(ws)

    monkeypatch.setenv("CAKUPAN_PII_KEY", OTHER_KEY)
    result = ws.refresh(raise_on_error=False)
    assert not result.success
    message = failure_message(result)
    assert "CAKUPAN_PII_KEY" in message and "nothing was loaded" in message
    assert OTHER_KEY not in message and TEST_PII_KEY not in message
    assert PseudonymKey(OTHER_KEY.encode(), "").check_value not in message
    assert PseudonymKey(TEST_PII_KEY.encode(), "").check_value not in message
    assert warehouse_state(ws) == before
    assert published(ws) == files

    monkeypatch.setenv("CAKUPAN_PII_KEY", TEST_PII_KEY)  # the right key again: June loads as it should have
    ws.refresh()
    assert marts(ws) == clean_june


def test_a_missing_key_file_next_to_pseudonyms_is_the_same_error(tmp_path, monkeypatch, clean_june):
    monkeypatch.delenv("CAKUPAN_PII_KEY")
    ws = Workspace(tmp_path)
    ws.activate()
    land_may(ws)
    ws.refresh()
    key_file = ws.root / ".pii_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    kept = key_file.read_bytes()
    key_file.unlink()  # a restored backup without it
    land_june(ws)
    before, files = warehouse_state(ws), published(ws)

    result = ws.refresh(raise_on_error=False)
    assert not result.success
    message = failure_message(result)
    assert "CAKUPAN_PII_KEY" in message and str(key_file) in message and "nothing was loaded" in message
    assert not key_file.exists()  # never a silent new key
    assert warehouse_state(ws) == before
    assert published(ws) == files

    key_file.write_bytes(kept)
    key_file.chmod(0o600)
    ws.refresh()
    assert ws.query("select count(*) n from audit.load_log where file_name = 'kepesertaan_20240630.csv'") == [{"n": 1}]


def rekey(ws: Workspace) -> subprocess.CompletedProcess:
    """`make rekey`'s first half, as a data engineer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "orchestration.rekey"],
        cwd=ROOT,
        env={**os.environ, **ws.environment()},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_deliberate_key_change_remakes_every_pseudonym_and_leaves_the_marts_identical(
    tmp_path, monkeypatch, clean_june
):
    ws = Workspace(tmp_path)
    ws.activate()
    land_may(ws)
    ws.refresh()
    before_marts = marts(ws)
    persons = {
        row["no_kpj"]: row["person_id"]
        for row in ws.query("select no_kpj, person_id from raw.kepesertaan", "warehouse")
    }

    monkeypatch.setenv("CAKUPAN_PII_KEY", OTHER_KEY)
    done = rekey(ws)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pseudonyms remade" in done.stdout and OTHER_KEY not in done.stdout + done.stderr
    result = ws.refresh()
    assert result.success
    assert marts(ws) == before_marts
    remade = {
        row["no_kpj"]: row["person_id"]
        for row in ws.query("select no_kpj, person_id from raw.kepesertaan", "warehouse")
    }
    assert remade[1] == pseudonym(OTHER_KEY.encode(), P1_NIK)  # card 00000000001
    assert all(remade[kpj] != persons[kpj] for kpj in persons)
    for table in ("int_membership_versions", "int_person_spells", "int_first_memberships"):
        built = {row["person_id"] for row in ws.query(f"select person_id from intermediate.{table}", "warehouse")}
        assert built and not built & set(persons.values()), table
    assert ws.query("select full_refresh from audit.builds order by built_at desc limit 1", "warehouse") == [
        {"full_refresh": True}
    ]

    land_june(ws)  # later deliveries under the new key join the same people (P2's two cards stay one person)
    ws.refresh()
    assert marts(ws) == clean_june


def test_a_key_change_refuses_when_a_landed_file_is_missing_and_lists_which(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    ws.activate()
    land_may(ws)
    land_june(ws)
    ws.refresh()
    before = warehouse_state(ws)
    (ws.landing / "kepesertaan_20240531.csv").unlink()
    (ws.landing / "kepesertaan_20240630.csv").write_text("changed")

    monkeypatch.setenv("CAKUPAN_PII_KEY", OTHER_KEY)
    done = rekey(ws)
    assert done.returncode != 0
    assert "missing: kepesertaan_20240531.csv" in done.stderr
    assert "changed since it was loaded: kepesertaan_20240630.csv" in done.stderr
    assert warehouse_state(ws) == before
    result = ws.refresh(raise_on_error=False)  # still the old key's warehouse
    assert not result.success and "CAKUPAN_PII_KEY" in failure_message(result)
