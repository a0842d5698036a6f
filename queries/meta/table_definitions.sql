-- Returns each table of the current database with the definition DuckDB stored for it
-- (table_name, sql), from which a new lake's tables are created (vetopito.db._make_lake).
-- params: (none)
select
    table_name,
    sql
from duckdb_tables()
where database_name = current_database()
    and schema_name = 'main'
order by table_name
