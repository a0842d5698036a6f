-- Every sub-project's written entry per reporting round of one programme the user may read, with who wrote it and when; sub-project then round order.
-- params: $programme_id VARCHAR, $scope_programmes VARCHAR[], $scope_programme_regions VARCHAR[], $all_programmes BOOLEAN
with readable as (
    select
        p.id
    from programme as p
    where $all_programmes
        or p.id in (select unnest($scope_programmes))
        or p.id in (
            select
                r.programme_id
            from programme_region as r
            where r.region_id in (select unnest($scope_programme_regions))
        )
)
select
    e.subproject_id,
    e.round_date,
    e.text,
    e.author_email,
    e.written_at,
    e.load_id
from round_entry as e
where e.programme_id = $programme_id
    and e.programme_id in (select id from readable)
order by e.subproject_id, e.round_date
