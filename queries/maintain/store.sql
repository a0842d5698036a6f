-- The database this connection works on: its catalog name and kind ('ducklake' for a lake, 'duckdb' for a file).
-- params: (none)
select
    d.database_name as catalog,
    d.type as kind
from duckdb_databases() as d
where d.database_name = current_database()
