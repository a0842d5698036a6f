-- Inserts the rows of frame `history_rows` (every kept column of a tracked table but load_id) into the table as load `$load_id`: the second half of a keyed write.
-- params: $load_id INTEGER
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
insert into {tracked.table} ({tracked.kept})
select
    {tracked.kept}
from (
    select
        * replace ($load_id as load_id)
    from history_rows
)
