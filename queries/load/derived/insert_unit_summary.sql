-- Rebuilds observation_summary for the given indicators (after load/derived/delete_unit_summary): per unit and indicator, how many observations and the latest period; returns nothing.
-- params: $indicator_ids VARCHAR[]
insert into observation_summary (unit_id, indicator_id, n_observations, latest_period)
select
    o.unit_id,
    o.indicator_id,
    count(*) as n_observations,
    max(o.period_start) as latest_period
from observation as o
where o.indicator_id in (select unnest($indicator_ids))
group by o.unit_id, o.indicator_id
