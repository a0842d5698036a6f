-- The indicators that are a region's or a team's own: indicator_id, scope_kind, scope_value (the loader refuses their values on units outside that region or team).
-- params: (none)
select
    indicator_id,
    scope_kind,
    scope_value
from indicator_scope
where scope_kind <> 'national'
order by indicator_id
