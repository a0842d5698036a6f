-- What the observations a load wrote or replaced span (call before undo, or after commit): indicator_ids (a sorted list; empty when none), first and last period start (one row).
-- params: $load_id INTEGER
with touched as (
    select indicator_id, period_start
    from observation
    where load_id = $load_id
    union all
    select indicator_id, period_start
    from observation_history
    where replaced_by_load = $load_id
)
select
    coalesce(list(distinct indicator_id order by indicator_id), []) as indicator_ids,
    min(period_start) as first,
    max(period_start) as last
from touched
