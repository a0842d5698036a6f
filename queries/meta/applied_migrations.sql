-- Returns the migrations the database records as applied (version), oldest first.
-- params: (none)
select version
from schema_version
order by version
