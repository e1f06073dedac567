"""`make bench-exit`: what a backup, a restore, an organisation's export and its import cost
for the generated organisation of bench/council_report.py at 1x, 4x and 16x, on SQLite and on
PostgreSQL. The restore's seconds are the larger part of the RTO that the README states.

Per size and database: `kompas backup` and `kompas restore` (into an empty database) of the
whole database, `kompas export` of the organisation and `kompas import` into another empty,
migrated database; wall-clock seconds and the bytes written. Writes bench/results/exit.json.
"""

import json
import tempfile
import time
from pathlib import Path

from app import archive, backup, migrate
from app.db import make_engine
from bench import council_report, machine, options
from bench.databases import BACKENDS, fresh_database

OUTPUT = Path(__file__).resolve().parent / "results" / "exit.json"
SIZES = {"1x": 1, "4x": 4, "16x": 16}
TINY_SIZES = {"1x": 1}
TINY_BACKENDS = ("sqlite",)


def measure(backend: str, scale: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder)
        with (
            fresh_database(backend, files, "kompas_bench") as url,
            fresh_database(backend, files, "kompas_bench") as restored,
            fresh_database(backend, files, "kompas_bench") as other,
        ):
            council_report.generate(url, scale)
            migrate.upgrade(other)
            engine, target = make_engine(url), make_engine(other)
            try:
                figures = {
                    "backup_seconds": _timed(backup.backup, url, files / "backup"),
                    "restore_seconds": _timed(backup.restore, files / "backup", restored),
                    "export_seconds": _timed(
                        archive.export_organisation, engine, council_report.SLUG, files / "a.zip"
                    ),
                    "import_seconds": _timed(archive.import_organisation, target, files / "a.zip"),
                }
            finally:
                engine.dispose()
                target.dispose()
            figures["backup_bytes"] = (files / "backup").stat().st_size
            figures["archive_bytes"] = (files / "a.zip").stat().st_size
            return figures


def _timed(work, *arguments) -> float:
    start = time.perf_counter()
    work(*arguments)
    return round(time.perf_counter() - start, 3)


def main(arguments: list[str] | None = None) -> None:
    chosen = options.parser(__doc__, OUTPUT).parse_args(arguments)
    sizes = TINY_SIZES if chosen.tiny else SIZES
    backends = TINY_BACKENDS if chosen.tiny else BACKENDS
    figures = {
        backend: {label: measure(backend, scale) for label, scale in sizes.items()}
        for backend in backends
    }
    info = machine.describe()
    output = options.output(chosen)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"machine": info, **figures}, indent=2, ensure_ascii=False) + "\n")
    for backend, by_size in figures.items():
        for label, measured in by_size.items():
            print(f"{backend:10} {label:4} {measured}")
    print(machine.summary(info))
    print(f"Written to {output}.")


if __name__ == "__main__":
    main()
