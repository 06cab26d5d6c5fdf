"""What dbt compiles before its first node, kept between refreshes: the Python code of each Jinja template (the
project's models and tests, dbt-duckdb's materialisations and every macro they call) and the JSON schemas it
validates the project and profile against.

dbt compiles each template the first time a process renders it, and builds each schema the first time it
validates: about a second of pure Python in every refresh's new process (0.55 s of Jinja for the 165 templates
of an incremental build, 0.4 s of schemas), a second build in the same process pays neither. A refresh with
one late row pays it for 26 nodes that take 1.6 s to build. Kept in dbt's target folder (`KEPT_FILE`) under a
key of the versions that make them (Python, Jinja, mashumaro, dbt-common, dbt-core, dbt-duckdb): a template's
code is a pure function of its source, name and environment class with those versions fixed, and a schema of its
class. Any other versions, a file that cannot be read or one from another key: dbt compiles as it always does,
and the file is written again.

dbt has no setting for either, so the hooks sit where dbt's own caches do: `compile` of dbt's Jinja environment
class (dbt_common's `MacroFuzzEnvironment`, which dbt's native environment extends; no other Jinja environment
of the process is touched), and `json_schema` of dbt's dataclass base. Outside `kept_compilation` both do exactly
what dbt's do. One build at a time in a process, as dbt itself allows (its flags and adapters are the process's).
"""

import contextlib
import functools
import hashlib
import marshal
import os
import pickle
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from types import CodeType
from typing import Any

from common.owner_only import owner_only

KEPT_FILE = "cakupan_compiled.pickle"
# Templates of project versions long gone are dropped once the file holds more than this (the project has a few
# hundred).
MOST_TEMPLATES = 4000


class _Kept:
    """One process's view of the kept file: what it read, what dbt compiled anew since."""

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key = path, key
        self.templates: dict[str, bytes] = {}
        self.schemas: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.new = 0
        self.lock = threading.Lock()  # dbt renders templates from its worker threads


_current: _Kept | None = None


def versions_key() -> str:
    """What compiled code and schemas depend on besides their own source."""
    parts = [sys.version] + [version(p) for p in ("jinja2", "dbt-common", "dbt-core", "dbt-duckdb", "mashumaro")]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@contextlib.contextmanager
def kept_compilation(target_path: Path) -> Iterator[None]:
    """Inside: dbt's templates and schemas come from the kept file when it has them; what dbt compiles anew is
    added to it on the way out (owner-only, whole or not at all)."""
    global _current
    _install_hooks()
    kept = _read(target_path / KEPT_FILE, versions_key())
    _current = kept
    try:
        yield
    finally:
        _current = None
        if kept.new:
            with contextlib.suppress(OSError):  # a folder that cannot be written: compiled again next time
                _write(kept)


def _read(path: Path, key: str) -> _Kept:
    kept = _Kept(path, key)
    try:
        with path.open("rb") as f:
            stored_key, templates, schemas = pickle.load(f)
    except Exception:  # none yet, torn or from an older layout: compiled anew
        return kept
    if stored_key == key:
        kept.templates, kept.schemas = templates, schemas
    return kept


def _write(kept: _Kept) -> None:
    templates = kept.templates
    if len(templates) > MOST_TEMPLATES:
        templates = {k: v for k, v in templates.items() if k in kept.used}
    kept.path.parent.mkdir(parents=True, exist_ok=True)
    scratch = kept.path.with_name(f".{os.getpid()}.{kept.path.name}")
    try:
        with owner_only(), scratch.open("wb") as f:
            pickle.dump((kept.key, templates, kept.schemas), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(scratch, kept.path)
    finally:
        scratch.unlink(missing_ok=True)


@functools.cache
def _install_hooks() -> None:
    """Once per process: dbt's Jinja environment compiles through `compile_kept`, dbt's schemas come from
    `schema_kept`."""
    from dbt_common.clients.jinja import MacroFuzzEnvironment
    from dbt_common.dataclass_schema import dbtClassMixin
    from jinja2.utils import internalcode

    compile_template: Any = MacroFuzzEnvironment.compile
    build_schema: Any = vars(dbtClassMixin)["json_schema"].__func__.__wrapped__  # under dbt's lru_cache

    @internalcode  # as Jinja's own: left out of the tracebacks of a template's errors
    def compile_kept(
        env: Any,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        kept = _current
        if kept is None or raw or not isinstance(source, str):
            return compile_template(env, source, name, filename, raw, defer_init)
        key = hashlib.sha256(repr((type(env).__qualname__, source, name, filename, defer_init)).encode()).hexdigest()
        code = kept.templates.get(key)
        if code is not None:
            kept.used.add(key)
            return marshal.loads(code)
        compiled: CodeType = compile_template(env, source, name, filename, raw, defer_init)
        with kept.lock:
            kept.templates[key] = marshal.dumps(compiled)
            kept.used.add(key)
            kept.new += 1
        return compiled

    @functools.lru_cache
    def schema_kept(cls: type) -> dict[str, Any]:
        kept = _current
        if kept is None:
            return build_schema(cls)
        name = f"{cls.__module__}.{cls.__qualname__}"
        schema = kept.schemas.get(name)
        if schema is None:
            schema = build_schema(cls)
            with kept.lock:
                kept.schemas[name] = schema
                kept.new += 1
        return schema

    MacroFuzzEnvironment.compile = compile_kept  # type: ignore[method-assign,assignment]
    dbtClassMixin.json_schema = classmethod(schema_kept)  # type: ignore[method-assign,assignment,arg-type]
