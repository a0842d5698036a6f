-- The names of the tables in the open database (column table_name, one row each): the loader asks
-- once per load which of the later migrations' tables a database has (one scan of the catalog,
-- which on a lake also lists the PostgreSQL catalog's own tables, instead of one per table).
-- params: (none)
select table_name
from duckdb_tables()
where database_name = current_database()
