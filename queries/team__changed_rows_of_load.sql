-- How many rows of the team formats a load changed rather than created (undo cannot restore those).
-- params: $load_id INTEGER
select
    coalesce(n_changed, 0) as n_changed
from load
where id = $load_id
