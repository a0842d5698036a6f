-- Later loads that block undoing load `$load_id`: they changed a team, measure or operating model it created or changed, or put data on a team it created.
-- params: $load_id INTEGER
with history as (
    select 'team' as table_name, unit_id as row_key, replaced_by_load from team_history
    union all
    select 'team_measure', team_id || '|' || indicator_id, replaced_by_load from team_measure_history
    union all
    select 'operating_model', team_id || '|' || title, replaced_by_load from operating_model_history
),
written as (
    select table_name, row_key from load_row where load_id = $load_id and table_name <> 'unit'
    union
    select table_name, row_key from history where replaced_by_load = $load_id
),
created_teams as (
    select
        row_key as team_id
    from load_row
    where load_id = $load_id
        and table_name = 'team'
),
dependants as (
    select h.replaced_by_load as load_id
    from history as h
    join written as w
        on w.table_name = h.table_name
        and w.row_key = h.row_key
    where h.replaced_by_load > $load_id
    union
    select o.load_id from observation as o join created_teams as c on c.team_id = o.unit_id
    union
    select e.load_id from event as e join created_teams as c on c.team_id = e.unit_id
    union
    select r.load_id
    from load_row as r
    join created_teams as c on split_part(r.row_key, '|', 1) = c.team_id
    where r.table_name in ('team_measure', 'operating_model')
)
select distinct
    load_id
from dependants
where load_id is not null
    and load_id <> $load_id
order by load_id
