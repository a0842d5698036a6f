-- For tests only: every row of observation_summary (unit_id, indicator_id, n_observations, latest_period); no scope.
-- params: (none)
select
    unit_id,
    indicator_id,
    n_observations,
    latest_period
from observation_summary
order by unit_id, indicator_id
