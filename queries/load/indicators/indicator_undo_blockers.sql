-- Later loads that changed indicators or definition changes load `$load_id` created or changed, or stored values, targets or team measures of indicators it created (they block its undo).
-- params: $load_id INTEGER
with created as (
    select row_key as indicator_id
    from load_row
    where table_name = 'indicator'
        and load_id = $load_id
),
touched as (
    select row_key as row_key, table_name
    from load_row
    where load_id = $load_id
        and table_name in ('indicator', 'indicator_detail', 'indicator_seasonality', 'indicator_scope',
            'indicator_definition_change')
    union select id, 'indicator' from indicator_history where replaced_by_load = $load_id
    union select indicator_id, 'indicator_detail' from indicator_detail_history where replaced_by_load = $load_id
    union select indicator_id, 'indicator_seasonality' from indicator_seasonality_history
        where replaced_by_load = $load_id
    union select indicator_id, 'indicator_scope' from indicator_scope_history where replaced_by_load = $load_id
    union select indicator_id || '|' || cast(valid_from as varchar), 'indicator_definition_change'
        from indicator_definition_change_history where replaced_by_load = $load_id
),
users as (
    select load_id from observation where indicator_id in (select indicator_id from created)
    union select load_id from target where indicator_id in (select indicator_id from created)
    union select l.load_id from team_measure as m
        join load_row as l on l.table_name = 'team_measure' and l.row_key = m.team_id || '|' || m.indicator_id
        where m.indicator_id in (select indicator_id from created)
    -- a later aims load that set the baseline or aim of a team measure this load created
    union select h.replaced_by_load from team_measure_history as h
        where h.indicator_id in (select indicator_id from created) and h.replaced_by_load > $load_id
    union select h.replaced_by_load from indicator_history as h
        where h.id in (select row_key from touched where table_name = 'indicator') and h.replaced_by_load > $load_id
    union select h.replaced_by_load from indicator_detail_history as h
        where h.indicator_id in (select row_key from touched where table_name = 'indicator_detail')
            and h.replaced_by_load > $load_id
    union select h.replaced_by_load from indicator_seasonality_history as h
        where h.indicator_id in (select row_key from touched where table_name = 'indicator_seasonality')
            and h.replaced_by_load > $load_id
    union select h.replaced_by_load from indicator_scope_history as h
        where h.indicator_id in (select row_key from touched where table_name = 'indicator_scope')
            and h.replaced_by_load > $load_id
    union select h.replaced_by_load from indicator_definition_change_history as h
        where h.indicator_id || '|' || cast(h.valid_from as varchar)
            in (select row_key from touched where table_name = 'indicator_definition_change')
            and h.replaced_by_load > $load_id
    union select l.load_id from load_row as l
        where l.table_name = 'indicator_definition_change'
            and split_part(l.row_key, '|', 1) in (select indicator_id from created)
            and l.load_id > $load_id
)
select distinct load_id
from users
where load_id is not null
    and load_id <> $load_id
order by 1
