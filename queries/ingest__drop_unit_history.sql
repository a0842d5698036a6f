-- Forgets the unit history rows of load `$load_id` once restored.
-- params: $load_id INTEGER
delete from unit_history
where replaced_by_load = $load_id
