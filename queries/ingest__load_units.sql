-- Every (load, unit) pair a load wrote or replaced: which loads a user with a load scope may see.
-- params: (none)
with touched (load_id, unit_id) as (
    select load_id, unit_id from observation
    union select replaced_by_load, unit_id from observation_history
    union select load_id, unit_id from target where load_id is not null
    union select replaced_by_load, unit_id from target_history
    union select load_id, unit_id from event where load_id is not null
    union select l.load_id, u.parent_id from unit_load as l
        join unit as u
            on u.id = l.unit_id
    union select replaced_by_load, parent_id from unit_history
    union select r.load_id, t.region_id from team_load_row as r
        join team as t
            on t.unit_id = split_part(r.row_key, '|', 1)
    union select replaced_by_load, region_id from team_history
    union select replaced_by_load, team_id from team_measure_history
    union select replaced_by_load, team_id from operating_model_history
)
select distinct
    load_id,
    unit_id
from touched
where unit_id is not null
order by load_id, unit_id
