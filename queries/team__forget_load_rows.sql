-- Forgets the created-row records of an undone load in team_load_row; returns nothing.
-- params: $load_id INTEGER
delete from team_load_row
where load_id = $load_id
