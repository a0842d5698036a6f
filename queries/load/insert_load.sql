-- Records a load under the id `$id` (drawn by vetopito.db.next_ids in the same transaction).
-- params: $id INTEGER, $file_name VARCHAR, $size_bytes BIGINT, $sha256 VARCHAR, $format VARCHAR, $detected_json VARCHAR, $user_name VARCHAR, $n_rows INTEGER, $n_new INTEGER, $n_changed INTEGER, $n_unchanged INTEGER, $n_rejected INTEGER, $is_demo BOOLEAN
insert into load (
    id, file_name, size_bytes, sha256, format, detected_json, user_name,
    n_rows, n_new, n_changed, n_unchanged, n_rejected, is_demo
)
values (
    $id, $file_name, $size_bytes, $sha256, $format, $detected_json, $user_name,
    $n_rows, $n_new, $n_changed, $n_unchanged, $n_rejected, $is_demo
)
