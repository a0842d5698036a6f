-- Targets that apply to a region: its own, else its YTA's, else the national ones (level 1 = own), soonest due first.
-- params: $unit_id VARCHAR, $scope_units VARCHAR[]
with chain as (
    select
        u.id,
        1 as level
    from unit as u
    where u.id = $unit_id
    union all
    select
        u.parent_id as id,
        2 as level
    from unit as u
    where u.id = $unit_id and u.parent_id is not null
    union all
    select
        'FI' as id,
        3 as level
)
select
    t.indicator_id,
    t.unit_id,
    c.level,
    t.due_date,
    t.target_value,
    t.label,
    t.source
from target as t
join chain as c on c.id = t.unit_id
where t.unit_id in (select unnest($scope_units))
qualify c.level = min(c.level) over (partition by t.indicator_id)
order by t.indicator_id, t.due_date
