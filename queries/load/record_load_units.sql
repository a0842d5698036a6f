-- Records, in the load's own transaction, every unit load `$load_id` wrote or replaced (the unit of each value, target or event, the parent of each unit created or renamed, the region, parent or team of each team row): undo and the load history judge a user's load scope by it.
-- params: $load_id INTEGER
merge into load_unit as stored
using (
    with touched (unit_id) as (
        select unit_id from observation where load_id = $load_id
        union select unit_id from observation_history where replaced_by_load = $load_id
        union select unit_id from target where load_id = $load_id
        union select unit_id from target_history where replaced_by_load = $load_id
        union select unit_id from event where load_id = $load_id
        union select u.parent_id from load_row as l
            join unit as u
                on u.id = l.row_key
            where l.load_id = $load_id
                and l.table_name = 'unit'
        union select parent_id from unit_history where replaced_by_load = $load_id
            -- a team's unit renamed by a teams load: its region is the team's (below), as before 013
            and id not in (select unit_id from team_history where replaced_by_load = $load_id)
        union select t.region_id from load_row as r
            join team as t
                on t.unit_id = split_part(r.row_key, '|', 1)
            where r.load_id = $load_id
                and r.table_name in ('team', 'team_measure', 'operating_model')
        union select region_id from team_history where replaced_by_load = $load_id
        union select team_id from team_measure_history where replaced_by_load = $load_id
        union select team_id from operating_model_history where replaced_by_load = $load_id
    )
    select distinct
        $load_id as load_id,
        unit_id
    from touched
    where unit_id is not null
) as given (load_id, unit_id)
on stored.load_id = given.load_id
    and stored.unit_id = given.unit_id
when not matched then insert (load_id, unit_id)
    values (given.load_id, given.unit_id)
