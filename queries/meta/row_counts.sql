-- Exact row count of every table of the model, for `vetopito info`.
-- params: (none)
select 'indicator' as table_name, count(*) as row_count from indicator
union all select 'indicator_definition_change', count(*) from indicator_definition_change
union all select 'unit', count(*) from unit
union all select 'unit_alias', count(*) from unit_alias
union all select 'observation', count(*) from observation
union all select 'observation_history', count(*) from observation_history
union all select 'target', count(*) from target
union all select 'event', count(*) from event
union all select 'team', count(*) from team
union all select 'team_measure', count(*) from team_measure
union all select 'operating_model', count(*) from operating_model
union all select 'load', count(*) from load
