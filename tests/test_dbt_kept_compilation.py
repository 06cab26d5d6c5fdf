"""What dbt compiles before its first node is kept between refreshes (orchestration/dbt_kept_compilation.py): a
template's code and a class's JSON schema are read back by the next build, only under the versions that made
them; a damaged file or one of other versions is compiled anew."""

import dataclasses
import pickle
import stat
import uuid

import pytest
from dbt_common.clients.jinja import get_template, render_template
from dbt_common.dataclass_schema import ValidationError, dbtClassMixin

from orchestration.dbt_kept_compilation import KEPT_FILE, kept_compilation, versions_key


def _render(source: str, **context: str) -> str:
    return render_template(get_template(source, context), context)


def _a_template() -> str:
    """A template with a comment unlike any other this process compiled."""
    return f"{{# {uuid.uuid4()} #}}{{% if regency %}}covered in {{{{ regency }}}}{{% else %}}nowhere{{% endif %}}"


def _kept(target):
    with (target / KEPT_FILE).open("rb") as f:
        return pickle.load(f)


def test_a_template_compiled_by_one_build_is_read_back_by_the_next(tmp_path):
    source = _a_template()
    with kept_compilation(tmp_path):
        assert _render(source, regency="Kota Ambon") == "covered in Kota Ambon"
    kept = tmp_path / KEPT_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # the project's SQL: its owner's only
    key, templates, _ = _kept(tmp_path)
    assert key == versions_key() and templates
    written = kept.stat()

    with kept_compilation(tmp_path):
        assert _render(source, regency="Kota Tual") == "covered in Kota Tual"
    # Nothing was compiled anew, so the file was not written again.
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)


@pytest.mark.parametrize("damage", ["other versions", "torn"])
def test_a_file_of_other_versions_or_a_damaged_one_is_compiled_anew(tmp_path, damage):
    source = _a_template()
    with kept_compilation(tmp_path):
        _render(source, regency="Maluku Tengah")
    kept = tmp_path / KEPT_FILE
    if damage == "other versions":
        _, templates, schemas = _kept(tmp_path)
        kept.write_bytes(pickle.dumps(("dbt of another release", templates, schemas)))
    else:
        kept.write_bytes(kept.read_bytes()[:100])

    with kept_compilation(tmp_path):
        assert _render(source, regency="Buru") == "covered in Buru"
    key, templates, _ = _kept(tmp_path)
    assert key == versions_key() and templates


def test_outside_a_build_dbt_compiles_as_it_always_does(tmp_path):
    assert _render(_a_template(), regency="Seram Bagian Barat") == "covered in Seram Bagian Barat"
    with kept_compilation(tmp_path):
        pass
    assert not (tmp_path / KEPT_FILE).exists()


def _kept_schema(target, key: str, cls: type, schema: dict) -> None:
    with (target / KEPT_FILE).open("wb") as f:
        pickle.dump((key, {}, {f"{cls.__module__}.{cls.__qualname__}": schema}), f)


def test_a_kept_schema_is_what_dbt_validates_against_under_its_versions_only(tmp_path):
    @dataclasses.dataclass
    class Regency(dbtClassMixin):
        name: str

    # A schema no dict satisfies, kept under these versions: validation reads it back instead of building one.
    _kept_schema(tmp_path, versions_key(), Regency, {"type": "string"})
    with kept_compilation(tmp_path), pytest.raises(ValidationError):
        Regency.validate({"name": "Kepulauan Aru"})

    @dataclasses.dataclass
    class District(dbtClassMixin):
        name: str

    # The same, kept by other versions: built anew, and kept for these.
    _kept_schema(tmp_path, "dbt of another release", District, {"type": "string"})
    with kept_compilation(tmp_path):
        District.validate({"name": "Nusaniwe"})
        with pytest.raises(ValidationError):
            District.validate({"name": 7})
    key, _, schemas = _kept(tmp_path)
    assert key == versions_key()
    assert schemas[f"{District.__module__}.{District.__qualname__}"]["properties"]["name"]["type"] == "string"
