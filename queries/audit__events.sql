-- The audit log, newest first: loads and undos (from the load table) and role and user
-- changes and sign-ins (from audit_event), one row per change: when, who, action, target, detail.
-- params: $max_rows INTEGER
with loads as (
    select
        loaded_at as happened_at,
        user_name,
        'load' as action,
        'load ' || id::varchar || ': ' || file_name as target,
        format('{} rows: {} new, {} changed, {} unchanged, {} rejected; format {}; sha256 {}',
               n_rows, n_new, n_changed, n_unchanged, n_rejected, format, sha256) as detail
    from load
),
undos as (
    select
        undone_at as happened_at,
        coalesce(undone_by, '?') as user_name,
        'undo' as action,
        'load ' || id::varchar || ': ' || file_name as target,
        format('undid a load of {} rows made by {} at {}', n_rows, user_name, loaded_at) as detail
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
