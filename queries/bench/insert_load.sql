-- Inserts the load row that owns the synthetic benchmark observations; returns nothing.
-- params: $id INTEGER, $n_rows INTEGER
insert into load (
    id, file_name, size_bytes, sha256, format, detected_json, user_name,
    n_rows, n_new, n_changed, n_unchanged, n_rejected, is_demo
)
values (
    $id, 'vetopito bench', 0, 'bench', 'bench', '{}', 'vetopito bench',
    $n_rows, $n_rows, 0, 0, 0, false
)
