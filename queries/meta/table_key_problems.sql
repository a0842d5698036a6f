-- Returns every key the schema no longer holds (the keyless migration: each former primary key,
-- and the id counters) stored more than once: table_name, row_key (the key's columns joined by
-- '|'), n; none when all is well. Observation and derived keys: meta/observation_key_problems.
-- params: (none)
select
    'app_user' as table_name,
    cast(email as varchar) as row_key,
    count(*) as n
from app_user
group by all
having count(*) > 1
union all
select
    'audit_event' as table_name,
    cast(id as varchar) as row_key,
    count(*) as n
from audit_event
group by all
having count(*) > 1
union all
select
    'event' as table_name,
    cast(id as varchar) as row_key,
    count(*) as n
from "event"
group by all
having count(*) > 1
union all
select
    'indicator' as table_name,
    cast(id as varchar) as row_key,
    count(*) as n
from indicator
group by all
having count(*) > 1
union all
select
    'indicator_alias' as table_name,
    cast(alias_norm as varchar) as row_key,
    count(*) as n
from indicator_alias
group by all
having count(*) > 1
union all
select
    'indicator_definition_change' as table_name,
    cast(indicator_id as varchar) || '|' || cast(valid_from as varchar) as row_key,
    count(*) as n
from indicator_definition_change
group by all
having count(*) > 1
union all
select
    'indicator_definition_change_history' as table_name,
    cast(indicator_id as varchar) || '|' || cast(valid_from as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from indicator_definition_change_history
group by all
having count(*) > 1
union all
select
    'indicator_detail' as table_name,
    cast(indicator_id as varchar) as row_key,
    count(*) as n
from indicator_detail
group by all
having count(*) > 1
union all
select
    'indicator_detail_history' as table_name,
    cast(indicator_id as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from indicator_detail_history
group by all
having count(*) > 1
union all
select
    'indicator_history' as table_name,
    cast(id as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from indicator_history
group by all
having count(*) > 1
union all
select
    'indicator_seasonality' as table_name,
    cast(indicator_id as varchar) as row_key,
    count(*) as n
from indicator_seasonality
group by all
having count(*) > 1
union all
select
    'indicator_seasonality_history' as table_name,
    cast(indicator_id as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from indicator_seasonality_history
group by all
having count(*) > 1
union all
select
    'load' as table_name,
    cast(id as varchar) as row_key,
    count(*) as n
from "load"
group by all
having count(*) > 1
union all
select
    'load_row' as table_name,
    cast(table_name as varchar) || '|' || cast(row_key as varchar) as row_key,
    count(*) as n
from load_row
group by all
having count(*) > 1
union all
select
    'load_unit' as table_name,
    cast(load_id as varchar) || '|' || cast(unit_id as varchar) as row_key,
    count(*) as n
from load_unit
group by all
having count(*) > 1
union all
select
    'meta' as table_name,
    cast("key" as varchar) as row_key,
    count(*) as n
from meta
group by all
having count(*) > 1
union all
select
    'observation_history' as table_name,
    cast(indicator_id as varchar) || '|' || cast(unit_id as varchar) || '|' || cast(period_start as varchar) || '|' || cast(grain as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from observation_history
group by all
having count(*) > 1
union all
select
    'operating_model' as table_name,
    cast(team_id as varchar) || '|' || cast(title as varchar) as row_key,
    count(*) as n
from operating_model
group by all
having count(*) > 1
union all
select
    'operating_model_history' as table_name,
    cast(team_id as varchar) || '|' || cast(title as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from operating_model_history
group by all
having count(*) > 1
union all
select
    'role_grant' as table_name,
    cast(email as varchar) || '|' || cast("role" as varchar) || '|' || cast(scope_kind as varchar) || '|' || cast(scope_value as varchar) as row_key,
    count(*) as n
from role_grant
group by all
having count(*) > 1
union all
select
    'schema_version' as table_name,
    cast("version" as varchar) as row_key,
    count(*) as n
from schema_version
group by all
having count(*) > 1
union all
select
    'target' as table_name,
    cast(indicator_id as varchar) || '|' || cast(unit_id as varchar) || '|' || cast(due_date as varchar) as row_key,
    count(*) as n
from "target"
group by all
having count(*) > 1
union all
select
    'target_history' as table_name,
    cast(indicator_id as varchar) || '|' || cast(unit_id as varchar) || '|' || cast(due_date as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from target_history
group by all
having count(*) > 1
union all
select
    'team' as table_name,
    cast(unit_id as varchar) as row_key,
    count(*) as n
from team
group by all
having count(*) > 1
union all
select
    'team_history' as table_name,
    cast(unit_id as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from team_history
group by all
having count(*) > 1
union all
select
    'team_measure' as table_name,
    cast(team_id as varchar) || '|' || cast(indicator_id as varchar) as row_key,
    count(*) as n
from team_measure
group by all
having count(*) > 1
union all
select
    'team_measure_history' as table_name,
    cast(team_id as varchar) || '|' || cast(indicator_id as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from team_measure_history
group by all
having count(*) > 1
union all
select
    'unit' as table_name,
    cast(id as varchar) as row_key,
    count(*) as n
from unit
group by all
having count(*) > 1
union all
select
    'unit_alias' as table_name,
    cast(alias_norm as varchar) || '|' || cast(unit_id as varchar) as row_key,
    count(*) as n
from unit_alias
group by all
having count(*) > 1
union all
select
    'unit_history' as table_name,
    cast(id as varchar) || '|' || cast(replaced_by_load as varchar) as row_key,
    count(*) as n
from unit_history
group by all
having count(*) > 1
union all
select
    'id_counter' as table_name,
    name as row_key,
    count(*) as n
from id_counter
group by all
having count(*) > 1
order by table_name, row_key
