-- Deletes the team measures a load created (keys "team_id|indicator_id" in team_load_row); returns nothing.
-- params: $load_id INTEGER
delete from team_measure
where team_id || '|' || indicator_id in (
    select row_key
    from team_load_row
    where load_id = $load_id
        and table_name = 'team_measure'
)
