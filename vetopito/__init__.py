"""Vetovoima library."""

import os as _os

# polars allocates through its own jemalloc, which keeps freed pages for 10 s by default: a check
# of a 1 000 000-row upload followed by its load then holds both at once. Returning them at once
# keeps the app's peak for a maximum upload under 1 GB (`vetopito bench --ingest` measures it).
# Read by jemalloc when polars is first imported, so it is set before any module imports polars;
# a value set by whoever starts the process wins.
_os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
