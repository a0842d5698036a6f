-- Puts back the rows of a tracked table whose rows carry a load id that load `$load_id` had replaced (undo, after delete_written).
-- params: $load_id INTEGER
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
insert into {tracked.table} ({tracked.kept})
select
    {tracked.kept}
from {tracked.history}
where replaced_by_load = $load_id
