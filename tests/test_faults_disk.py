"""A disk that fills: at the warehouse, the ingest's scratch folder, DuckDB's spill folder, the analyst
database's copy or the exports, a refresh fails saying so and where; the warehouse is as before the failing
file or step, what was published stays as it was, and the refresh after space is freed gives the marts of a
clean run. Each place is a real small filesystem (tmpfs) that the test fills up.

Files that hold person-level data are their owner's alone, whatever the umask."""

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.exports import EXPORTED
from tests.marts import MART_NAMES
from tests.populations import write_big_delta
from tests.refreshes import failure_message, land_small, published
from tests.workspace import Workspace

pytestmark = pytest.mark.refresh  # runs the pipeline: `make test-fast` leaves it out

BIG = "kepesertaan_20240731_besar.csv"
BIG_ROWS = 150_000


def _can_mount() -> bool:
    probe = Path(f"/tmp/cakupan-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True
            ).returncode
            == 0
        )
        if mounted:
            subprocess.run(["umount", str(probe)], check=True)
        return mounted
    except FileNotFoundError:
        return False
    finally:
        probe.rmdir()


needs_mount = pytest.mark.skipif(not _can_mount(), reason="mounting a small tmpfs needs root (CI runs as root)")


@contextlib.contextmanager
def small_disk(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Take all of the disk's free space but `leave` bytes; deleting the file frees it again."""
    stats = os.statvfs(disk)
    ballast = disk / "ballast"
    with open(ballast, "wb") as f:
        os.posix_fallocate(f.fileno(), 0, max(stats.f_bavail * stats.f_frsize - leave, 1))
    return ballast


class PlacedWorkspace(Workspace):
    """A workspace whose warehouse, analyst database or exports live elsewhere (on a small disk)."""

    def __init__(self, root: Path, **places: Path) -> None:
        super().__init__(root)
        self.places = places

    @property
    def warehouse(self) -> Path:
        return self.places.get("warehouse", self.root / "warehouse.duckdb")

    @property
    def analytics_db(self) -> Path:
        return self.places.get("analytics_db", self.root / "analytics.duckdb")

    @property
    def export_dir(self) -> Path:
        return self.places.get("export_dir", self.root / "exports")


def marts(ws: Workspace) -> dict:
    return {mart: ws.query(f"select * from marts.{mart} order by all") for mart in MART_NAMES}


def load_log(ws: Workspace) -> list[dict]:
    return ws.query("select file_name, status, rows_read, rows_loaded, rows_refused from audit.load_log order by all")


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("clean"))
    ws.activate()
    land_small(ws)
    write_big_delta(ws.landing / BIG, BIG_ROWS)
    ws.refresh()
    return marts(ws), load_log(ws)


def enlarge(disk: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)


def refresh_until_the_disk_fills(
    ws: Workspace, disk: Path, leave: int | None, encoding: str = "utf-8", before_the_fault=lambda: None
):
    """A good refresh of the small files, then the big delta (in `encoding`) with the disk nearly full (`leave`
    bytes free; None: as it is) and whatever `before_the_fault` changes: the failed run, what it said, and what
    was published before it."""
    ws.activate()
    land_small(ws)
    ws.refresh()
    before = published(ws)
    write_big_delta(ws.landing / BIG, BIG_ROWS, encoding)
    before_the_fault()
    ballast = fill(disk, leave) if leave is not None else None
    result = ws.refresh(raise_on_error=False)
    assert not result.success
    return failure_message(result), before, ballast


def assert_nothing_of_the_big_file(ws: Workspace) -> None:
    assert ws.query(f"select count(*) n from audit.load_log where file_name = '{BIG}'", "warehouse") == [{"n": 0}]
    assert ws.query(f"select count(*) n from raw.kepesertaan where file_name = '{BIG}'", "warehouse") == [{"n": 0}]


@needs_mount
def test_a_full_disk_at_the_warehouse(tmp_path, clean_run):
    with (
        small_disk(tmp_path / "warehouse_disk", "96m") as disk,
        small_disk(disk / ".warehouse.duckdb.scratch", "256m"),
    ):  # room for scratch: the warehouse fills
        ws = PlacedWorkspace(tmp_path, warehouse=disk / "warehouse.duckdb")
        message, before, ballast = refresh_until_the_disk_fills(ws, disk, leave=1 << 20)
        assert f"Out of disk space while loading the landed files: out of disk space while loading {BIG}" in message
        assert f"the warehouse ({ws.warehouse})" in message and "scratch" not in message
        assert_nothing_of_the_big_file(ws)
        assert published(ws) == before

        ballast.unlink()
        ws.refresh()
        assert (marts(ws), load_log(ws)) == clean_run


@needs_mount
def test_a_full_scratch_folder(tmp_path, clean_run):
    ws = Workspace(tmp_path)
    # A Windows-1252 file is read through its UTF-8 copy in the scratch folder: smaller than the copy (a refresh
    # clears the folder, so it cannot be filled beforehand).
    with small_disk(tmp_path / ".warehouse.duckdb.scratch", "2m") as disk:
        message, before, _ = refresh_until_the_disk_fills(ws, disk, leave=None, encoding="cp1252")
        assert f"out of disk space while loading {BIG}" in message
        assert f"the ingest's scratch folder ({disk})" in message
        assert_nothing_of_the_big_file(ws)
        assert published(ws) == before
        assert list(disk.iterdir()) == []  # no half-written copy left behind

        enlarge(disk, "256m")
        ws.refresh()
        assert (marts(ws), load_log(ws)) == clean_run


@needs_mount
def test_a_full_spill_folder(tmp_path, clean_run, monkeypatch):
    ws = Workspace(tmp_path)
    with small_disk(tmp_path / "spill", "16m") as disk:
        monkeypatch.setenv("CAKUPAN_DUCKDB_TEMP_DIR", str(disk))
        # The big delta's build, held to a few tens of megabytes, must spill (the good refresh before it loads the
        # seeds, whose reader alone takes 30 MB). At 16-24 MB it sometimes ran out of memory before it spilled.
        message, before, ballast = refresh_until_the_disk_fills(
            ws, disk, leave=1 << 20, before_the_fault=lambda: monkeypatch.setenv("CAKUPAN_DUCKDB_MEMORY_LIMIT", "40MB")
        )
        assert "Out of disk space while building the dbt models" in message
        assert f"DuckDB's spill folder ({disk})" in message
        assert published(ws) == before

        ballast.unlink()
        monkeypatch.setenv("CAKUPAN_DUCKDB_MEMORY_LIMIT", "1GB")
        ws.refresh()
        assert marts(ws) == clean_run[0]


@needs_mount
def test_a_full_disk_at_the_analyst_database(tmp_path, clean_run):
    with small_disk(tmp_path / "analytics_disk", "32m") as disk:  # the old copy and the new one
        ws = PlacedWorkspace(tmp_path, analytics_db=disk / "analytics.duckdb")
        message, before, ballast = refresh_until_the_disk_fills(ws, disk, leave=128 << 10)
        assert "Out of disk space while writing the analyst database's new copy" in message
        assert f"the analyst database's folder ({disk})" in message
        assert published(ws) == before
        assert sorted(p.name for p in disk.iterdir()) == ["analytics.duckdb", "ballast"]  # no half copy left
        # The report printed while the copy was written is not left behind either (its scratch names start with a dot).
        assert [p.name for p in ws.export_dir.iterdir() if p.name.startswith(".") and "coverage_report" in p.name] == []

        ballast.unlink()
        ws.refresh()
        assert (marts(ws), load_log(ws)) == clean_run


@needs_mount
def test_a_full_disk_at_the_exports(tmp_path, clean_run):
    with small_disk(tmp_path / "exports_disk", "8m") as disk:
        ws = PlacedWorkspace(tmp_path, export_dir=disk / "exports")
        message, before, ballast = refresh_until_the_disk_fills(ws, disk, leave=0)
        assert "Out of disk space while writing the exports" in message
        assert f"the export folder ({ws.export_dir})" in message
        exports_before = {path: data for path, data in before.items() if path.startswith(str(ws.export_dir))}
        assert {
            path: data for path, data in published(ws).items() if path.startswith(str(ws.export_dir))
        } == exports_before
        # No half export left (the fingerprints of what the folder holds are no export).
        assert [p.name for p in ws.export_dir.iterdir() if p.name.startswith(".") and p.name != EXPORTED] == []

        ballast.unlink()
        ws.refresh()  # nothing new was loaded, but the exports were never written: they are now
        assert (marts(ws), load_log(ws)) == clean_run
        exported = ws.export_dir / "coverage_province.parquet"
        import duckdb

        assert duckdb.sql(f"select covered_workers from '{exported}'").fetchall() == [
            (clean_run[0]["coverage_province"][0]["covered_workers"],)
        ]


def test_person_level_files_are_their_owners_alone_whatever_the_umask(tmp_path, monkeypatch):
    monkeypatch.delenv("CAKUPAN_PII_KEY")  # the key file is made, too
    previous = os.umask(0)  # the loosest: anything made without care is world-readable
    try:
        ws = Workspace(tmp_path)
        ws.activate()
        land_small(ws)
        (ws.landing / "kepesertaan_20240601_1252.csv").write_bytes(  # read through a scratch copy
            (ws.landing / "kepesertaan_20240531.csv").read_text().replace("Pertama", "Pérez").encode("cp1252")
        )
        ws.refresh(report=True)
    finally:
        os.umask(previous)
    modes = {path.name: path.stat().st_mode & 0o777 for path in tmp_path.iterdir()}
    assert modes["warehouse.duckdb"] == 0o600
    assert modes[".pii_key"] == 0o600
    assert modes[".warehouse.duckdb.scratch"] == 0o700
    assert modes.get("warehouse.duckdb.wal", 0o600) == 0o600
    assert modes.get("warehouse.duckdb.tmp", 0o700) == 0o700
    # Aggregates for analysts: as the umask of the process says (0 here: readable by all).
    assert modes["analytics.duckdb"] == 0o666
    assert (ws.export_dir / "cakupan_marts.xlsx").stat().st_mode & 0o777 == 0o666
    # The report is printed while the warehouse is open (owner-only): its files and their folder are the analysts'.
    for made in (ws.export_dir, ws.export_dir / "coverage_report.html", ws.export_dir / "coverage_report.pdf"):
        assert made.stat().st_mode & 0o777 == (0o777 if made.is_dir() else 0o666), made
