-- What a lake holds, for `vetopito maintain` before and after: its snapshots, and its data and delete files (count and bytes) over every table.
-- params: $catalog VARCHAR
select
    (select count(*) from ducklake_snapshots($catalog)) as snapshots,
    coalesce(sum(t.file_count), 0)::bigint as data_files,
    coalesce(sum(t.file_size_bytes), 0)::bigint as data_bytes,
    coalesce(sum(t.delete_file_count), 0)::bigint as delete_files,
    coalesce(sum(t.delete_file_size_bytes), 0)::bigint as delete_bytes
from ducklake_table_info($catalog) as t
