-- Keeps the stored state of the rows of a tracked table that load `$load_id` is about to change (frame `history_keys`: their keys).
-- params: $load_id INTEGER
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
insert into {tracked.history} ({tracked.kept}, replaced_by_load)
select
    {tracked.t_kept},
    $load_id
from {tracked.table} as t
join history_keys as h
    on {tracked.key_match}
