-- For each programme table, the programmes whose rows each load wrote there (the rows as stored now and those a load replaced): what blocks undoing a programme load (a later load of the same programme in a table that refers to this one's).
-- params: (none)
with written as (
    select 'programme' as table_name, id as programme_id, load_id from programme
    union all select 'programme', id, replaced_by_load from programme_history
    union all select 'programme_goal', programme_id, load_id from programme_goal
    union all select 'programme_goal', programme_id, replaced_by_load from programme_goal_history
    union all select 'subproject', programme_id, load_id from subproject
    union all select 'subproject', programme_id, replaced_by_load from subproject_history
    union all select 'programme_measure', programme_id, load_id from programme_measure
    union all select 'programme_measure', programme_id, replaced_by_load from programme_measure_history
    union all select 'output_count', programme_id, load_id from output_count
    union all select 'output_count', programme_id, replaced_by_load from output_count_history
    union all select 'reporting_round', programme_id, load_id from reporting_round
    union all select 'reporting_round', programme_id, replaced_by_load from reporting_round_history
    union all select 'round_entry', programme_id, load_id from round_entry
    union all select 'round_entry', programme_id, replaced_by_load from round_entry_history
)
select distinct
    w.table_name,
    w.programme_id,
    w.load_id
from written as w
join load as l
    on l.id = w.load_id
where l.status = 'committed'
order by w.load_id
