-- Remembers which load created each new unit of frame `incoming_changes`.
-- params: $load_id INTEGER
insert into unit_load (unit_id, load_id)
select
    id,
    $load_id
from incoming_changes
where status = 'new'
