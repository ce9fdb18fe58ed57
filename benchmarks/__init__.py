"""Benchmark suite (issue 7): run ``python benchmarks/run.py`` (``make bench``)."""
