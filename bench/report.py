"""The benchmark's figures as a table on screen and as JSON, with a verdict on the targets."""

import dataclasses
import json
from pathlib import Path

from bench.generate import Dataset
from bench.machine import summary
from bench.pages import PAGES, PageTiming, Sampling
from bench.weight import COLD_TARGET_BYTES, WARM_TARGET_BYTES, PageWeight

P95_TARGET_MS = 50.0

# Per size label ("demo", "10x", "100 demos"): the data it ran on and the timing of each page.
Results = dict[str, tuple[Dataset, dict[str, PageTiming]]]


def misses(results: Results) -> list[str]:
    """Every missed target in words: p95 at every size, query counts across sizes."""
    labels = list(results)
    found = []
    for page in PAGES:
        for label, (_, timings) in results.items():
            p95 = timings[page].p95_ms
            if p95 > P95_TARGET_MS:
                found.append(
                    f"{page}: p95 {p95:.1f} ms at {label}, "
                    f"{p95 - P95_TARGET_MS:.1f} ms over {P95_TARGET_MS:.0f} ms"
                )
        counts = [timings[page].queries for _, timings in results.values()]
        if len(set(counts)) > 1:
            found.append(f"{page}: {' -> '.join(map(str, counts))} queries ({' vs '.join(labels)})")
        if not all(timings[page].queries_stable for _, timings in results.values()):
            found.append(f"{page}: the query count differed between requests")
    return found


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def print_weight(weight: PageWeight) -> None:
    print(f"Page weight (Chromium, Accept-Encoding: {weight.accept_encoding}; bytes on the wire):")
    print(f"  first signed-in page {weight.cold_page}, fresh cache: {_kb(weight.cold_bytes)}")
    for address, size in weight.cold.items():
        print(f"    {address}: {_kb(size)}")
    print(f"  later pages, warm cache: at most {_kb(max(weight.warm.values()))}")
    for path, size in weight.warm.items():
        print(f"    {path}: {_kb(size)}")
    if weight.misses:
        print("Page weight targets MISSED:")
        for miss in weight.misses:
            print(f"  - {miss}")
    print(
        f"Page weight targets (first page at most {_kb(COLD_TARGET_BYTES)}, each later page at "
        f"most {_kb(WARM_TARGET_BYTES)}): {'MISSED' if weight.misses else 'held'}."
    )


def print_report(
    machine: dict[str, object], sampling: Sampling, results: Results, weight: PageWeight
) -> None:
    print()
    print(summary(machine))
    print(
        f"Per page: {sampling.warmup} warm-up requests, then {sampling.requests} sequential "
        f"requests; a slow page stops after {sampling.budget_seconds:.0f} s (at least "
        f"{sampling.min_requests} requests, column n)."
    )
    for label, (data, _) in results.items():
        print(
            f"Data {label}: {data.organisations} organisations, {data.themes} themes; "
            f"measured cycle {data.results} results, "
            f"{data.activities} activities, {data.indicators} indicators, "
            f"{data.measurements} measurements"
        )
    print()
    width = max(map(len, PAGES))
    columns = "  ".join(f"{'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'n':>4}" for _ in results)
    print(f"{'':<{width}}  " + "  ".join(f"{label:^28}" for label in results))
    print(f"{'page':<{width}}  {columns}")
    for page in PAGES:
        cells = "  ".join(
            f"{t.p50_ms:7.1f} {t.p95_ms:7.1f} {t.queries:7d} {t.requests:4d}"
            for t in (timings[page] for _, timings in results.values())
        )
        print(f"{page:<{width}}  {cells}")
    print()
    found = misses(results)
    if found:
        print("Targets MISSED:")
        for miss in found:
            print(f"  - {miss}")
    print(
        f"Targets (p95 at most {P95_TARGET_MS:.0f} ms for every page at every size, "
        f"equal query counts at every size): {'MISSED' if found else 'held'}."
    )
    print()
    print_weight(weight)


def write_json(
    path: Path,
    machine: dict[str, object],
    sampling: Sampling,
    results: Results,
    weight: PageWeight,
) -> None:
    found = misses(results)
    document = {
        "machine": machine,
        "warmup_requests": sampling.warmup,
        "max_requests": sampling.requests,
        "min_requests": sampling.min_requests,
        "budget_seconds_per_page": sampling.budget_seconds,
        "p95_target_ms": P95_TARGET_MS,
        "sizes": {
            label: {
                "data": {k: v for k, v in dataclasses.asdict(data).items() if k != "url"},
                "pages": {
                    page: {
                        name: round(value, 2) if isinstance(value, float) else value
                        for name, value in dataclasses.asdict(t).items()
                    }
                    for page, t in timings.items()
                },
            }
            for label, (data, timings) in results.items()
        },
        "targets_held": not found,
        "misses": found,
        "page_weight": {
            "size": next(iter(results)),
            "client": f"Chromium, Accept-Encoding: {weight.accept_encoding}",
            "cold_cache": {
                "page": weight.cold_page,
                "bytes": weight.cold_bytes,
                "by_address": weight.cold,
            },
            "warm_cache": {"max_bytes": max(weight.warm.values()), "pages": weight.warm},
            "cold_target_bytes": COLD_TARGET_BYTES,
            "warm_target_bytes": WARM_TARGET_BYTES,
            "targets_held": not weight.misses,
            "misses": weight.misses,
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
