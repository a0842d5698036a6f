-- Removes the targets written by load `$load_id` (undo, step 1).
-- params: $load_id INTEGER
delete from target
where load_id = $load_id
