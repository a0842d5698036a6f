-- The committed loads that later changed observations written by load `$load_id` (they block its undo).
-- params: $load_id INTEGER
select distinct
    h.replaced_by_load as load_id
from observation_history as h
where h.load_id = $load_id
order by 1
