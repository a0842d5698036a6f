-- Returns the number of rows of table $table_name (row_count), as the open transaction sees it.
-- params: $table_name VARCHAR
select count(*) as row_count
from query_table($table_name)
