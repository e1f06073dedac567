"""`python -m bench`: measure the pages at demo size and at 10x, print and save the figures."""

import tempfile
import time
from pathlib import Path

from bench import generate, machine, report
from bench.pages import measure_pages
from bench.server import serve
from bench.weight import measure_weight

# Size label -> how many times the demo.
SIZES = {"demo": 1, "10x": 10}
OUTPUT = Path(__file__).resolve().parent / "results" / "pages.json"


def main() -> None:
    results: report.Results = {}
    weight = None
    with tempfile.TemporaryDirectory(prefix="kompas-bench-") as folder:
        for label, scale in SIZES.items():
            started = time.perf_counter()
            data = generate.build(Path(folder), scale)
            generated = time.perf_counter()
            with serve(data.url) as base_url:
                timings = measure_pages(base_url, data.cycle_id)
                if weight is None:  # page weight at demo size
                    weight = measure_weight(base_url, data.cycle_id)
            print(
                f"{label}: data generated in {generated - started:.1f} s, "
                f"pages measured in {time.perf_counter() - generated:.1f} s",
                flush=True,
            )
            results[label] = (data, timings)
    info = machine.describe()
    assert weight is not None
    report.print_report(info, results, weight)
    report.write_json(OUTPUT, info, results, weight)
    print(f"Written to {OUTPUT}.")


if __name__ == "__main__":
    main()
