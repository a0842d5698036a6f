-- The programmes a user may read (access.scope): every programme ($all_programmes: the local demo mode and the command line), those granted to them as their manager ($scope_programmes) and those that cover a region whose programmes they read ($scope_programme_regions: their director and analyst grants); id order. Bound as `$readable_programmes` to every programme query.
-- params: $scope_programmes VARCHAR[], $scope_programme_regions VARCHAR[], $all_programmes BOOLEAN
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
order by p.id
