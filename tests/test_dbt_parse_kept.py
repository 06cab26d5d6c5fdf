"""dbt's parse of the project is kept between refreshes (orchestration/dbt_build.py, `manifest_for`), and used only
for the project, settings and versions it was made from: a changed model, another warehouse or a damaged file
makes dbt parse again."""

import shutil
import stat

from dbt.contracts.graph.manifest import DocLookup, Manifest, RefableLookup, SourceLookup

from orchestration.dbt_build import _keep_manifest, _kept_manifest, parse_key
from tests.workspace import ROOT

FLAGS = ["--vars", '{"warehouse": "/data/warehouse.duckdb"}']


def test_a_kept_parse_belongs_to_the_project_files_and_the_settings_it_was_made_from(tmp_path):
    project = tmp_path / "dbt_project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / "dbt_project" / name, project / name)
    shutil.copytree(ROOT / "dbt_project" / "models", project / "models")
    key = parse_key(project, FLAGS)
    assert parse_key(project, FLAGS) == key
    # Another warehouse names another database for every node.
    assert parse_key(project, ["--vars", '{"warehouse": "/data/other.duckdb"}']) != key
    model = project / "models" / "marts" / "coverage_sector.sql"
    model.write_text(model.read_text() + "\n-- an analyst's edit\n")
    assert parse_key(project, FLAGS) != key


def test_a_kept_parse_is_read_back_whole_and_only_under_its_key(tmp_path):
    cache = tmp_path / "target" / "cakupan_manifest.pickle"
    manifest = Manifest()
    for lookup in ("ref_lookup", "source_lookup", "doc_lookup"):  # made, as a parse leaves them
        getattr(manifest, lookup)
    _keep_manifest(cache, "key-a", manifest)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600  # it holds the project's SQL: its owner's only
    kept = _kept_manifest(cache, "key-a")
    assert isinstance(kept, Manifest) and kept.nodes == manifest.nodes
    # Each of dbt's lookups is what its name says (dbt's own pickling shifts them one field along).
    assert [type(lookup) for lookup in (kept.ref_lookup, kept.source_lookup, kept.doc_lookup)] == [
        RefableLookup,
        SourceLookup,
        DocLookup,
    ]
    assert _kept_manifest(cache, "key-b") is None
    cache.write_bytes(b"not a pickle")
    assert _kept_manifest(cache, "key-a") is None
    assert _kept_manifest(tmp_path / "missing.pickle", "key-a") is None
