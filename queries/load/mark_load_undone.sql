-- Marks load `$load_id` as undone by `$user_name`.
-- params: $load_id INTEGER, $user_name VARCHAR
update load
set
    status = 'undone',
    undone_at = current_timestamp,
    undone_by = $user_name
where id = $load_id
