-- Deletes the files under the data path that no snapshot names and are older than $grace_hours hours (what a writer killed before its commit left behind); one row per file deleted.
-- params: $catalog VARCHAR, $grace_hours INTEGER
select path
from ducklake_delete_orphaned_files($catalog, older_than => now() - to_hours($grace_hours::integer))
