-- Creates `widget_history`, the replaced rows of the test-only table `widget` (tests/test_ingest_history.py).
-- params: (none)
create table if not exists widget_history (
    id varchar not null,
    colour varchar not null,
    size integer,
    replaced_by_load integer not null
)
