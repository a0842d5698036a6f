-- The committed loads that created or changed each indicator or its dated definition changes: indicator_id, load_id, file_name, user_name, loaded_at, action (created | changed | definition_change), newest first.
-- params: $scope_indicators VARCHAR[]
with touched as (
    select row_key as indicator_id, load_id, 'created' as action
    from load_row
    where table_name = 'indicator'
    union
    select id, replaced_by_load, 'changed'
    from indicator_history
    union
    select indicator_id, replaced_by_load, 'changed'
    from indicator_scope_history
    union
    select split_part(row_key, '|', 1), load_id, 'definition_change'
    from load_row
    where table_name = 'indicator_definition_change'
    union
    select indicator_id, replaced_by_load, 'definition_change'
    from indicator_definition_change_history
)
select
    t.indicator_id,
    l.id as load_id,
    l.file_name,
    l.user_name,
    l.loaded_at,
    t.action
from touched as t
join load as l
    on l.id = t.load_id
where l.status = 'committed'
    and t.indicator_id in (select unnest($scope_indicators))
order by l.id desc, t.indicator_id, t.action
