"""A step that runs out of disk fails saying so, and where: the places it writes, named by what they are."""

from pathlib import Path

import dagster as dg

from ingest.errors import causes, first_line, is_out_of_space


def _messages(error: BaseException) -> str:
    return "\n".join(str(e) for e in causes(error))


def raise_if_out_of_space(error: BaseException, doing: str, places: dict[str, Path], kept: str) -> None:
    """For a write that found no space, fail the step saying so and where (any other error is left to
    the caller). `places`: what each place the step writes is, and its path; the ones the error names are
    the ones to free, else all of them. `kept`: what stays as it was."""
    if not is_out_of_space(error):
        return
    text = _messages(error)
    named: dict[str, Path] = {}
    # The most precise place the messages name: a file's path is also the start of its sidecars' paths.
    for label, path in sorted(places.items(), key=lambda item: -len(str(item[1]))):
        if str(path) in text and not any(str(kept).startswith(str(path)) for kept in named.values()):
            named[label] = path
    if not named and "offload" in text:  # DuckDB could not spill: its spill folder is full
        named = {label: path for label, path in places.items() if "spill" in label}
    where = "; ".join(f"{label} ({path})" for label, path in (named or places).items())
    raise dg.Failure(
        description=f"Out of disk space while {doing}: {first_line(error)}. {kept} "
        f"Free space in {where}, then run the refresh again.",
        metadata={
            "out_of_space_in": dg.MetadataValue.json({label: str(path) for label, path in (named or places).items()})
        },
        allow_retries=False,
    ) from error
