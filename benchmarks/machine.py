"""The machine the numbers were measured on, from /proc (Linux), and the versions that matter."""

import os
import platform
from importlib.metadata import version
from pathlib import Path


def _proc(name: str) -> str:
    try:
        return Path("/proc", name).read_text()
    except OSError:
        return ""


def _field(text: str, key: str) -> str | None:
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def describe() -> dict:
    meminfo = _field(_proc("meminfo"), "MemTotal")  # "24683764 kB"
    load = _proc("loadavg").split()
    return {
        "cpu": _field(_proc("cpuinfo"), "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gib": round(int(meminfo.split()[0]) / 2**20, 1) if meminfo else None,
        # Another busy process on a 2-core machine skews every number: the load says whether there was one.
        "load_average_at_start": [float(x) for x in load[:3]] if load else None,
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "polars": version("polars"),
        "fastexcel": version("fastexcel"),
    }


def one_line(machine: dict) -> str:
    load = machine["load_average_at_start"]
    return (
        f"{machine['cpu']}, {machine['cores_usable']} of {machine['cores']} cores usable, "
        f"{machine['ram_gib']} GiB RAM; load average at start {load[0] if load else '?'}; "
        f"Python {machine['python']}, DuckDB {machine['duckdb']}, polars {machine['polars']}, "
        f"fastexcel {machine['fastexcel']}"
    )
