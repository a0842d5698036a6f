-- The units each load wrote or replaced, recorded at commit (`ingest__record_load_units`), so
-- undo and the load history can judge a user's load scope without scanning every observation.
create table load_unit (
    load_id integer not null,
    unit_id varchar not null,
    primary key (load_id, unit_id)
);

-- the loads already in the file (a value a load wrote and a later load replaced is in the history)
insert into load_unit (load_id, unit_id)
with touched (load_id, unit_id) as (
    select load_id, unit_id from observation
    union select replaced_by_load, unit_id from observation_history
    union select load_id, unit_id from observation_history
    union select load_id, unit_id from target where load_id is not null
    union select replaced_by_load, unit_id from target_history
    union select load_id, unit_id from target_history where load_id is not null
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
where unit_id is not null and load_id is not null;
