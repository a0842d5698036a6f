-- The audit log, newest first: loads and undos (from the load table), the indicator names a load
-- mapped (from the load's detected_json, kept when the load is undone) and role and user
-- changes and sign-ins (from audit_event), one row per change: when, who, action, target (a file
-- name or an e-mail), detail (JSON fields, put into words per language by vetopito.auth).
-- params: $max_rows INTEGER
with loads as (
    select
        loaded_at as happened_at,
        user_name,
        'load' as action,
        file_name as target,
        json_object(
            'load_id', id,
            'rows', n_rows,
            'new', n_new,
            'changed', n_changed,
            'unchanged', n_unchanged,
            'rejected', n_rejected,
            'format', format,
            'sha256', sha256
        )::varchar as detail
    from load
),
undos as (
    select
        undone_at as happened_at,
        coalesce(undone_by, '?') as user_name,
        'undo' as action,
        file_name as target,
        json_object(
            'load_id', id,
            'rows', n_rows,
            'loaded_by', user_name,
            'loaded_at', strftime(loaded_at, '%Y-%m-%dT%H:%M:%S')
        )::varchar as detail
    from load
    where status = 'undone'
        and undone_at is not null
),
mappings as (
    select
        l.loaded_at as happened_at,
        l.user_name,
        'map_indicator' as action,
        a ->> 'indicator_id' as target,
        json_object(
            'alias', a ->> 'alias',
            'kind', a ->> 'alias_kind',
            'load_id', l.id,
            'file', l.file_name
        )::varchar as detail
    from load as l,
        unnest(from_json(json_extract(l.detected_json, '$.indicator_aliases'), '["json"]')) as m(a)
),
changes as (
    select
        happened_at,
        user_name,
        action,
        target,
        detail
    from audit_event
),
everything as (
    select * from loads
    union all
    select * from undos
    union all
    select * from mappings
    union all
    select * from changes
)
select
    happened_at,
    user_name,
    action,
    target,
    detail
from everything
order by happened_at desc, action
limit $max_rows
