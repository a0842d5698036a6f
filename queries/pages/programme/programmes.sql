-- Every programme with the regions it covers (region unit ids, sorted), by name: the programme picker reads it and the library keeps those the user may see (vetopito.followup.visible).
-- params: (none)
select
    p.id as programme_id,
    p.name,
    p.funder,
    p.period_start,
    p.period_end,
    p.owner_email,
    p.description,
    p.is_demo,
    list(distinct coalesce(u.id, r.region_id) order by coalesce(u.id, r.region_id))
        filter (where r.region_id is not null) as region_ids
from programme as p
left join programme_region as r on r.programme_id = p.id
left join unit as u on u.kind = 'region' and (u.id = r.region_id or u.code = r.region_id)
group by all
order by p.name, p.id
