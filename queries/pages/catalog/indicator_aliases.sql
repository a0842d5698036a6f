-- The names sources use for each indicator the user sees (indicator_alias): indicator_id, alias, alias_kind, in indicator and name order.
-- params: $scope_indicators VARCHAR[]
select
    indicator_id,
    alias,
    alias_kind
from indicator_alias
where indicator_id in (select unnest($scope_indicators))
order by indicator_id, alias
