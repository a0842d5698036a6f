-- Records which load created the new team units (frame `incoming_changes`, status new) in unit_load; returns nothing.
-- params: $load_id INTEGER
insert into unit_load (unit_id, load_id)
select
    team_id,
    $load_id
from incoming_changes
where status = 'new'
on conflict (unit_id) do nothing
