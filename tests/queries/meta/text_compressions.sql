-- The compressions DuckDB chose for the text segments of one table, for the test of new files' format.
-- params: $table_name VARCHAR
select distinct compression
from pragma_storage_info($table_name)
where segment_type = 'VARCHAR'
order by compression
