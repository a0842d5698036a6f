"""The benchmarks behind `vetopito bench`: how fast the pages, their queries, the loader and the
browser are on this machine.

A package of its own, apart from the library the pages use: no page imports it; the command
line (`vetopito.cli.dev`) and its tests do. `database` builds (or reuses) the national-scale
database, `pages` times every page through AppTest and every query it runs, `ingest` times the
loader against DuckDB's `read_csv` and pandas, `browser` times the pages in headless Chromium
(`browser_report` prints its figures, `cpu` reads the CPU seconds of its processes).
Benchmarks, not tests: they print figures against their budgets and mark those over them; they
never fail on them.
"""
