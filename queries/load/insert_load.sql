-- Records a load and returns its id.
-- params: $file_name VARCHAR, $size_bytes BIGINT, $sha256 VARCHAR, $format VARCHAR, $detected_json VARCHAR, $user_name VARCHAR, $n_rows INTEGER, $n_new INTEGER, $n_changed INTEGER, $n_unchanged INTEGER, $n_rejected INTEGER, $is_demo BOOLEAN
insert into load (
    file_name, size_bytes, sha256, format, detected_json, user_name,
    n_rows, n_new, n_changed, n_unchanged, n_rejected, is_demo
)
values (
    $file_name, $size_bytes, $sha256, $format, $detected_json, $user_name,
    $n_rows, $n_new, $n_changed, $n_unchanged, $n_rejected, $is_demo
)
returning id
