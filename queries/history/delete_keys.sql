-- Deletes the rows of a tracked table whose keys frame `history_keys` holds: the first half of a keyed write without ON CONFLICT (DuckLake has no keys), after `history/save` kept them.
-- params: (none)
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
delete from {tracked.table} as t
where exists (
    select 1
    from history_keys as h
    where {tracked.key_match}
)
