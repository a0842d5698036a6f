-- How many observations undoing load `$load_id` restores to an earlier value and how many it removes.
-- params: $load_id INTEGER
with restored as (
    select count(*) as n
    from observation_history
    where replaced_by_load = $load_id
),
written as (
    select count(*) as n
    from observation
    where load_id = $load_id
)
select
    restored.n as restored,
    written.n - restored.n as removed
from restored, written
