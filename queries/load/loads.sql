-- Every load, newest first, with its counts and status (the load history).
-- params: (none)
select
    id as load_id,
    file_name,
    format,
    user_name,
    loaded_at,
    n_rows,
    n_new,
    n_changed,
    n_unchanged,
    n_rejected,
    is_demo,
    status,
    undone_at,
    undone_by,
    sha256,
    size_bytes
from load
order by id desc
