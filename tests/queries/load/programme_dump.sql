-- Every row of every programme table and its history, the targets and the loads, as JSON (a failed load must leave them as they were).
-- params: (none)
select 'programme' as table_name, to_json(x)::varchar as row from programme as x
union all select 'programme_region' as table_name, to_json(x)::varchar as row from programme_region as x
union all select 'programme_goal' as table_name, to_json(x)::varchar as row from programme_goal as x
union all select 'subproject' as table_name, to_json(x)::varchar as row from subproject as x
union all select 'subproject_unit' as table_name, to_json(x)::varchar as row from subproject_unit as x
union all select 'programme_measure' as table_name, to_json(x)::varchar as row from programme_measure as x
union all select 'measure_target' as table_name, to_json(x)::varchar as row from measure_target as x
union all select 'output_count' as table_name, to_json(x)::varchar as row from output_count as x
union all select 'reporting_round' as table_name, to_json(x)::varchar as row from reporting_round as x
union all select 'round_entry' as table_name, to_json(x)::varchar as row from round_entry as x
union all select 'programme_history' as table_name, to_json(x)::varchar as row from programme_history as x
union all select 'programme_region_history' as table_name, to_json(x)::varchar as row from programme_region_history as x
union all select 'programme_goal_history' as table_name, to_json(x)::varchar as row from programme_goal_history as x
union all select 'subproject_history' as table_name, to_json(x)::varchar as row from subproject_history as x
union all select 'subproject_unit_history' as table_name, to_json(x)::varchar as row from subproject_unit_history as x
union all select 'programme_measure_history' as table_name, to_json(x)::varchar as row from programme_measure_history as x
union all select 'measure_target_history' as table_name, to_json(x)::varchar as row from measure_target_history as x
union all select 'output_count_history' as table_name, to_json(x)::varchar as row from output_count_history as x
union all select 'reporting_round_history' as table_name, to_json(x)::varchar as row from reporting_round_history as x
union all select 'round_entry_history' as table_name, to_json(x)::varchar as row from round_entry_history as x
union all select 'target' as table_name, to_json(x)::varchar as row from target as x
union all select 'load' as table_name, to_json(x)::varchar as row from load as x
order by table_name, row
