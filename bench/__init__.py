"""Benchmarks: `make bench`. Never run by `make test`."""
