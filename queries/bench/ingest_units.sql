-- Returns the region and organisational unit ids (column id) the ingest benchmark's CSV uses, regions first.
-- params: (none)
select
    id
from unit
where kind in ('region', 'org_unit')
order by kind desc, id
