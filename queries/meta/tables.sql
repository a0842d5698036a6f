-- Every table of the open database's main schema, for the deep check (`db.check_tables`).
-- params: (none)
select table_name
from duckdb_tables()
where database_name = current_database()
  and schema_name = 'main'
order by table_name
