"""`cakupan-dbt` (a console script of this project, beside the venv's `dbt`): dbt as the pipeline runs it.

It is dbt-core's own command line in every respect but one: `--version` answers from the installed packages'
metadata. dbt's `--version` always asks PyPI for the latest release (dbt/version.py, `get_latest_version`: an HTTP
request with no setting to turn it off; `version_check: false` in dbt_project.yml governs something else), and
dagster-dbt's DbtCliResource runs `<dbt_executable> --version` before every command to learn the engine's version.
Through this command a build asks the network nothing, and the question costs a Python start-up, not dbt's
imports (about 2 s). Keep this module's imports light for that reason: dbt is imported only to run a command."""

import sys
from importlib.metadata import version

VERSION_FLAGS = ("--version", "-v", "-V")


def main() -> int | None:
    if len(sys.argv) == 2 and sys.argv[1] in VERSION_FLAGS:
        print(f"Core:\n  - installed: {version('dbt-core')}\n\nPlugins:\n  - duckdb: {version('dbt-duckdb')}")
        return 0
    from dbt.cli.main import cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
