-- Every observation that carries a flag (such as no_free_slot for a T3 of 182), in the user's scope.
-- params: $scope_units VARCHAR[]
select
    indicator_id,
    unit_id,
    period_start,
    grain,
    value,
    flag
from observation
where flag is not null
    and unit_id in (select unnest($scope_units))
order by indicator_id, unit_id, period_start
