-- Removes the observations written by load `$load_id` (undo, step 1).
-- params: $load_id INTEGER
delete from observation
where load_id = $load_id
