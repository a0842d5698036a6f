-- Puts back, in place, the restored columns of the rows of a tracked keyed table that load `$load_id` had changed (undo).
-- params: $load_id INTEGER
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
update {tracked.table} as t
set
    {tracked.set_restored}
from {tracked.history} as h
where {tracked.key_match}
    and h.replaced_by_load = $load_id
