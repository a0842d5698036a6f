-- Forgets the history rows of load `$load_id` once they are restored (undo, step 3).
-- params: $load_id INTEGER
delete from observation_history
where replaced_by_load = $load_id
