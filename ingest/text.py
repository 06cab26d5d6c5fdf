"""Small text helpers shared by every reader: trimming cells and normalising names."""

import re

import polars as pl

# Spaces and underscores are equivalent in headers and code values.
_SPACE_OR_UNDERSCORE = r"[\s_]+"


def clean(expr: pl.Expr) -> pl.Expr:
    """Trim a text cell; an empty string means no value."""
    trimmed = expr.str.strip_chars()
    return pl.when(trimmed.str.len_chars() == 0).then(None).otherwise(trimmed)


def code_key(expr: pl.Expr) -> pl.Expr:
    """Upper case, with runs of spaces and underscores made one underscore (`apbd prov` → `APBD_PROV`)."""
    return expr.str.to_uppercase().str.replace_all(_SPACE_OR_UNDERSCORE, "_").str.strip_chars("_")


def code_key_text(name: str) -> str:
    """`code_key` for a Python string: how header names and reference labels are compared."""
    return re.sub(_SPACE_OR_UNDERSCORE, "_", name.strip().upper()).strip("_")


def alnum_key(expr: pl.Expr) -> pl.Expr:
    """Upper case with every character that is not a letter or digit removed: `Kab. Maluku-Tengah` → `KABMALUKUTENGAH`."""
    return expr.str.to_uppercase().str.replace_all(r"[^\p{L}\p{N}]+", "")


def alnum_key_py(text: str) -> str:
    """`alnum_key` for reference data held in Python."""
    return re.sub(r"[^\w]|_", "", text.upper())
