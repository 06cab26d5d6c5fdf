"""Table definitions that both warehouses take. A DuckLake refuses PRIMARY KEY, UNIQUE and CHECK constraints and
sequences (it enforces NOT NULL): on a lake they are left out of the DDL, and what they promised is checked by dbt
tests there instead (dbt_project/tests/generic/lake_constraints.sql) or kept by the one writer per province."""

import re

import duckdb

from common.lake import is_lake

_SEQUENCE = re.compile(r"create sequence[^;]*;", re.IGNORECASE)
# `check (status in ('LOADED', ...))`: one level of nested parentheses, as the project writes them.
_CHECK = re.compile(r"\s+check\s*\((?:[^()]|\([^()]*\))*\)", re.IGNORECASE)
_TABLE_KEY = re.compile(r",\s*primary key\s*\([^)]*\)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"\s+primary key\b", re.IGNORECASE)
_UNIQUE = re.compile(r"\s+unique\b", re.IGNORECASE)


def without_constraints(sql: str) -> str:
    """`sql` with its sequences, keys, unique and check constraints taken out (NOT NULL stays; a key column is
    declared NOT NULL, as its key made it)."""
    for pattern in (_SEQUENCE, _CHECK, _TABLE_KEY, _UNIQUE):
        sql = pattern.sub("", sql)
    return _COLUMN_KEY.sub(" not null", sql)


def for_warehouse(conn: duckdb.DuckDBPyConnection, sql: str) -> str:
    """`sql` as the connection's warehouse takes it: whole on a DuckDB file, without constraints on a lake."""
    return without_constraints(sql) if is_lake(conn) else sql
