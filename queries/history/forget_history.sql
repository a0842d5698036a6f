-- Forgets the history rows of load `$load_id` in a tracked table once they are put back (undo).
-- params: $load_id INTEGER
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
delete from {tracked.history}
where replaced_by_load = $load_id
