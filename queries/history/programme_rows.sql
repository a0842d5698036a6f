-- The stored rows of a tracked programme table (one with a programme_id column) of the programmes frame `history_programmes` names: a plan's stored children.
-- params: (none)
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
select
    {tracked.t_kept}
from {tracked.table} as t
where t.programme_id in (select programme_id from history_programmes)
