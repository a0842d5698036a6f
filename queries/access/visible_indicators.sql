-- The indicators a user sees: every national one (no scope row, or scope 'national'), the own indicators of the regions in $region_ids, and those of the teams among $unit_ids (the units the user sees); catalogue order.
-- params: $unit_ids VARCHAR[], $region_ids VARCHAR[]
select
    i.id
from indicator as i
left join indicator_scope as s
    on s.indicator_id = i.id
where s.indicator_id is null
    or s.scope_kind = 'national'
    or (s.scope_kind = 'region' and s.scope_value in (select unnest($region_ids)))
    or (s.scope_kind = 'team' and s.scope_value in (select unnest($unit_ids)))
order by i.sort_order, i.id
