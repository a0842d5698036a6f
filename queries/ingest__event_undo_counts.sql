-- How many events undoing load `$load_id` removes (events are only ever added).
-- params: $load_id INTEGER
select
    0 as restored,
    count(*) as removed
from event
where load_id = $load_id
