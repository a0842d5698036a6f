-- The schema version of the file, 0 when the table is missing.
-- params: (none)
select coalesce(max(version), 0) as version
from schema_version
