"""The built-in formats, registered on import (observations first, then reference files)."""

from vetopito.ingest import observations, reference  # noqa: F401
