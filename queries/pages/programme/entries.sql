-- Every sub-project's written entry of one programme per reporting round, by round: text, who wrote it and when.
-- params: $programme_id VARCHAR, $scope_programmes VARCHAR[], $scope_programme_regions VARCHAR[], $all_programmes BOOLEAN
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
    e.subproject_id,
    e.round_date,
    e.text,
    e.author_email,
    e.written_at
from round_entry as e
where e.programme_id = $programme_id
    and e.programme_id in (select id from readable)
order by e.subproject_id, e.round_date
