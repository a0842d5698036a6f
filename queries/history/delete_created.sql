-- Removes the rows of a tracked table that load `$load_id` created (undo; from its records in load_row).
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
