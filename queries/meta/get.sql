-- One value from the meta table, or no row.
-- params: $key VARCHAR
select value
from meta
where key = $key
