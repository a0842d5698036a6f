-- Keeps the stored baseline and aim of every team measure that load `$load_id` changes (frame `incoming_changes`); returns nothing.
-- params: $load_id INTEGER
insert into team_measure_history (
    team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date, replaced_by_load
)
select
    m.team_id,
    m.indicator_id,
    m.baseline_value,
    m.baseline_period,
    m.aim_value,
    m.aim_date,
    $load_id
from team_measure as m
join incoming_changes as c
    on c.team_id = m.team_id
    and c.indicator_id = m.indicator_id
where c.status = 'changed'
