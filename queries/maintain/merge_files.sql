-- Merges each table's small adjacent data files (one per commit) into larger ones; one row per table merged, with the files read and written.
-- params: $catalog VARCHAR
select
    table_name,
    files_processed::bigint as files_read,
    files_created::bigint as files_written
from ducklake_merge_adjacent_files($catalog)
