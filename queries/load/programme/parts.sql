-- What the programme files refer to, for the programmes $programme_ids: each stored programme, goal, sub-project, measure (`subproject|measure`, with its kind) and reporting round (ISO date), one row each.
-- params: $programme_ids VARCHAR[]
select
    'programme' as part,
    id as programme_id,
    id as part_id,
    null::varchar as kind
from programme
where id in (select unnest($programme_ids))
union all
select
    'goal',
    programme_id,
    goal_id,
    null
from programme_goal
where programme_id in (select unnest($programme_ids))
union all
select
    'subproject',
    programme_id,
    subproject_id,
    null
from subproject
where programme_id in (select unnest($programme_ids))
union all
select
    'measure',
    programme_id,
    subproject_id || '|' || measure_id,
    kind
from programme_measure
where programme_id in (select unnest($programme_ids))
union all
select
    'round',
    programme_id,
    strftime(round_date, '%Y-%m-%d'),
    null
from reporting_round
where programme_id in (select unnest($programme_ids))
