-- Removes the rows of a tracked table with a parent column that load `$load_id` created and that no row has as its parent (DuckDB refuses to delete a parent and its child in one transaction).
-- params: $load_id INTEGER, $table_name VARCHAR
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
delete from {tracked.table}
where {tracked.row_key} in (
    select row_key
    from load_row
    where table_name = $table_name
        and load_id = $load_id
)
    and {tracked.row_key} not in (
        select {tracked.parent}
        from {tracked.table}
        where {tracked.parent} is not null
    )
