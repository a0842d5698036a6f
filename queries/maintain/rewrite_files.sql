-- Rewrites the data files of which at least $delete_share of the rows are deleted (changed and undone values) without those rows; one row per table rewritten.
-- params: $catalog VARCHAR, $delete_share DOUBLE
select
    table_name,
    files_processed::bigint as files_read,
    files_created::bigint as files_written
from ducklake_rewrite_data_files($catalog, delete_threshold => $delete_share::double)
