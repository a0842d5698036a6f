-- Creates `widget`, a table only tests/test_ingest_history.py has: named once in the tracked list, it gets exact undo (no key: the loader keeps it, as for every table).
-- params: (none)
create table if not exists widget (
    id varchar not null,
    colour varchar not null,
    size integer
)
