-- Every programme the user reads (access.scope: a programme manager its own, a director or analyst those of their regions) with the regions it covers (region unit ids, sorted), by name: the programme picker.
-- params: $scope_programmes VARCHAR[], $scope_programme_regions VARCHAR[], $all_programmes BOOLEAN
with readable as (
    select p.id
    from programme as p
    where $all_programmes
        or p.id in (select unnest($scope_programmes))
        or p.id in (
            select r.programme_id
            from programme_region as r
            left join unit as u on u.kind = 'region' and (u.id = r.region_id or u.code = r.region_id)
            where coalesce(u.id, r.region_id) in (select unnest($scope_programme_regions))
        )
)
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
where p.id in (select id from readable)
group by all
order by p.name, p.id
