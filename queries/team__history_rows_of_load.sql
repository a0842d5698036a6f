-- How many team, team measure and operating model rows load `$load_id` changed (its history rows): one count.
-- params: $load_id INTEGER
with changed as (
    select unit_id from team_history where replaced_by_load = $load_id
    union all
    select team_id from team_measure_history where replaced_by_load = $load_id
    union all
    select team_id from operating_model_history where replaced_by_load = $load_id
)
select
    count(*) as n_changed
from changed
