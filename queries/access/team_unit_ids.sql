-- Those of the given ids that are teams.
-- params: $team_ids VARCHAR[]
select id
from unit
where kind = 'team'
    and id in (select unnest($team_ids))
order by id
