-- Forgets the operating_model rows kept for undoing load `$load_id` (after it is undone); returns nothing.
-- params: $load_id INTEGER
delete from operating_model_history
where replaced_by_load = $load_id
