-- The five collaborative areas (YTA) the user may see, with names and population.
-- params: $scope_units VARCHAR[]
select
    id,
    code,
    name_fi,
    name_sv,
    name_en,
    population
from unit
where kind = 'yta'
    and id in (select unnest($scope_units))
order by sort_order, id
