-- One load by id (no row when there is none).
-- params: $load_id INTEGER
select
    id as load_id,
    file_name,
    format,
    status,
    loaded_at,
    user_name,
    is_demo,
    sha256,
    n_rows,
    n_new,
    n_changed,
    n_unchanged,
    n_rejected
from load
where id = $load_id
