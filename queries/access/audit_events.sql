-- The audit log, newest first: loads and undos (from the load table) and role and user
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
