-- Later loads that depend on teams a load created (observations, measures, models or events of those teams).
-- params: $load_id INTEGER
with created as (
    select
        row_key as team_id
    from team_load_row
    where load_id = $load_id
        and table_name = 'team'
),
dependants as (
    select o.load_id from observation as o join created as c on c.team_id = o.unit_id
    union
    select e.load_id from event as e join created as c on c.team_id = e.unit_id
    union
    select r.load_id
    from team_load_row as r
    join created as c on split_part(r.row_key, '|', 1) = c.team_id
    where r.table_name in ('team_measure', 'operating_model')
)
select distinct
    load_id
from dependants
where load_id is not null
    and load_id <> $load_id
order by load_id
