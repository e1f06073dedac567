"""The machine a benchmark ran on."""

import os
import platform
import time
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


def reference_ms() -> float:
    """A fixed piece of pure Python, best of five: the same machine type can run at half the
    speed on another day (a shared virtual machine), and this says which day it was."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def steal_percent(seconds: float = 1.0) -> float | None:
    """The share of CPU time the hypervisor gave to others over a moment (/proc/stat)."""

    def sample() -> list[int] | None:
        try:
            fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        except OSError:
            return None
        return [int(field) for field in fields]

    before = sample()
    time.sleep(seconds)
    after = sample()
    if before is None or after is None or len(after) < 8:
        return None
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return round(100 * spent[7] / max(sum(spent), 1), 1)


def describe() -> dict[str, object]:
    return {
        "cpu": _proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "python": platform.python_version(),
        "os": platform.platform(),
        # Other work on the machine skews the figures; 1, 5 and 15 minute averages at the end.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "reference_ms": reference_ms(),
        "steal_percent": steal_percent(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def summary(info: dict[str, object]) -> str:
    """One line to print under a benchmark's figures."""
    return (
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, "
        f"Python {info['python']}, {info['os']}, {info['date']}, load average "
        f"{info['load_average']}, reference loop {info['reference_ms']} ms, "
        f"CPU steal {info['steal_percent']}%"
    )
