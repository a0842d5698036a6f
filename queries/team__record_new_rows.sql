-- Records which load created new team, team_measure or operating_model rows (frame `new_rows`: table_name, row_key); returns nothing.
-- params: $load_id INTEGER
insert into team_load_row (table_name, row_key, load_id)
select
    table_name,
    row_key,
    $load_id
from new_rows
on conflict (table_name, row_key) do nothing
