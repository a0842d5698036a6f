-- Returns which of the given indicators have stored observations of grain $grain: indicator_id, ordered.
-- params: $indicator_ids VARCHAR[], $grain VARCHAR
select distinct
    indicator_id
from observation
where indicator_id in (select unnest($indicator_ids))
    and grain = $grain
order by indicator_id
