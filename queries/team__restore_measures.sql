-- Puts back the baselines and aims load `$load_id` changed (from team_measure_history); returns nothing.
-- params: $load_id INTEGER
update team_measure as m
set
    baseline_value = h.baseline_value,
    baseline_period = h.baseline_period,
    aim_value = h.aim_value,
    aim_date = h.aim_date
from team_measure_history as h
where h.team_id = m.team_id
    and h.indicator_id = m.indicator_id
    and h.replaced_by_load = $load_id
