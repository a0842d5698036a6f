-- The regions of the given teams (team.region_id), distinct.
-- params: $team_ids VARCHAR[]
select distinct
    region_id
from team
where unit_id in (select unnest($team_ids))
order by region_id
