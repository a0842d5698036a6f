-- Removes the events added by load `$load_id` (undo).
-- params: $load_id INTEGER
delete from event
where load_id = $load_id
