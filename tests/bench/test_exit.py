"""`python -m bench.exit --tiny` runs: backup, restore, export and import of the generated
organisation."""

import json

from bench import exit as exit_bench


def test_the_tiny_run_measures_backup_restore_export_and_import(tmp_path):
    output = tmp_path / "exit.json"
    exit_bench.main(["--tiny", "--output", str(output)])
    figures = json.loads(output.read_text())["sqlite"]["1x"]
    assert figures["backup_bytes"] > 0 and figures["archive_bytes"] > 0
    assert set(figures) >= {"backup_seconds", "restore_seconds", "export_seconds", "import_seconds"}
