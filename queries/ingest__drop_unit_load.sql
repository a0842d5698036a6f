-- Forgets which units load `$load_id` created (undo, after removing them).
-- params: $load_id INTEGER
delete from unit_load
where load_id = $load_id
