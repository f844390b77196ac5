"""Loaders: files (and later SQL sources) into the store through :func:`data_sources.writes.record_observations`.

Each template has its own module; ``observations`` is the first (docs/import.md).
"""
