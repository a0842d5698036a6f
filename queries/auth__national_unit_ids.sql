-- The units every signed-in role may see: the country, the collaborative areas and the regions.
-- params: (none)
select id
from unit
where kind in ('country', 'yta', 'region')
order by id
