"""Kompas's benchmarks (bench/README.md); `python -m bench` measures the pages."""
