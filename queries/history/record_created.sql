-- Records the rows of a tracked table that load `$load_id` created (frame `history_keys`: their keys), for tables whose rows carry no load id.
-- params: $load_id INTEGER, $table_name VARCHAR
-- Markers: `{tracked.<name>}` is filled by `db.execute_tracked` from the entry of the closed list
-- `vetopito.ingest.history.TRACKED` (never from input), as quoted identifiers: table, history,
-- kept (key, restored and kept columns), t_kept (the same of alias t), key_match (t.k = h.k and …),
-- set_restored (c = h.c, …), row_key (the key columns joined by '|'), parent. Only this folder may
-- hold them (tests/test_security_sql.py).
merge into load_row as stored
using (
    select distinct
        $table_name,
        {tracked.row_key},
        $load_id
    from history_keys
) as given (table_name, row_key, load_id)
on stored.table_name = given.table_name
    and stored.row_key = given.row_key
when not matched then insert (table_name, row_key, load_id)
    values (given.table_name, given.row_key, given.load_id)
