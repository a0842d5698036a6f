-- Forgets the target history rows of load `$load_id` once restored (undo, step 3).
-- params: $load_id INTEGER
delete from target_history
where replaced_by_load = $load_id
