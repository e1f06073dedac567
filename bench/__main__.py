"""`python -m bench`: measure the pages at demo size, at 10x, and among 100 tenants of demo size
in one database; print and save the figures (`--tiny`: the smallest sizes, in seconds)."""

import tempfile
import time
from pathlib import Path

from bench import generate, machine, options, report
from bench.generate import Size
from bench.pages import FULL, TINY, measure_pages
from bench.server import serve
from bench.weight import measure_weight

# Size label -> the database measured: the demo's measured cycle `scale` times over, or the
# demo (Gemeente Kampen with Gemeente Huizen beside it) loaded `demos` times.
SIZES = {"demo": Size(), "10x": Size(scale=10), "100 demos": Size(demos=100)}
# One database that grows both ways, as each size costs a server's start.
TINY_SIZES = {"2 demos, 2x": Size(scale=2, demos=2)}
OUTPUT = Path(__file__).resolve().parent / "results" / "pages.json"


def main(arguments: list[str] | None = None) -> None:
    chosen = options.parser(__doc__, OUTPUT).parse_args(arguments)
    sizes, sampling = (TINY_SIZES, TINY) if chosen.tiny else (SIZES, FULL)
    output = options.output(chosen)
    results: report.Results = {}
    weight = None
    with tempfile.TemporaryDirectory(prefix="kompas-bench-") as folder:
        for label, size in sizes.items():
            started = time.perf_counter()
            data = generate.build(Path(folder), size)
            generated = time.perf_counter()
            with serve(data.url) as base_url:
                timings = measure_pages(base_url, data.cycle_id, sampling)
                if weight is None:  # page weight at the first size
                    weight = measure_weight(base_url, data.cycle_id)
            print(
                f"{label}: data generated in {generated - started:.1f} s, "
                f"pages measured in {time.perf_counter() - generated:.1f} s",
                flush=True,
            )
            results[label] = (data, timings)
    info = machine.describe()
    assert weight is not None
    report.print_report(info, sampling, results, weight)
    report.write_json(output, info, sampling, results, weight)
    print(f"Written to {output}.")


if __name__ == "__main__":
    main()
