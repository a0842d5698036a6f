-- Deletes the files scheduled for deletion (merged, rewritten or only in expired snapshots) more than $grace_hours hours ago, so no query still running reads them; one row per file deleted.
-- params: $catalog VARCHAR, $grace_hours INTEGER
select path
from ducklake_cleanup_old_files($catalog, older_than => now() - to_hours($grace_hours::integer))
