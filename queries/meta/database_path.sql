-- The file of the open database (empty for an in-memory one), to name it in an error message.
-- params: (none)
select path
from duckdb_databases()
where database_name = current_database()
