"""How the benchmarks print their figures."""

from __future__ import annotations


def mark(over: bool, error: str | None) -> str:
    """What follows a figure: its error, `OVER BUDGET` or `ok`."""
    if error:
        return f"ERROR {error}"
    return "OVER BUDGET" if over else "ok"


def spaced(value: int) -> str:
    """`9 931 511`."""
    return f"{value:,}".replace(",", " ")
