-- Later loads that changed units load `$load_id` created or renamed, or put data on units it created (they block its undo).
-- params: $load_id INTEGER
with created as (
    select row_key as unit_id
    from load_row
    where table_name = 'unit'
        and load_id = $load_id
),
users as (
    select load_id from observation where unit_id in (select unit_id from created)
    union select load_id from target where unit_id in (select unit_id from created)
    union select load_id from event where unit_id in (select unit_id from created)
    union select l.load_id from unit as u join load_row as l on l.table_name = 'unit' and l.row_key = u.id
        where u.parent_id in (select unit_id from created)
    union select h.replaced_by_load from unit_history as h
        where h.id in (select unit_id from created) and h.replaced_by_load > $load_id
    union select h.replaced_by_load from unit_history as h
        where h.id in (select r.id from unit_history as r where r.replaced_by_load = $load_id)
            and h.replaced_by_load > $load_id
)
select distinct load_id
from users
where load_id is not null
    and load_id <> $load_id
order by 1
