-- Deletes the team rows a load created (keys = team ids in team_load_row); returns nothing.
-- params: $load_id INTEGER
delete from team
where unit_id in (
    select row_key
    from team_load_row
    where load_id = $load_id
        and table_name = 'team'
)
