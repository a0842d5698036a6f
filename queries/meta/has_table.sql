-- Whether a table of this name exists in the open database (1 row) or not (0 rows).
-- params: $table_name VARCHAR
select table_name
from duckdb_tables()
where table_name = $table_name
    and database_name = current_database()
