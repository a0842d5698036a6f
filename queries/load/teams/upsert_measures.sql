-- Inserts or updates team measures from the frame `incoming_changes`; returns nothing.
-- params: (none)
insert into team_measure (team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date)
select
    team_id,
    indicator_id,
    baseline_value,
    baseline_period,
    aim_value,
    aim_date
from incoming_changes
on conflict (team_id, indicator_id) do update set
    baseline_value = excluded.baseline_value,
    baseline_period = excluded.baseline_period,
    aim_value = excluded.aim_value,
    aim_date = excluded.aim_date
