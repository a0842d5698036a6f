-- Targets that apply to a region: only its own if it has any for an indicator, else its YTA's, else the national ones (level 1 = own, 2 = YTA, 3 = national), soonest due first.
-- params: $unit_id VARCHAR, $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with chain as (
    select
        u.id,
        1 as level
    from unit as u
    where u.id = $unit_id
    union all
    select
        p.id,
        2 as level
    from unit as u
    join unit as p on p.id = u.parent_id
    where u.id = $unit_id and p.kind = 'yta'
    union all
    select
        'FI' as id,
        3 as level
    where $unit_id <> 'FI'
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
    and t.indicator_id in (select unnest($scope_indicators))
qualify c.level = min(c.level) over (partition by t.indicator_id)
order by t.indicator_id, t.due_date
