-- Forgets the snapshots older than $keep_days days (the newest is always kept): time travel to them ends, and the files only they read are scheduled for deletion; one row per snapshot expired.
-- params: $catalog VARCHAR, $keep_days INTEGER
select snapshot_id
from ducklake_expire_snapshots($catalog, older_than => now() - to_days($keep_days::integer))
