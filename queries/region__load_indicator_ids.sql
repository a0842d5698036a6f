-- The indicators whose observations a load wrote or replaced (call before undo, or after commit): indicator_id.
-- params: $load_id INTEGER
select indicator_id
from observation
where load_id = $load_id
union
select indicator_id
from observation_history
where replaced_by_load = $load_id
order by indicator_id
