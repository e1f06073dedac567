"""The machine a benchmark ran on."""

import os
import platform
from datetime import datetime
from pathlib import Path


def _proc_value(path: str, key: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def _ram_gib() -> float | None:
    total = _proc_value("/proc/meminfo", "MemTotal")  # "24683944 kB"
    return round(int(total.split()[0]) / 1024**2, 1) if total else None


def describe() -> dict[str, object]:
    return {
        "cpu": _proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "python": platform.python_version(),
        "os": platform.platform(),
        # Other work on the machine skews the figures; 1, 5 and 15 minute averages at the end.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
