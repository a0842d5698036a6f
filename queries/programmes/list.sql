-- The programmes the user may read (access.scope: their managers, the directors and analysts of the regions they cover), with their regions as a list and whether they are demo data (the load that wrote them was); name order.
-- params: $readable_programmes VARCHAR[]
select
    p.id,
    p.name,
    p.funder,
    p.period_start,
    p.period_end,
    p.owner_email,
    p.description,
    p.is_demo or coalesce(l.is_demo, false) as is_demo,
    coalesce(
        (select list(r.region_id order by r.region_id) from programme_region as r where r.programme_id = p.id),
        []::varchar[]
    ) as region_ids
from programme as p
left join load as l
    on l.id = p.load_id
where p.id in (select unnest($readable_programmes))
order by p.name, p.id
