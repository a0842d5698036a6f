"""The throw-away PostgreSQL cluster of the lake tests: `vetopito.bench.pg` (the benchmark's lakes
use the same one)."""

from vetopito.bench.pg import BIN, Cluster, available, start

__all__ = ["BIN", "Cluster", "available", "start"]
