-- The team, team_measure and operating_model rows a load created: table name and key.
-- params: $load_id INTEGER
select
    table_name,
    row_key
from team_load_row
where load_id = $load_id
order by table_name, row_key
