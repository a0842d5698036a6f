-- Creates `widget`, a table only tests/test_ingest_history.py has: named once in the tracked list, it gets exact undo.
-- params: (none)
create table if not exists widget (
    id varchar primary key,
    colour varchar not null,
    size integer
)
