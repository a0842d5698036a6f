-- The storage format the open database file was made in (`v1.3.0+`), for the test of new files' format.
-- params: (none)
select tags['storage_version'] as storage_version
from duckdb_databases()
where database_name = current_database()
