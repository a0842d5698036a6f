-- Deletes the operating models a load created (keys "team_id|title" in team_load_row); returns nothing.
-- params: $load_id INTEGER
delete from operating_model
where team_id || '|' || title in (
    select row_key
    from team_load_row
    where load_id = $load_id
        and table_name = 'operating_model'
)
