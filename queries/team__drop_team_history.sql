-- Forgets the team rows kept for undoing load `$load_id` (after it is undone); returns nothing.
-- params: $load_id INTEGER
delete from team_history
where replaced_by_load = $load_id
